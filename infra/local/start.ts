/**
 * `npm start`: the whole service on this machine (see README.md next to this file).
 *
 *   npm start -- [--policy <id|file>] [--time-scale <n>] [--port <n>] [--data-dir <dir>] [--demo]
 *
 * Flags win over the environment (`REDRESS_POLICY`, `REDRESS_TIME_SCALE`, `PORT`,
 * `REDRESS_DATA_DIR`). Prints one line per address and runs until Ctrl-C.
 */
import { parseArgs } from 'node:util';
import { PolicyError } from '../../functions/domain/policy.js';
import { type Runtime, RuntimeStartError, startRuntime } from './runtime.js';

/** A command-line mistake: shown as one line with the usage. */
class UsageError extends Error {
  override name = 'UsageError';
}

const USAGE =
  'Usage: npm start -- [--policy <preset id|policy.json>] [--time-scale <n>] [--port <n>] [--data-dir <dir>] [--demo]';

/** The runtime options from the command line and environment. */
function parseCommandLine(argv: string[], env: NodeJS.ProcessEnv = process.env) {
  const { values } = parseArgs({
    args: argv,
    options: {
      policy: { type: 'string' },
      'time-scale': { type: 'string' },
      port: { type: 'string' },
      'data-dir': { type: 'string' },
      demo: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  const number = (name: string, raw: string | undefined, fallback: number, check: (n: number) => boolean) => {
    if (raw === undefined || raw.trim() === '') return fallback;
    const value = Number(raw);
    if (!check(value))
      throw new UsageError(
        `${name} must be ${name === '--port' ? 'a port number' : 'a positive number'}, not "${raw}"`,
      );
    return value;
  };
  return {
    help: values.help === true,
    policy: values.policy ?? (env.REDRESS_POLICY?.trim() || 'lgsco-code-2024'),
    timeScale: number(
      '--time-scale',
      values['time-scale'] ?? env.REDRESS_TIME_SCALE,
      1,
      (n) => Number.isFinite(n) && n > 0,
    ),
    port: number(
      '--port',
      values.port ?? env.PORT,
      3000,
      (n) => Number.isInteger(n) && n >= 0 && n <= 65_535,
    ),
    dataDir: values['data-dir'] ?? (env.REDRESS_DATA_DIR?.trim() || undefined),
    demo: values.demo === true,
  };
}

async function main(): Promise<void> {
  let options: ReturnType<typeof parseCommandLine>;
  try {
    options = parseCommandLine(process.argv.slice(2));
  } catch (error: unknown) {
    const message = error instanceof Error ? error.message : String(error);
    fail(`${message}\n${USAGE}`, 2);
    return;
  }
  if (options.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }

  let runtime: Runtime;
  try {
    runtime = await startRuntime(options);
  } catch (error: unknown) {
    if (error instanceof RuntimeStartError || error instanceof PolicyError) {
      fail(`Redress could not start: ${error.message}`, 1);
      return;
    }
    throw error;
  }

  const speed = options.timeScale === 1 ? 'real time' : `time ×${options.timeScale}`;
  process.stdout.write(
    [
      `Redress is running (policy ${runtime.policy.id}, ${speed}, data in ${runtime.dataDir})`,
      `  Resident form:  ${runtime.urls.form}`,
      `  Inbox:          ${runtime.urls.inbox}`,
      `  Reports:        ${runtime.urls.reports}`,
      `  Health:         ${runtime.urls.health}`,
      `Staff workspace: ${runtime.urls.staff}`,
      ...runtime.staff.map(
        (u) => `  Staff user:     ${u.username.padEnd(8)} password ${u.password}  (${u.role})`,
      ),
      'Press Ctrl-C to stop.',
      '',
    ].join('\n'),
  );

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) {
      // A second Ctrl-C: the person wants out now.
      process.exit(130);
    }
    stopping = true;
    process.stdout.write(`\n${signal}: stopping…\n`);
    runtime
      .stop()
      .then(() => process.exit(0))
      .catch((error: unknown) => {
        fail(`Redress did not stop cleanly: ${error instanceof Error ? error.message : String(error)}`, 1);
      });
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

function fail(message: string, code: number): void {
  process.stderr.write(`${message}\n`);
  process.exitCode = code;
}

main().catch((error: unknown) => {
  // Anything unexpected keeps its stack: it is a bug, not a setup problem.
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
