// The summary report an agent sends: the run's verdicts and counts without the copy list, evidence cut
// to 20 copies a finding with the totals beside them, valid against its shipped schema, and bounded in
// size whatever the number of copies.
import { readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { Ajv } from 'ajv';
import ajvFormats from 'ajv-formats';
import pino from 'pino';
import t from 'tap';
import { canonicalJson, configDigest } from '../../src/config/digest.js';
import { loadConfig } from '../../src/config/load.js';
import { buildDemoEstate } from '../../src/demo/estate.js';
import type { AssessedCopy, EvidenceItem, Report } from '../../src/model.js';
import { summaryReportSchema } from '../../src/report-schema/summary-report.js';
import { buildSummaryReport, inventoryDigest } from '../../src/report/summary-report.js';
import { verify } from '../../src/verify/run.js';
import { runCli } from '../helpers/cli.js';

type AddFormats = (ajv: Ajv) => Ajv;
const addFormats = (
  typeof ajvFormats === 'function' ? ajvFormats : (ajvFormats as { default: AddFormats }).default
) as AddFormats;
const shipped = JSON.parse(readFileSync(new URL('../../schema/summary-report.schema.json', import.meta.url), 'utf8'));
const ajv = new Ajv({ allErrors: true, strict: true });
addFormats(ajv);
const validate = ajv.compile(shipped);
const errors = () => (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`).join('; ');

const CONTEXT = {
  instanceId: 'c0ffee00-0000-4000-8000-000000000001',
  seq: 7,
  trigger: 'schedule' as const,
  finishedAt: new Date('2026-12-06T10:00:05Z'),
  nextRunAt: new Date('2026-12-06T10:15:00Z'),
  configDigest: `sha256:${'0'.repeat(64)}`,
};

let estate: string;
let configFile: string;
let report: Report;

t.before(async () => {
  estate = t.testdir();
  ({ configFile } = buildDemoEstate(estate, new Date()));
  report = (await verify({ config: await loadConfig(configFile), logger: pino({ level: 'silent' }) })).report;
});

t.test('the committed schema file is the schema in the code', async (t) => {
  t.equal(
    readFileSync(new URL('../../schema/summary-report.schema.json', import.meta.url), 'utf8'),
    `${JSON.stringify(summaryReportSchema, null, 2)}\n`,
    'run `npm run schema` after changing src/report-schema/',
  );
});

t.test("the demo estate's summary validates and says what the report says, without the copies", async (t) => {
  const summary = buildSummaryReport(report, CONTEXT);
  const json = JSON.parse(JSON.stringify(summary));
  t.ok(validate(json), errors());
  t.match(json, {
    kind: 'summary',
    schemaVersion: 1,
    reportId: report.reportId,
    agent: { id: report.agent.id, instanceId: CONTEXT.instanceId },
    seq: 7,
    trigger: 'schedule',
    startedAt: report.generatedAt,
    finishedAt: '2026-12-06T10:00:05.000Z',
    nextRunAt: '2026-12-06T10:15:00.000Z',
    summary: report.summary,
  });
  t.notOk(JSON.stringify(json.datasets).includes('"copies":['), 'no copy list');
  for (const [i, dataset] of report.datasets.entries()) {
    const sent = json.datasets[i];
    t.equal(sent.verdict, dataset.verdict, `${dataset.id}: the verdict`);
    t.equal(sent.counts.copies, dataset.copies.length, `${dataset.id}: every copy counted`);
    t.equal(sent.counts.usable, dataset.copies.filter((c) => c.assessment.usable).length);
    for (const [j, finding] of dataset.findings.entries()) {
      const kept = sent.findings[j];
      t.match(kept, { check: finding.check, status: finding.status, reason: finding.reason, params: finding.params });
      t.same(kept.evidenceTotals, {
        counted: finding.evidence.counted?.length ?? 0,
        notCounted: finding.evidence.notCounted?.length ?? 0,
      });
    }
  }
  const erp = json.datasets.find((d: { id: string }) => d.id === 'erp-db');
  t.match(erp, { counts: { devices: 4, media: 3, offline: 2 }, rtoMs: 8 * 3_600_000 });
  t.type(erp.restoreEstimateMs, 'number');
  t.ok(erp.newestCopyAt <= report.generatedAt, 'the newest copy is not dated after the run');
});

/** The report with one dataset given `n` copies, each named in its findings' evidence. */
function withCopies(base: Report, n: number): Report {
  const clone = JSON.parse(JSON.stringify(base)) as Report;
  const dataset = clone.datasets[0] as Report['datasets'][number];
  const model = dataset.copies[0] as AssessedCopy;
  const copies: AssessedCopy[] = [];
  const items: EvidenceItem[] = [];
  for (let i = 0; i < n; i++) {
    const path = `/backup/erp/day-${String(i).padStart(7, '0')}.dump`;
    copies.push({ ...model, id: `local:${path}`, path, name: `day-${i}.dump` });
    items.push({ copy: `local:${path}`, note: i % 3 === 0 ? 'stale' : 'serial:4C530001' });
  }
  dataset.copies = copies;
  for (const finding of dataset.findings) {
    finding.evidence = { ...finding.evidence, counted: items, notCounted: items };
  }
  return clone;
}

t.test(
  'the summary is bounded: 20 evidence copies a finding, the not-counted ones first, and the same size for 100 or 100,000 copies',
  async (t) => {
    const small = buildSummaryReport(withCopies(report, 100), CONTEXT);
    const large = buildSummaryReport(withCopies(report, 100_000), CONTEXT);
    for (const finding of large.datasets[0]?.findings ?? []) {
      const evidence = finding.evidence as { counted: unknown[]; notCounted: unknown[] };
      t.equal(evidence.counted.length + evidence.notCounted.length, 20, `${finding.check}: 20 copies kept`);
      t.equal(evidence.notCounted.length, 10, `${finding.check}: half of them not counted`);
      t.same(finding.evidenceTotals, { counted: 100_000, notCounted: 100_000 });
    }
    t.equal(large.datasets[0]?.counts.copies, 100_000);
    const size = (value: unknown) => gzipSync(JSON.stringify(value)).length;
    t.ok(size(large) - size(small) < 512, `gzipped: ${size(small)} B at 100 copies, ${size(large)} B at 100,000`);
    t.ok(validate(JSON.parse(JSON.stringify(large))), errors());
  },
);

t.test('evidence that needs less than its half gives the room to the other list', async (t) => {
  const one = withCopies(report, 30);
  for (const finding of one.datasets[0]?.findings ?? [])
    finding.evidence.notCounted = [{ copy: 'local:/x', note: 'stale' }];
  const summary = buildSummaryReport(one, CONTEXT);
  const evidence = summary.datasets[0]?.findings[0]?.evidence as { counted: unknown[]; notCounted: unknown[] };
  t.equal(evidence.notCounted.length, 1);
  t.equal(evidence.counted.length, 19);
});

t.test('the inventory digest: the same copies in any order give the same digest, a changed copy another', async (t) => {
  const digest = inventoryDigest(report);
  t.match(digest, /^sha256:[0-9a-f]{64}$/);
  const shuffled = JSON.parse(JSON.stringify(report)) as Report;
  for (const dataset of shuffled.datasets) dataset.copies.reverse();
  t.equal(inventoryDigest(shuffled), digest, 'order does not matter');
  const changed = JSON.parse(JSON.stringify(report)) as Report;
  (changed.datasets[0]?.copies[0] as AssessedCopy).bytes += 1;
  t.not(inventoryDigest(changed), digest, 'a copy whose size changed changes the digest');
});

t.test('a newer agent may add fields anywhere; another major version is refused', async (t) => {
  const json = JSON.parse(JSON.stringify(buildSummaryReport(report, CONTEXT)));
  json.addedLater = { anything: true };
  json.datasets[0].addedLater = 1;
  json.datasets[0].findings[0].addedLater = 'x';
  json.sources[0].addedLater = [];
  t.ok(validate(json), errors());
  t.notOk(validate({ ...json, schemaVersion: 2 }), 'schemaVersion 2 is not this schema');
  t.notOk(validate({ ...json, trigger: 'cron' }), 'an unknown trigger is refused');
});

t.test('the config digest does not depend on key order or spacing, and changes with a setting', async (t) => {
  t.equal(canonicalJson({ b: 1, a: [2, { d: null, c: 'x' }] }), '{"a":[2,{"c":"x","d":null}],"b":1}');
  const document = JSON.parse(readFileSync(configFile, 'utf8'));
  const reordered = Object.fromEntries(Object.entries(document).reverse());
  const other = join(estate, 'reordered.json');
  writeFileSync(other, JSON.stringify(reordered));
  const a = configDigest(await loadConfig(configFile));
  t.equal(configDigest(await loadConfig(other)), a, 'same settings, same digest');
  writeFileSync(other, JSON.stringify({ ...document, policy: { ...document.policy, rpo: '12h' } }));
  t.not(configDigest(await loadConfig(other)), a, 'another rpo, another digest');
});

t.test('verify --format summary: the summary of a run by hand, this state dir its instance', async (t) => {
  const first = await runCli(['verify', '-c', configFile, '-f', 'summary']);
  t.equal(first.code, 2, 'the exit code is the verdict, as for every format');
  const summary = JSON.parse(first.stdout);
  t.ok(validate(summary), errors());
  t.match(summary, { trigger: 'manual', seq: null, nextRunAt: null });
  const stored = JSON.parse(readFileSync(join(estate, 'state', 'instance.json'), 'utf8'));
  t.equal(summary.agent.instanceId, stored.instanceId, 'the instance id is kept in the state dir');
  const second = JSON.parse((await runCli(['verify', '-c', configFile, '-f', 'summary'])).stdout);
  t.equal(second.agent.instanceId, summary.agent.instanceId, 'and stays the same');
  t.not(second.reportId, summary.reportId);
  t.equal(second.inventoryDigest, summary.inventoryDigest, 'nothing changed: the same inventory digest');
  const touched = join(estate, 'local', 'erp', 'erp-db-latest.dump');
  writeFileSync(touched, 'a different dump\n');
  utimesSync(touched, new Date(), new Date(Date.now() - 60_000));
  const third = JSON.parse((await runCli(['verify', '-c', configFile, '-f', 'summary'])).stdout);
  t.not(third.inventoryDigest, summary.inventoryDigest, 'a changed copy: another inventory digest');
});
