// The agent's /metrics page: the contract's names from a real summary report, accepted by promtool,
// a dataset gone from the config gone from the page, counters at 0 from the start.
import t from 'tap';
import { createAgentMetrics } from '../../src/agent/metrics.js';
import type { SummaryReport } from '../../src/report-schema/types.js';
import { CHECK_STATUSES, VERDICTS } from '../../src/report-schema/words.js';
import { demoSummary } from './demo-summary.js';
import { promtool, sample } from './promtool.js';

const CONTRACT = [
  'backup321_dataset_verdict',
  'backup321_check_status',
  'backup321_dataset_copies',
  'backup321_dataset_newest_copy_timestamp_seconds',
  'backup321_dataset_restore_estimate_seconds',
  'backup321_dataset_rto_seconds',
  'backup321_dataset_rpo_seconds',
  'backup321_last_run_timestamp_seconds',
  'backup321_run_duration_seconds',
  'backup321_runs_skipped_total',
  'backup321_outbox_reports',
  'backup321_outbox_bytes',
  'backup321_reports_sent_total',
  'backup321_send_failures_total',
  'backup321_reports_dropped_total',
];

let summary: SummaryReport;
t.before(async () => {
  summary = await demoSummary(t.testdir());
});

t.test('promtool tells a bad page from a good one', async (t) => {
  t.not(promtool(['check', 'metrics'], 'backup321_thing 1\n').code, 0, 'a metric without HELP is refused');
  t.equal(promtool(['check', 'metrics'], '').code, 0);
});

