// Every schema rule, broken one at a time: each gives a problem of our own words at the right path,
// with a hint, and nothing of Ajv's wording ("must NOT have fewer than 1 properties") reaches the user;
// the same problem reads in Vietnamese too.
import { Ajv } from 'ajv';
import t from 'tap';
import { jsonPath } from '../../src/config/json-path.js';
import { configFromDocument } from '../../src/config/load.js';
import { configSchema, LISTEN_PATTERN } from '../../src/config/schema.js';
import { problemText } from '../../src/messages/index.js';
import { VIETNAMESE } from '../helpers/vietnamese.js';

type Schema = Record<string, unknown>;
type Segment = string | number;

const ANNOTATIONS = new Set(['$schema', '$id', 'title', 'description']);
const RAW_AJV = /must NOT|must have required|must match|must be equal|must be [<>]=?|must pass|should /;

const SAMPLES: Record<string, string> = {
  '^https?://': 'https://collector.example',
  [LISTEN_PATTERN]: '127.0.0.1:9321',
};

/** A valid value for a schema, with every optional key present, so that every rule has something to break. */
function sample(schema: Schema): unknown {
  if ('const' in schema) return schema.const;
  if (Array.isArray(schema.enum)) return schema.enum[0];
  const alternatives = (schema.anyOf ?? schema.oneOf) as Schema[] | undefined;
  if (alternatives) return sample(alternatives[0] as Schema);
  switch (schema.type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const [key, child] of Object.entries((schema.properties ?? {}) as Record<string, Schema>)) {
        if (key !== '$schema') out[key] = sample(child);
      }
      return out;
    }
    case 'array': {
      const items = schema.items as Schema;
      // Locations: one item of each shape.
      if (Array.isArray(items.oneOf)) return (items.oneOf as Schema[]).map(sample);
      return [sample(items)];
    }
    case 'string': {
      if (typeof schema.pattern === 'string') {
        const known = SAMPLES[schema.pattern];
        if (known) return known;
        for (const candidate of ['24h', '2GiB', '300MB/s', 'x1'])
          if (new RegExp(schema.pattern).test(candidate)) return candidate;
        throw new Error(`no sample for the pattern ${schema.pattern}: add one to SAMPLES`);
      }
      return 'x'.repeat(Math.max(1, Number(schema.minLength ?? 1)));
    }
    case 'integer':
    case 'number':
      return schema.minimum ?? 1;
    case 'boolean':
      return true;
    default:
      throw new Error(`no sample for ${JSON.stringify(schema)}`);
  }
}

/** The complete document: ids that refer to each other where the cross-checks want them to. */
function fullDocument(): Record<string, unknown> {
  const doc = sample(configSchema as unknown as Schema) as {
    locations: Array<Record<string, unknown>>;
    datasets: Array<Record<string, unknown>>;
  };
  doc.locations.forEach((location, index) => {
    location.id = `l${index}`;
    if (location.type !== 's3') location.path = `/srv/l${index}`;
  });
  const [dataset] = doc.datasets;
  if (dataset) {
    dataset.copies = { l0: 'erp/*.dump' };
    dataset.primary = { location: 'l0', pattern: 'erp/db' };
  }
  // Cron expressions and a time zone the schedule's own check accepts.
  (doc as Record<string, unknown>).schedule = { verify: '*/15 * * * *', deepVerify: '30 2 * * *', timezone: 'UTC' };
  return doc;
}

interface Violation {
  rule: string;
  /** Where the problem must be reported. */
  path: Segment[];
  /** Breaks the rule in the document given; returns the document (a new one when the root is replaced). */
  apply: (doc: Record<string, unknown>) => unknown;
}

function parentOf(doc: unknown, path: Segment[]): Record<string | number, unknown> {
  let node = doc as Record<string | number, unknown>;
  for (const segment of path.slice(0, -1)) node = node[segment] as Record<string | number, unknown>;
  return node;
}

const setAt = (path: Segment[], value: unknown) => (doc: Record<string, unknown>) => {
  if (path.length === 0) return value;
  parentOf(doc, path)[path.at(-1) as Segment] = value;
  return doc;
};

