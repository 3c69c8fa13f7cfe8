// Schema validation with ajv, turning its errors into problems that name the JSON path and the fix.
import { Ajv, type ErrorObject } from 'ajv';
import type { ConfigProblem } from '../errors.js';
import { pointerPath as jsonPath } from './json-path.js';
import { configSchema, DURATION_PATTERN, ID_PATTERN, SIZE_PATTERN, THROUGHPUT_PATTERN } from './schema.js';

const ajv = new Ajv({ allErrors: true, strict: false, allowUnionTypes: true, verbose: true });
const validateSchema = ajv.compile(configSchema);

const PATTERN_HINTS: Record<string, string> = {
  [DURATION_PATTERN]: 'write a duration such as "24h", "90m" or "7d"',
  [SIZE_PATTERN]: 'write a size such as "512MB" or "2GiB"',
  [THROUGHPUT_PATTERN]: 'write a rate such as "300MB/s" or "80MiB/s"',
  [ID_PATTERN]: 'use letters, digits, ".", "_" and "-" (start with a letter or digit)',
  '^https?://': 'write a URL starting with https:// (or http:// for a local test server)',
};

const SECRET_KEYS = /^(token|secret|password|secretAccessKey|accessKeyId|aws_secret_access_key|key)$/i;

function closest(word: string, candidates: string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    const distance = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      bestDistance = distance;
      best = candidate;
    }
  }
  return bestDistance <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0] ?? 0;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j] ?? 0;
      row[j] = Math.min(current + 1, (row[j - 1] ?? 0) + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length] ?? 0;
}

function problemFor(error: ErrorObject, document: unknown): ConfigProblem {
  const path = jsonPath(error.instancePath);
  const params = error.params as Record<string, unknown>;
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
      return { path: jsonPath(error.instancePath, key), message: `unknown key "${key}"`, hint, severity: 'error' };
    }
    case 'required':
      return {
        path: jsonPath(error.instancePath, String(params.missingProperty)),
        message: 'is required',
        hint: `add "${String(params.missingProperty)}"`,
        severity: 'error',
      };
    case 'type':
      return {
        path,
        message: `must be ${article(String(params.type))}`,
        hint: `found ${describe(valueAt(document, error.instancePath))}`,
        severity: 'error',
      };
    case 'pattern':
      return {
        path,
        message: `${JSON.stringify(valueAt(document, error.instancePath))} is not valid here`,
        hint: PATTERN_HINTS[String(params.pattern)] ?? `must match ${String(params.pattern)}`,
        severity: 'error',
      };
    case 'enum':
      return {
        path,
        message: `${JSON.stringify(valueAt(document, error.instancePath))} is not one of the allowed values`,
        hint: `use one of: ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`,
        severity: 'error',
      };
    case 'const':
      return { path, message: `must be ${JSON.stringify(params.allowedValue)}`, hint: '', severity: 'error' };
    default:
      return { path, message: error.message ?? error.keyword, hint: '', severity: 'error' };
  }
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `${typeof value === 'object' ? 'an object' : `${typeof value} ${JSON.stringify(value)}`}`;
}

function valueAt(document: unknown, pointer: string): unknown {
  let value: unknown = document;
  for (const part of pointer.split('/').slice(1)) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[part.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return value;
}

/**
 * Locations are a oneOf over three shapes; ajv then reports every branch's errors. Keep only the
 * errors of the branch the item's "type" selects, so "locations[1].bucket is required" is what users see.
 */
function locationBranchErrors(errors: ErrorObject[], document: unknown): ErrorObject[] {
  const branchIndex: Record<string, number> = { disk: 0, s3: 1, 'offline-log': 2 };
  return errors.filter((error) => {
    const match = /^#\/properties\/locations\/items\/oneOf\/(\d+)\//.exec(error.schemaPath);
    const itemMatch = /^\/locations\/(\d+)/.exec(error.instancePath);
    if (error.schemaPath === '#/properties/locations/items/oneOf') {
      const item = valueAt(document, error.instancePath) as { type?: unknown } | undefined;
      return !(typeof item?.type === 'string' && item.type in branchIndex);
    }
    if (!match || !itemMatch) return true;
    const item = valueAt(document, `/locations/${itemMatch[1]}`) as { type?: unknown } | undefined;
    const wanted = typeof item?.type === 'string' ? branchIndex[item.type] : undefined;
    if (wanted === undefined) return false;
    return Number(match[1]) === wanted;
  });
}

/** Pattern values are a oneOf string|array: report one readable problem instead of both branches. */
function patternErrors(errors: ErrorObject[]): ErrorObject[] {
  const seen = new Set<string>();
  return errors.filter((error) => {
    if (!/\/(copies|pattern)\//.test(`${error.schemaPath}/`) || !/oneOf/.test(error.schemaPath)) return true;
    if (seen.has(error.instancePath)) return false;
    seen.add(error.instancePath);
    error.keyword = 'pattern-value';
    error.message = 'must be a non-empty string or a non-empty array of strings';
    return true;
  });
}

export function validateAgainstSchema(document: unknown): ConfigProblem[] {
  if (validateSchema(document)) return [];
  const errors = patternErrors(locationBranchErrors(validateSchema.errors ?? [], document));
  const problems = errors.map((error) => {
    if (error.keyword === 'oneOf' && /locations\/\d+$/.test(error.instancePath)) {
      return {
        path: jsonPath(error.instancePath, 'type'),
        message: 'unknown location type',
        hint: 'use "disk", "s3" or "offline-log"',
        severity: 'error' as const,
      };
    }
    if (error.keyword === 'pattern-value') {
      return {
        path: jsonPath(error.instancePath),
        message: error.message ?? '',
        hint: 'e.g. "erp/*.dump"',
        severity: 'error' as const,
      };
    }
    return problemFor(error, document);
  });
  const unique = new Map(problems.map((p) => [`${p.path}|${p.message}`, p]));
  return [...unique.values()];
}