t.test("a fresh agent's page: every counter at 0, the outbox empty, no dataset yet", async (t) => {
  const metrics = createAgentMetrics({ sendFailureReasons: ['network', 'http-5xx'] });
  const page = await metrics.page();
  const check = promtool(['check', 'metrics'], page);
  t.equal(check.code, 0, check.output);
  for (const series of [
    'backup321_runs_skipped_total',
    'backup321_reports_sent_total',
    'backup321_send_failures_total{reason="network"}',
    'backup321_send_failures_total{reason="http-5xx"}',
    'backup321_reports_dropped_total{reason="outbox-full"}',
    'backup321_reports_dropped_total{reason="dead-letter"}',
    'backup321_outbox_reports',
    'backup321_outbox_bytes',
    'backup321_run_duration_seconds_count',
  ]) {
    t.equal(sample(page, series), 0, series);
  }
  t.notMatch(page, /dataset="/);
});

t.test("the demo estate's run: each dataset's verdict, checks, copies and times, accepted by promtool", async (t) => {
  const metrics = createAgentMetrics();
  metrics.recordRun(summary, { trigger: 'deep', durationSeconds: 42 });
  const page = await metrics.page();
  const check = promtool(['check', 'metrics'], page);
  t.equal(check.code, 0, check.output);
  for (const name of CONTRACT) t.match(page, new RegExp(`^# HELP ${name} \\S`, 'm'), `${name} has HELP`);
  t.ok(summary.datasets.length >= 3, 'the demo estate has several datasets');
  t.ok(new Set(summary.datasets.map((d) => d.verdict)).size >= 2, 'with different verdicts');
  for (const dataset of summary.datasets) {
    const d = `dataset="${dataset.id}"`;
    for (const verdict of VERDICTS) {
      t.equal(
        sample(page, `backup321_dataset_verdict{${d},verdict="${verdict}"}`),
        verdict === dataset.verdict ? 1 : 0,
      );
    }
    for (const finding of dataset.findings) {
      for (const status of CHECK_STATUSES) {
        const series = `backup321_check_status{${d},check="${finding.check}",status="${status}"}`;
        t.equal(sample(page, series), status === finding.status ? 1 : 0, series);
      }
    }
    t.equal(sample(page, `backup321_dataset_copies{${d},state="all"}`), dataset.counts.copies);
    t.equal(sample(page, `backup321_dataset_copies{${d},state="usable"}`), dataset.counts.usable);
    t.equal(sample(page, `backup321_dataset_copies{${d},state="counted"}`), dataset.counts.devices);
    t.equal(sample(page, `backup321_dataset_rto_seconds{${d}}`), dataset.rtoMs / 1000);
    t.equal(
      sample(page, `backup321_dataset_newest_copy_timestamp_seconds{${d}}`),
      dataset.newestCopyAt === null ? undefined : Date.parse(dataset.newestCopyAt) / 1000,
    );
    t.equal(
      sample(page, `backup321_dataset_restore_estimate_seconds{${d}}`),
      dataset.restoreEstimateMs === null ? undefined : dataset.restoreEstimateMs / 1000,
    );
    t.equal(sample(page, `backup321_dataset_rpo_seconds{${d}}`), 86_400, 'the demo policy: rpo 24h');
  }
  t.equal(sample(page, 'backup321_last_run_timestamp_seconds{trigger="deep"}'), Date.parse(summary.finishedAt) / 1000);
  t.equal(sample(page, 'backup321_run_duration_seconds_bucket{le="60"}'), 1);
  t.equal(sample(page, 'backup321_run_duration_seconds_bucket{le="30"}'), 0);
  t.equal(sample(page, 'backup321_run_duration_seconds_sum'), 42);
});

t.test('a dataset gone from the config is gone from the page on the next run', async (t) => {
  const metrics = createAgentMetrics();
  metrics.recordRun(summary, { trigger: 'schedule', durationSeconds: 1 });
  const [gone, ...kept] = summary.datasets;
  if (!gone) throw new Error('the demo estate has no dataset');
  t.match(await metrics.page(), `dataset="${gone.id}"`);
  metrics.recordRun({ ...summary, datasets: kept }, { trigger: 'schedule', durationSeconds: 1 });
  const page = await metrics.page();
  t.notMatch(page, `dataset="${gone.id}"`, `${gone.id} has no series left`);
  for (const dataset of kept) t.match(page, `backup321_dataset_verdict{dataset="${dataset.id}"`);
  t.equal(sample(page, 'backup321_run_duration_seconds_count'), 2);
  const check = promtool(['check', 'metrics'], page);
  t.equal(check.code, 0, check.output);
});

t.test('the outbox and the sender: gauges set, counters counted', async (t) => {
  const metrics = createAgentMetrics({ sendFailureReasons: ['network'] });
  metrics.setOutbox({ reports: 3, bytes: 12_345 });
  metrics.reportSent();
  metrics.reportSent();
  metrics.sendFailed('network');
  metrics.sendFailed('http-4xx');
  metrics.reportsDropped('outbox-full', 5);
  metrics.runSkipped();
  const page = await metrics.page();
  t.equal(sample(page, 'backup321_outbox_reports'), 3);
  t.equal(sample(page, 'backup321_outbox_bytes'), 12_345);
  t.equal(sample(page, 'backup321_reports_sent_total'), 2);
  t.equal(sample(page, 'backup321_send_failures_total{reason="network"}'), 1);
  t.equal(sample(page, 'backup321_send_failures_total{reason="http-4xx"}'), 1, 'a reason not named ahead counts too');
  t.equal(sample(page, 'backup321_reports_dropped_total{reason="outbox-full"}'), 5);
  t.equal(sample(page, 'backup321_reports_dropped_total{reason="dead-letter"}'), 0);
  t.equal(sample(page, 'backup321_runs_skipped_total'), 1);
});

t.test('two agents in one process keep their own registries', async (t) => {
  const a = createAgentMetrics();
  const b = createAgentMetrics();
  a.reportSent();
  t.equal(sample(await a.page(), 'backup321_reports_sent_total'), 1);
  t.equal(sample(await b.page(), 'backup321_reports_sent_total'), 0);
  t.not(a.registry, b.registry);
});
