/**
 * Structured JSON logs for CloudWatch. Callers pass ids and names, never personal data: no
 * names, emails, addresses or the resident's words. Quiet under tests unless REDRESS_LOG is set.
 */
type Level = 'debug' | 'info' | 'warn' | 'error';
const LEVELS: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

function threshold(): number {
  const configured = (process.env.REDRESS_LOG ?? (process.env.VITEST ? 'silent' : 'info')) as
    | Level
    | 'silent';
  return configured === 'silent' ? Number.POSITIVE_INFINITY : (LEVELS[configured] ?? LEVELS.info);
}

function write(level: Level, message: string, fields: Record<string, unknown>): void {
  if (LEVELS[level] < threshold()) return;
  const line = JSON.stringify({ level, message, time: new Date().toISOString(), ...fields });
  if (level === 'error' || level === 'warn') console.error(line);
  else console.log(line);
}

export const log = {
  debug: (message: string, fields: Record<string, unknown> = {}) => write('debug', message, fields),
  info: (message: string, fields: Record<string, unknown> = {}) => write('info', message, fields),
  warn: (message: string, fields: Record<string, unknown> = {}) => write('warn', message, fields),
  error: (message: string, fields: Record<string, unknown> = {}) => write('error', message, fields),
};
