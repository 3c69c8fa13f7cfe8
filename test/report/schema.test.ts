// schema/report.schema.json describes the Report document: a real report validates, broken ones do not.
import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import ajvFormats from 'ajv-formats';
import t from 'tap';
import { sourceIssue } from '../../src/issues.js';
import { renderJson } from '../../src/report/render/json.js';
import * as policyCopies from '../helpers/copies.js';
import { evaluatedReport } from './evaluated-report.js';
import { copy, sampleReport } from './fixture.js';

// ajv-formats is CommonJS: NodeNext types its plugin as the default's default, while at run time it is the default.
type AddFormats = (ajv: Ajv) => Ajv;
const addFormats = (
  typeof ajvFormats === 'function' ? ajvFormats : (ajvFormats as { default: AddFormats }).default
) as AddFormats;
const schema = JSON.parse(readFileSync(new URL('../../schema/report.schema.json', import.meta.url), 'utf8'));
const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
addFormats(ajv);
const validate = ajv.compile(schema);

const errors = () => (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`).join('; ');

t.test('the sample report, and its JSON rendering read back, validate', async (t) => {
  const report = sampleReport();
  t.ok(validate(report), errors());
  t.ok(validate(JSON.parse(renderJson(report))), errors());
});

t.test('a report built from an evaluation validates as JSON, its evidence lists written as arrays', async (t) => {
  const { DAY, copy: policyCopy, tapeCopy } = policyCopies;
  const copies = [
    policyCopy({ device: 'd1' }),
    policyCopy({ device: 'd1', path: '/backup/local/other.dump' }),
    policyCopy({ device: 'd2', ageMs: 2 * DAY }),
    tapeCopy(),
  ];
  const report = evaluatedReport(copies);
  const written = JSON.parse(renderJson(report));
  t.ok(validate(written), errors());
  const evidence = (check: string) =>
    written.datasets[0].findings.find((f: { check: string }) => f.check === check).evidence;
  t.same(evidence('copies').notCounted, [
    { copy: copies[1]?.id, note: 'same-device' },
    { copy: copies[2]?.id, note: 'stale' },
  ]);
  t.equal(evidence('media').counted.length, 3, 'the three usable copies, as an array');
});

t.test('a report with every optional copy field validates', async (t) => {
  const report = sampleReport();
  const full = copy('erp-db', 'cloud', 's3://corp-backup/erp/a.dump', {
    locationType: 's3',
    kind: 'object',
    medium: 'object-storage',
    immutable: { mode: 'COMPLIANCE', retainUntil: '2027-01-01T00:00:00.000Z', legalHold: false },
    hashedAt: '2026-11-24T11:00:00.000Z',
    recorded: { value: 'a'.repeat(64), source: 's3-checksum', ref: 's3://corp-backup/erp/a.dump' },
    restore: { retrievalMs: 0, throughputBytesPerSec: 1e8, throughputSource: 'measured', retrievalNote: 'STANDARD' },
    storageClass: 'STANDARD',
    offlineReason: 'not-offline',
  });
  report.datasets[0]?.copies.push(full);
  const params = { pattern: 'erp/*.dump', where: 'where.directory', root: '/backup' } as const;
  report.sources[0]?.issues.push(
    sourceIssue('B321_NO_MATCH', params, { severity: 'warning', dataset: 'erp-db', path: '/backup', line: 3 }),
  );
  t.ok(validate(report), errors());
  t.ok(validate(JSON.parse(renderJson(report))), `with the issue's params: ${errors()}`);
});

const BROKEN: [string, (report: ReturnType<typeof sampleReport>) => void][] = [
  ['no summary', (r) => Reflect.deleteProperty(r, 'summary')],
  ['an unknown verdict', (r) => Object.assign(r.datasets[0] ?? {}, { verdict: 'fine' })],
  ['an unknown check', (r) => Object.assign(r.datasets[0]?.findings[0] ?? {}, { check: 'vibes' })],
  ['an unknown status', (r) => Object.assign(r.datasets[0]?.findings[0] ?? {}, { status: 'ok' })],
  ['an extra top-level key', (r) => Object.assign(r, { extra: true })],
  ['an exit code outside 0–3', (r) => Object.assign(r.summary, { exitCode: 4 })],
  ['a sha256 that is not 64 hex digits', (r) => Object.assign(r.datasets[0]?.copies[0] ?? {}, { sha256: 'xyz' })],
  ['a copy without its assessment', (r) => Reflect.deleteProperty(r.datasets[0]?.copies[0] ?? {}, 'assessment')],
  ['a time that is not a date', (r) => Object.assign(r, { generatedAt: 'yesterday' })],
  ['another schema version', (r) => Object.assign(r, { schemaVersion: 2 })],
  ['a medium the model does not have', (r) => Object.assign(r.datasets[0]?.copies[0] ?? {}, { medium: 'floppy' })],
];

t.test('a run with a budget says what it read again; the summary the agent sends keeps it', async (t) => {
  const report = sampleReport();
  const scrub = {
    budgetBytes: 2e12,
    readBytes: 1.9e12,
    copiesRead: 14,
    totalBytes: 9.1e12,
    copiesTotal: 5000,
    copiesNotReadRecently: 30,
  };
  report.run = { ...report.run, deep: true, scrub };
  t.ok(validate(JSON.parse(renderJson(report))), errors());
  const missing = { ...scrub } as Partial<typeof scrub>;
  delete missing.copiesNotReadRecently;
  report.run = { ...report.run, scrub: missing as typeof scrub };
  t.notOk(validate(report), 'every figure is required');
});

t.test('broken reports do not validate', async (t) => {
  for (const [what, breakIt] of BROKEN) {
    const report = sampleReport();
    breakIt(report);
    t.notOk(validate(report), `a report with ${what} is rejected`);
  }
});
