// A Report built the way verify builds one: from a real policy evaluation of the given copies, so its
// evidence lists are the lazy ones (src/policy/evidence.ts), not the fixture's plain arrays.
import type { Copy, Report } from '../../src/model.js';
import { evaluateDataset } from '../../src/policy/evaluate.js';
import { buildReport } from '../../src/report/build.js';
import { englishMessage } from '../../src/report/messages.js';
import { input, POLICY } from '../helpers/copies.js';

export function evaluatedReport(copies: Copy[]): Report {
  const data = input(copies);
  return buildReport({
    reportId: '00000000-0000-4000-8000-000000000000',
    startedAt: data.now,
    productVersion: '0.1.0',
    agentId: 'erp-01',
    host: { hostname: 'erp-01', os: 'linux', kernel: '6.1.0', arch: 'x64', nodeVersion: 'v20.20.0' },
    deep: false,
    datasetsSelected: null,
    durationMs: 1,
    policy: POLICY,
    datasets: [
      {
        config: { id: data.id, copies: { local: ['*.dump'], vault: ['erp-db'] }, policy: POLICY },
        locations: data.locations,
        evaluation: evaluateDataset(data),
      },
    ],
    sources: [],
    drills: { configured: true, readable: true, records: [], issues: [] },
    message: englishMessage,
  });
}
