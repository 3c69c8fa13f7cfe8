// Schema validation with ajv: its errors become problems that name the JSON path and the fix (schema-messages.ts).
import { Ajv, type ErrorObject } from 'ajv';
import type { ConfigProblem } from '../errors.js';
import { pointerPath } from './json-path.js';
import { configProblem } from './problem.js';
import { configSchema } from './schema.js';
import { describe, problemFor, TITLED_KINDS, valueAt } from './schema-messages.js';

const ajv = new Ajv({ allErrors: true, strict: false, verbose: true });
const validateSchema = ajv.compile(configSchema);

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

/** The JSON type of a value as JSON Schema names it ("integer" is also a "number"). */
function fitsType(value: unknown, type: unknown): boolean {
  if (type === 'integer') return Number.isInteger(value);
  if (type === 'array') return Array.isArray(value);
  if (type === 'object') return value !== null && typeof value === 'object' && !Array.isArray(value);
  if (type === 'null') return value === null;
  return typeof value === type;
}

/**
 * A titled anyOf/oneOf (a duration: a string with its unit or a number of seconds) makes ajv report
 * every branch. Keep the errors of the branch the value's JSON type selects ('"1 day" is not valid
 * here'), or, when no branch takes that type, one problem for the whole ("must be a duration").
 */
function titledAlternatives(errors: ErrorObject[], document: unknown): Array<ErrorObject | ConfigProblem> {
  // Where the alternative's own error was, so problems keep the document's order.
  const replaced = new Map<ErrorObject, ConfigProblem>();
  const dropped = new Set<ErrorObject>();
  for (const error of errors) {
    const title = (error.parentSchema as { title?: unknown } | undefined)?.title;
    const kind = typeof title === 'string' ? TITLED_KINDS[title] : undefined;
    if ((error.keyword !== 'anyOf' && error.keyword !== 'oneOf') || !kind) continue;
    const value = valueAt(document, error.instancePath);
    const chosen = (error.schema as Array<{ type?: unknown }>).findIndex((branch) => fitsType(value, branch.type));
    const below = (other: ErrorObject) =>
      other.instancePath === error.instancePath || other.instancePath.startsWith(`${error.instancePath}/`);
    for (const other of errors) {
      const branch = other.schemaPath.startsWith(`${error.schemaPath}/`) && below(other);
      if (branch && !other.schemaPath.startsWith(`${error.schemaPath}/${chosen}/`)) dropped.add(other);
    }
    dropped.add(error);
    if (chosen === -1) {
      replaced.set(
        error,
        configProblem(pointerPath(error.instancePath), 'config.wrong-kind', {
          kind: kind.noun,
          found: describe(value),
          advice: kind.hint,
        }),
      );
    }
  }
  return errors.flatMap((error): Array<ErrorObject | ConfigProblem> => {
    const replacement = replaced.get(error);
    if (replacement) return [replacement];
    return dropped.has(error) ? [] : [error];
  });
}

export function validateAgainstSchema(document: unknown): ConfigProblem[] {
  if (validateSchema(document)) return [];
  const errors = titledAlternatives(locationBranchErrors(validateSchema.errors ?? [], document), document);
  const problems = errors.map((error): ConfigProblem => {
    if (!('keyword' in error)) return error;
    if (error.keyword === 'oneOf' && /locations\/\d+$/.test(error.instancePath)) {
      const item = valueAt(document, error.instancePath);
      if (item === null || typeof item !== 'object' || Array.isArray(item)) {
        return configProblem(pointerPath(error.instancePath), 'config.location-not-object');
      }
      return configProblem(pointerPath(error.instancePath, 'type'), 'config.unknown-location-type');
    }
    return problemFor(error, document);
  });
  const unique = new Map(problems.map((p) => [`${p.path}|${p.message}`, p]));
  return [...unique.values()];
}
