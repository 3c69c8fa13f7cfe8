// A real summary report: the demo estate verified, as the agent would send it.
import pino from 'pino';
import { loadConfig } from '../../src/config/load.js';
import { buildDemoEstate } from '../../src/demo/estate.js';
import type { SummaryReport } from '../../src/report-schema/types.js';
import { buildSummaryReport } from '../../src/report/summary-report.js';
import { verify } from '../../src/verify/run.js';

export async function demoSummary(dir: string): Promise<SummaryReport> {
  const { configFile } = buildDemoEstate(dir, new Date());
  const { report } = await verify({ config: await loadConfig(configFile), logger: pino({ level: 'silent' }) });
  return buildSummaryReport(report, {
    instanceId: 'c0ffee00-0000-4000-8000-000000000001',
    seq: 1,
    trigger: 'schedule',
    finishedAt: new Date(Date.parse(report.generatedAt) + 5_000),
    nextRunAt: null,
    configDigest: `sha256:${'0'.repeat(64)}`,
  });
}
