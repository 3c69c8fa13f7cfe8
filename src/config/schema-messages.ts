// One sentence of our own, with the JSON path and a hint, for each kind of schema error: Ajv's own
// wording ("must NOT have fewer than 1 properties") never reaches the user. The words are in src/messages.
import type { ErrorObject } from 'ajv';
import type { ConfigProblem } from '../errors.js';
import { counted, type Message, msg, type ProblemCode, schemaDescription } from '../messages/index.js';
import type { Localized, MessageParams } from '../messages/types.js';
import { pointerPath } from './json-path.js';
import { configProblem } from './problem.js';
import { DURATION_PATTERN, ID_PATTERN, LISTEN_PATTERN, SIZE_PATTERN, THROUGHPUT_PATTERN } from './schema.js';
import { closest } from './suggest.js';
import { maskUrlCredentials } from './url-credentials.js';

/** What a value of a kind is ("a duration"), and how to write one. */
export interface ValueKind {
  noun: Message;
  hint: Message;
}

/** What a value written to a pattern is, and how to write one. */
const PATTERNS: Record<string, ValueKind> = {
  [DURATION_PATTERN]: { noun: msg('config.kind.duration'), hint: msg('config.write.duration') },
  [SIZE_PATTERN]: { noun: msg('config.kind.size'), hint: msg('config.write.size') },
  [THROUGHPUT_PATTERN]: { noun: msg('config.kind.rate'), hint: msg('config.write.rate') },
  [ID_PATTERN]: { noun: msg('config.kind.id'), hint: msg('config.write.id') },
  '^https?://': { noun: msg('config.kind.url'), hint: msg('config.write.url') },
  [LISTEN_PATTERN]: { noun: msg('config.kind.listen'), hint: msg('config.write.listen') },
};

/** The kinds the schema names with a "title" (an anyOf/oneOf of a string and a number or a list). */
export const TITLED_KINDS: Record<string, ValueKind> = {
  duration: { noun: msg('config.kind.duration'), hint: msg('config.write.duration-or-seconds') },
  size: { noun: msg('config.kind.size'), hint: msg('config.write.size-or-bytes') },
  pattern: { noun: msg('config.kind.pattern'), hint: msg('config.write.pattern') },
};

const SECRET_KEYS = /^(token|secret|password|secretAccessKey|accessKeyId|aws_secret_access_key|key)$/i;

/** A value as problems show it: JSON, with any credential in a URL masked. */
export function shown(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(maskUrlCredentials(value)) : JSON.stringify(value);
}

const JSON_TYPES = new Set(['string', 'integer', 'number', 'boolean', 'object', 'array', 'null']);

/** "an integer", "a string": what a value must be. */
function typeNoun(type: string): Message {
  return JSON_TYPES.has(type) ? msg(`config.type.${type}` as 'config.type.string') : msg('config.type.other', { type });
}

/** What a value found is: "an array", 'string "x"'. */
export function describe(value: unknown): Message {
  if (value === null) return msg('config.found.null');
  if (Array.isArray(value)) return msg('config.found.array');
  if (typeof value === 'object') return msg('config.found.object');
  const type = typeof value;
  if (type === 'string' || type === 'number' || type === 'boolean') {
    return msg(`config.found.${type}`, { value: String(shown(value)) });
  }
  return msg('config.found.other', { type, value: String(shown(value)) });
}

export function valueAt(document: unknown, pointer: string): unknown {
  let value: unknown = document;
  for (const part of pointer.split('/').slice(1)) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[part.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return value;
}

/** The schema's own description of the key, as the hint where no better one is known. */
function described(error: ErrorObject, fallback: Message): Message | Localized {
  const description = (error.parentSchema as { description?: unknown } | undefined)?.description;
  return typeof description === 'string' ? schemaDescription(description) : fallback;
}

function range(error: ErrorObject): Message {
  const { minimum, maximum } = (error.parentSchema ?? {}) as { minimum?: number; maximum?: number };
  if (minimum !== undefined && maximum !== undefined) return msg('config.range.between', { minimum, maximum });
  return minimum !== undefined
    ? msg('config.range.at-least', { minimum })
    : msg('config.range.at-most', { maximum: maximum ?? '' });
}

export function problemFor(error: ErrorObject, document: unknown): ConfigProblem {
  const path = pointerPath(error.instancePath);
  const params = error.params as Record<string, unknown>;
  const value = valueAt(document, error.instancePath);
  const limit = Number(params.limit);
  const problem = (code: ProblemCode, values: MessageParams = {}, at = path): ConfigProblem =>
    configProblem(at, code, values);
  switch (error.keyword) {
    case 'additionalProperties': {
      const key = String(params.additionalProperty);
      const allowed = Object.keys((error.parentSchema?.properties as object | undefined) ?? {});
      const suggestion = closest(key, allowed);
      const advice = SECRET_KEYS.test(key)
        ? msg('config.advice.no-secrets')
        : suggestion
          ? msg('config.advice.did-you-mean', { suggestion })
          : msg('config.advice.remove-key', { allowed });
      return problem('config.unknown-key', { key, advice }, pointerPath(error.instancePath, key));
    }
    case 'required': {
      const key = String(params.missingProperty);
      return problem('config.required', { key }, pointerPath(error.instancePath, key));
    }
    case 'type': {
      const kind = PATTERNS[String((error.parentSchema as { pattern?: unknown } | undefined)?.pattern)];
      if (kind) return problem('config.wrong-kind', { kind: kind.noun, found: describe(value), advice: kind.hint });
      return problem('config.wrong-type', { type: typeNoun(String(params.type)), found: describe(value) });
    }
    case 'pattern': {
      const kind = PATTERNS[String(params.pattern)];
      return problem('config.not-valid-here', {
        value: shown(value),
        advice: kind?.hint ?? msg('config.advice.match', { pattern: String(params.pattern) }),
      });
    }
    case 'enum':
      return problem('config.not-allowed', {
        value: shown(value),
        allowed: (params.allowedValues as unknown[]).map((v) => JSON.stringify(v)),
      });
    case 'const':
      return problem('config.not-const', { expected: JSON.stringify(params.allowedValue) });
    case 'minimum':
    case 'exclusiveMinimum':
      return problem('config.below-minimum', { value: shown(value), limit: String(params.limit), range: range(error) });
    case 'maximum':
    case 'exclusiveMaximum':
      return problem('config.above-maximum', { value: shown(value), limit: String(params.limit), range: range(error) });
    case 'minLength':
      return limit === 1
        ? problem('config.empty', { advice: described(error, msg('config.advice.write-value')) })
        : problem('config.too-short', {
            value: shown(value),
            count: counted('character', limit),
            advice: described(error, msg('config.advice.write-longer')),
          });
    case 'maxLength':
      return problem('config.too-long', {
        count: counted('character', limit),
        advice: described(error, msg('config.advice.write-shorter')),
      });
    case 'minItems':
      return limit === 1
        ? problem('config.empty-list', { advice: described(error, msg('config.advice.add-item')) })
        : problem('config.too-few-items', {
            count: counted('item', limit),
            advice: described(error, msg('config.advice.add-item')),
          });
    case 'minProperties':
      return problem('config.too-few-entries', {
        count: counted('entry', limit),
        advice: described(error, msg('config.advice.add-entry')),
      });
    default:
      // A keyword this file does not know yet (test/config/schema-messages.test.ts fails first).
      return problem('config.schema-other', { keyword: error.keyword });
  }
}
