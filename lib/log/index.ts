import pino, { type Logger } from 'pino';
import pretty from 'pino-pretty';

/**
 * Structured logs: JSON for a collector, or readable lines on a terminal (`LOG_FORMAT`, default
 * `auto`: pretty when stdout is a TTY). Credential-shaped fields are redacted wherever they appear,
 * so a careless `log.info({ device })` still never writes a password or key.
 */
export const REDACT_PATHS = [
  'password',
  '*.password',
  'secret',
  '*.secret',
  'secretEnc',
  '*.secretEnc',
  'privateKey',
  '*.privateKey',
  'passphrase',
  '*.passphrase',
  'enableSecret',
  '*.enableSecret',
  'enableSecretEnc',
  '*.enableSecretEnc',
  'passwordHash',
  '*.passwordHash',
  'req.headers.cookie',
  'headers.cookie',
];


export type LogFormat = 'auto' | 'pretty' | 'json';

/** Whether logs come out as readable lines: asked for, or `auto` on a terminal. */
export function prettyLogs(format: LogFormat, isTty: boolean): boolean {
  return format === 'pretty' || (format === 'auto' && isTty);
}

export function createLogger(
  level = process.env.LOG_LEVEL ?? 'info',
  format: LogFormat = 'auto',
): Logger {
  const options = { level, base: { app: 'switchboard' }, redact: { paths: REDACT_PATHS, censor: '[redacted]' } };
  if (!prettyLogs(format, Boolean(process.stdout.isTTY))) return pino(options);
  // in-process and synchronous (no worker thread): a line is on screen before the next one starts
  return pino(
    options,
    pretty({ sync: true, colorize: Boolean(process.stdout.isTTY), ignore: 'pid,hostname,app', translateTime: 'SYS:HH:MM:ss' }),
  );
}
