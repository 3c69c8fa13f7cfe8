// Shared command-line options and their validation.
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { parseDuration, parseSize } from '../config/units.js';
import { errorMessage, UsageError } from '../errors.js';
import { LOG_LEVELS, type LogLevel } from '../logging.js';
import { type Message, msg } from '../messages/index.js';

export const DEFAULT_CONFIG = '/etc/backup321/agent.config.json';

type Options = NonNullable<ParseArgsConfig['options']>;

export function parse<T extends Options>(args: string[], options: T, allowPositionals = false) {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals });
  } catch (error) {
    throw new UsageError(
      argumentProblem(args, options, allowPositionals) ??
        msg('usage.arguments', { text: errorMessage(error).replace(/^TypeError \[[A-Z_]+\]: /, '') }),
    );
  }
}

/** An option as Node's own messages name it: "-c, --config <value>". */
function optionName(name: string, option: Options[string]): string {
  return `${option.short ? `-${option.short}, ` : ''}--${name}${option.type === 'string' ? ' <value>' : ''}`;
}

/**
 * What is wrong with a command line parseArgs refused, in the catalog's words: found again from its
 * tokens, in the order parseArgs checks them, since Node's message is English only.
 */
function argumentProblem(args: string[], options: Options, allowPositionals: boolean): Message | undefined {
  const { tokens } = parseArgs({ args, options, strict: false, allowPositionals: true, tokens: true });
  for (const token of tokens) {
    if (token.kind === 'positional') {
      if (!allowPositionals) return msg('usage.unexpected-argument', { argument: token.value });
      continue;
    }
    if (token.kind !== 'option') continue;
    const option = options[token.name];
    if (!option) return msg('usage.unknown-option', { option: token.rawName });
    if (option.type === 'boolean' && token.value !== undefined) {
      return msg('usage.takes-no-value', { option: optionName(token.name, option) });
    }
    if (option.type === 'string' && token.value === undefined) {
      return msg('usage.missing-value', { option: optionName(token.name, option) });
    }
    if (option.type === 'string' && !token.inlineValue && token.value?.startsWith('-')) {
      return msg('usage.ambiguous-value', { option: token.rawName });
    }
  }
  return undefined;
}

export function oneOf<T extends string>(
  name: string,
  value: string | undefined,
  allowed: readonly T[],
  fallback: T,
): T {
  if (value === undefined) return fallback;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(msg('usage.one-of', { name, allowed: allowed.join(', '), value }));
}

/** A duration option ("30s", "5m", a bare number of seconds) in ms; undefined when not given. */
export function durationOption(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ms = parseDuration(value);
  if (ms === undefined) throw new UsageError(msg('usage.duration', { name, value }));
  return ms;
}

/** A size option ("500GB", "2TiB", a bare number of bytes) in bytes; undefined when not given. */
export function sizeOption(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const bytes = parseSize(value);
  if (bytes === undefined) throw new UsageError(msg('usage.size', { name, value }));
  return bytes;
}

/**
 * `--budget SIZE` (with --deep only): the bytes a deep verify reads again, 'all' to read everything
 * whatever the config's deep.budget says, undefined when not given (the config decides).
 */
export function budgetOption(value: string | undefined, deep: boolean | undefined): number | 'all' | undefined {
  if (value === undefined) return undefined;
  if (!deep) throw new UsageError(msg('usage.budget-needs-deep'));
  if (value.trim() === 'all') return 'all';
  const bytes = sizeOption('budget', value) as number;
  if (bytes === 0) throw new UsageError(msg('usage.budget-zero'));
  return bytes;
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
  lang: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;
