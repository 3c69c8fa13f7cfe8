// One sentence of our own, with the JSON path and a hint, for each kind of schema error: Ajv's own
// wording ("must NOT have fewer than 1 properties") never reaches the user.
import type { ErrorObject } from 'ajv';
import type { ConfigProblem } from '../errors.js';
import { pointerPath } from './json-path.js';
import { DURATION_PATTERN, ID_PATTERN, SIZE_PATTERN, THROUGHPUT_PATTERN } from './schema.js';
import { closest } from './suggest.js';
import { maskUrlCredentials } from './url-credentials.js';

/** What a value written to a pattern is, and how to write one. */
const PATTERNS: Record<string, { noun: string; hint: string }> = {
  [DURATION_PATTERN]: { noun: 'a duration', hint: 'write a duration such as "24h", "90m" or "7d"' },
  [SIZE_PATTERN]: { noun: 'a size', hint: 'write a size such as "512MB" or "2GiB"' },
  [THROUGHPUT_PATTERN]: { noun: 'a rate', hint: 'write a rate such as "300MB/s" or "80MiB/s"' },
  [ID_PATTERN]: { noun: 'an id', hint: 'use letters, digits, ".", "_" and "-" (start with a letter or digit)' },
  '^https?://': { noun: 'a URL', hint: 'write a URL starting with https:// (or http:// for a local test server)' },
};

/** The kinds the schema names with a "title" (an anyOf/oneOf of a string and a number or a list). */
export const TITLED_KINDS: Record<string, { noun: string; hint: string }> = {
  duration: { noun: 'a duration', hint: 'write a duration such as "24h", "90m" or "7d", or a number of seconds' },
  size: { noun: 'a size', hint: 'write a size such as "512MB" or "2GiB", or a number of bytes' },
  pattern: {
    noun: 'a non-empty string or a non-empty array of strings',
    hint: 'e.g. "erp/*.dump" or ["erp/*.dump", "erp/*.wal"]',
  },
};

const SECRET_KEYS = /^(token|secret|password|secretAccessKey|accessKeyId|aws_secret_access_key|key)$/i;

/** A value as problems show it: JSON, with any credential in a URL masked. */
export function shown(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(maskUrlCredentials(value)) : JSON.stringify(value);
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `${typeof value} ${shown(value)}`;
}

export function valueAt(document: unknown, pointer: string): unknown {
  let value: unknown = document;
  for (const part of pointer.split('/').slice(1)) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[part.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return value;
}

const plural = (count: number, one: string, many: string) => `${count} ${count === 1 ? one : many}`;

/** The schema's own description of the key, as the hint where no better one is known. */
function described(error: ErrorObject, fallback: string): string {
  const description = (error.parentSchema as { description?: unknown } | undefined)?.description;
  return typeof description === 'string' ? description : fallback;
}

function range(error: ErrorObject): string {
  const { minimum, maximum } = (error.parentSchema ?? {}) as { minimum?: number; maximum?: number };
  if (minimum !== undefined && maximum !== undefined) return `use a number from ${minimum} to ${maximum}`;
  return minimum !== undefined ? `use ${minimum} or more` : `use ${maximum} or less`;
}

export function problemFor(error: ErrorObject, document: unknown): ConfigProblem {
  const path = pointerPath(error.instancePath);
  const params = error.params as Record<string, unknown>;
  const value = valueAt(document, error.instancePath);
  const problem = (message: string, hint: string, at = path): ConfigProblem => ({
    path: at,
    message,
    hint,
    severity: 'error',
  });
  switch (error.keyword) {
    case 'additionalProperties': {
      const key = String(params.additionalProperty);
      const allowed = Object.keys((error.parentSchema?.properties as object | undefined) ?? {});
      const suggestion = closest(key, allowed);
      const hint = SECRET_KEYS.test(key)
        ? 'secrets never go in the config file: use tokenFile, credentialsFile, the environment or the AWS credential chain'
        : suggestion
          ? `did you mean "${suggestion}"?`
          : `remove it; allowed keys: ${allowed.join(', ')}`;
      return problem(`unknown key "${key}"`, hint, pointerPath(error.instancePath, key));
    }
    case 'required': {
      const key = String(params.missingProperty);
      return problem('is required', `add "${key}"`, pointerPath(error.instancePath, key));
    }
    case 'type': {
      const kind = PATTERNS[String((error.parentSchema as { pattern?: unknown } | undefined)?.pattern)];
      if (kind) return problem(`must be ${kind.noun}`, `found ${describe(value)}; ${kind.hint}`);
      return problem(`must be ${article(String(params.type))}`, `found ${describe(value)}`);
    }
    case 'pattern': {
      const kind = PATTERNS[String(params.pattern)];
      return problem(`${shown(value)} is not valid here`, kind?.hint ?? `must match ${String(params.pattern)}`);
    }
    case 'enum':
      return problem(
        `${shown(value)} is not one of the allowed values`,
        `use one of: ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`,
      );
    case 'const':
      return problem(`must be ${JSON.stringify(params.allowedValue)}`, `write ${JSON.stringify(params.allowedValue)}`);
    case 'minimum':
    case 'exclusiveMinimum':
      return problem(`${shown(value)} is below the minimum of ${String(params.limit)}`, range(error));
    case 'maximum':
    case 'exclusiveMaximum':
      return problem(`${shown(value)} is above the maximum of ${String(params.limit)}`, range(error));
    case 'minLength':
      return Number(params.limit) === 1
        ? problem('must not be empty', described(error, 'write a value'))
        : problem(
            `${shown(value)} is too short: at least ${plural(Number(params.limit), 'character', 'characters')}`,
            described(error, 'write a longer value'),
          );
    case 'maxLength':
      return problem(
        `is too long: at most ${plural(Number(params.limit), 'character', 'characters')}`,
        described(error, 'write a shorter value'),
      );
    case 'minItems':
      return problem(
        Number(params.limit) === 1
          ? 'must not be an empty list'
          : `must list at least ${plural(Number(params.limit), 'item', 'items')}`,
        described(error, 'add an item'),
      );
    case 'minProperties':
      return problem(
        `must have at least ${plural(Number(params.limit), 'entry', 'entries')}`,
        described(error, 'add an entry'),
      );
    default:
      // A keyword this file does not know yet (test/config/schema-messages.test.ts fails first).
      return problem(
        `does not fit the schema (keyword "${error.keyword}")`,
        'see schema/agent.config.schema.json for what this key takes',
      );
  }
}
