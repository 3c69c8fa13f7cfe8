// Shared command-line options and their validation.
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { errorMessage, UsageError } from '../errors.js';
import { LOG_LEVELS, type LogLevel } from '../logging.js';

export const DEFAULT_CONFIG = '/etc/backup321/agent.config.json';

export function parse<T extends NonNullable<ParseArgsConfig['options']>>(
  args: string[],
  options: T,
  allowPositionals = false,
) {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals });
  } catch (error) {
    throw new UsageError(errorMessage(error).replace(/^TypeError \[[A-Z_]+\]: /, ''));
  }
}

export function oneOf<T extends string>(
  name: string,
  value: string | undefined,
  allowed: readonly T[],
  fallback: T,
): T {
  if (value === undefined) return fallback;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`--${name} must be one of: ${allowed.join(', ')} (got "${value}")`);
}

export function logLevel(value: string | undefined): LogLevel {
  return oneOf('log-level', value, LOG_LEVELS, 'warn');
}

export function configPath(value: string | undefined): string {
  return value ?? process.env.BACKUP321_CONFIG ?? DEFAULT_CONFIG;
}

export const COMMON_OPTIONS = {
  config: { type: 'string', short: 'c' },
  'log-level': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;
