import { pino, type Logger } from 'pino';

export type { Logger };

/** JSON logs on stdout (pino). Secrets never reach a log: authorization headers are redacted. */
export function createLogger(level = 'info'): Logger {
  return pino({
    level,
    base: { service: 'hukou' },
    redact: { paths: ['req.headers.authorization', 'req.headers.cookie', '*.password', '*.token'], censor: '[redacted]' },
  });
}
