// pino loggers: JSON for services and pipes, readable lines on a TTY; secrets are redacted everywhere.
import { createRequire } from 'node:module';
import pino, { type Logger } from 'pino';

// Loaded only for a TTY: a service's or a pipe's log is JSON lines and needs none of pino-pretty's modules.
const loadPretty = (): typeof import('pino-pretty') => createRequire(import.meta.url)('pino-pretty');

export const REDACT_PATHS = [
  'token',
  '*.token',
  'authorization',
  '*.authorization',
  'headers.authorization',
  '*.headers.authorization',
  'secretAccessKey',
  '*.secretAccessKey',
  'credentials',
  '*.credentials',
  'password',
  '*.password',
];

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** A CLI logger on stderr, so stdout carries only the report. */
export function createCliLogger(level: LogLevel, tty = Boolean(process.stderr.isTTY)): Logger {
  const options = { level, redact: { paths: REDACT_PATHS, censor: '[redacted]' }, base: { pid: process.pid } };
  if (tty) {
    const pretty = loadPretty();
    return pino(
      options,
      pretty({ destination: 2, sync: true, colorize: !process.env.NO_COLOR, ignore: 'pid,hostname' }),
    );
  }
  return pino(options, pino.destination({ fd: 2, sync: true }));
}

/**
 * The agent's logger: JSON lines on stdout, which journald keeps; written synchronously, so the line
 * before an exit (or a kill) is not lost in a buffer.
 */
export function createServiceLogger(level: LogLevel): Logger {
  return pino(
    { level, redact: { paths: REDACT_PATHS, censor: '[redacted]' }, base: { pid: process.pid } },
    pino.destination({ fd: 1, sync: true }),
  );
}