/** One violation per rule in the schema, found by walking it beside the full document. */
function violations(schema: Schema, path: Segment[], value: unknown, out: Violation[] = []): Violation[] {
  const rule = (keyword: string) => `${keyword} at ${jsonPath(path) || '(document)'}`;
  for (const [keyword, argument] of Object.entries(schema)) {
    if (ANNOTATIONS.has(keyword)) continue;
    switch (keyword) {
      case 'type':
        out.push({ rule: rule(keyword), path, apply: setAt(path, argument === 'string' ? 42 : 'text') });
        break;
      case 'pattern':
        out.push({ rule: rule(keyword), path, apply: setAt(path, '!! not valid !!') });
        break;
      case 'enum':
        out.push({ rule: rule(keyword), path, apply: setAt(path, 'not-an-allowed-value') });
        break;
      case 'const':
        out.push({ rule: rule(keyword), path, apply: setAt(path, 'not-a-type') });
        break;
      case 'minimum':
        out.push({ rule: rule(keyword), path, apply: setAt(path, (argument as number) - 1) });
        break;
      case 'maximum':
        out.push({ rule: rule(keyword), path, apply: setAt(path, (argument as number) + 1) });
        break;
      case 'minLength':
        out.push({ rule: rule(keyword), path, apply: setAt(path, 'x'.repeat((argument as number) - 1)) });
        break;
      case 'maxLength':
        out.push({ rule: rule(keyword), path, apply: setAt(path, 'x'.repeat((argument as number) + 1)) });
        break;
      case 'minItems':
        out.push({ rule: rule(keyword), path, apply: setAt(path, []) });
        break;
      case 'minProperties':
        out.push({ rule: rule(keyword), path, apply: setAt(path, {}) });
        break;
      case 'required':
        for (const key of argument as string[]) {
          out.push({
            rule: `${rule(keyword)}: ${key}`,
            path: [...path, key],
            apply: (doc) => {
              delete (parentOf(doc, [...path, key]) as Record<string, unknown>)[key];
              return doc;
            },
          });
        }
        break;
      case 'additionalProperties':
        if (argument === false) {
          out.push({ rule: rule(keyword), path: [...path, 'notAKey'], apply: setAt([...path, 'notAKey'], 1) });
        } else {
          const [key] = Object.keys(value as object);
          if (key === undefined) throw new Error(`${rule(keyword)}: the full document has no entry to break`);
          violations(argument as Schema, [...path, key], (value as Record<string, unknown>)[key], out);
        }
        break;
      case 'properties':
        for (const [key, child] of Object.entries(argument as Record<string, Schema>)) {
          if (key !== '$schema') violations(child, [...path, key], (value as Record<string, unknown>)[key], out);
        }
        break;
      case 'items': {
        const items = argument as Schema;
        if (Array.isArray(items.oneOf)) {
          // One item per shape (locations): each shape's rules on the item of that shape.
          (items.oneOf as Schema[]).forEach((shape, index) => {
            violations(shape, [...path, index], (value as unknown[])[index], out);
          });
        } else {
          violations(items, [...path, 0], (value as unknown[])[0], out);
        }
        break;
      }
      case 'anyOf':
      case 'oneOf': {
        // A value of none of the alternatives' types, then each alternative's own rules (not its type).
        out.push({ rule: rule(keyword), path, apply: setAt(path, true) });
        for (const alternative of argument as Schema[]) {
          const { type, ...rules } = alternative;
          const branchValue = type === 'array' ? ['x'] : type === 'string' ? sample(alternative) : 1;
          const inBranch = violations(rules, path, branchValue);
          for (const violation of inBranch) {
            out.push({
              ...violation,
              rule: `${violation.rule} (${String(type)} form)`,
              apply: (doc) => violation.apply(setAt(path, branchValue)(doc) as Record<string, unknown>),
            });
          }
        }
        break;
      }
      default:
        out.push({
          rule: rule(keyword),
          path,
          apply: () => {
            throw new Error(`no violation known for the keyword "${keyword}": add one to this test`);
          },
        });
    }
  }
  return out;
}

const problemsOf = (doc: unknown) => configFromDocument(doc, '/etc/backup321/agent.json', {}).problems;
const ajv = new Ajv({ allErrors: true, strict: false });
const validate = ajv.compile(configSchema);

t.test('the full document every violation starts from is valid', async (t) => {
  t.same(problemsOf(fullDocument()), []);
});

t.test('every schema rule, broken: a problem of our own words at its path, with a hint', async (t) => {
  const all = violations(configSchema as unknown as Schema, [], fullDocument());
  const keywords = new Set(all.map((v) => v.rule.split(' ')[0]));
  t.ok(all.length > 100, `${all.length} violations`);
  t.same(
    [...keywords].sort(),
    [
      'additionalProperties',
      'anyOf',
      'const',
      'enum',
      'maxLength',
      'maximum',
      'minItems',
      'minLength',
      'minProperties',
      'minimum',
      'oneOf',
      'pattern',
      'required',
      'type',
    ],
    'the schema uses these keywords',
  );
  for (const violation of all) {
    const doc = violation.apply(fullDocument());
    validate(doc);
    const raw = (validate.errors ?? []).map((error) => error.message ?? '');
    t.ok(raw.length > 0, `${violation.rule}: the schema refuses it`);
    const problems = problemsOf(doc);
    const expected = jsonPath(violation.path);
    t.ok(
      problems.some((p) => p.path === expected),
      `${violation.rule}: a problem at ${expected}`,
      { problems },
    );
    for (const problem of problems) {
      const words = `${problem.message} ${problem.hint}`;
      t.ok(problem.message && problem.hint, `${violation.rule}: message and hint`, { problem });
      t.notMatch(words, RAW_AJV, `${violation.rule}: no Ajv wording`);
      t.notOk(
        raw.some((message) => message.length > 0 && words.includes(message)),
        `${violation.rule}: no Ajv message`,
        { problem, raw },
      );
    }
  }
});

t.test('every schema rule, broken: the problem in Vietnamese, every placeholder filled', async (t) => {
  const all = violations(configSchema as unknown as Schema, [], fullDocument());
  for (const violation of all) {
    for (const problem of problemsOf(violation.apply(fullDocument()))) {
      const vietnamese = problemText('vi', problem);
      for (const part of ['message', 'hint'] as const) {
        const text = vietnamese[part];
        t.notMatch(text, /\{\w+\}/, `${violation.rule}: no placeholder left in the ${part}`, { problem, text });
        t.match(text, VIETNAMESE, `${violation.rule}: the ${part} in Vietnamese: ${text}`);
        t.not(text, problem[part], `${violation.rule}: the ${part} is not the English one`);
      }
    }
  }
});

t.test('the reported case: a dataset whose copies name no location', async (t) => {
  const doc = fullDocument();
  (doc.datasets as Array<Record<string, unknown>>)[0] = { id: 'erp-db', copies: {} };
  t.match(problemsOf(doc), [
    { path: 'datasets[0].copies', message: 'must have at least 1 entry', hint: /e\.g\. \{"local": "erp\/\*\.dump"\}/ },
  ]);
});
