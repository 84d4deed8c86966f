import pino, { type Logger } from 'pino';

/**
 * Structured JSON logs. Credential-shaped fields are redacted wherever they appear, so a careless
 * `log.info({ device })` still never writes a password or key.
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

const globalForLog = globalThis as unknown as { __switchboardLog?: Logger };

export function createLogger(level = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({ level, base: { app: 'switchboard' }, redact: { paths: REDACT_PATHS, censor: '[redacted]' } });
}

export function getLogger(): Logger {
  globalForLog.__switchboardLog ??= createLogger();
  return globalForLog.__switchboardLog;
}
