// The JSON format: the Report document itself, as the collector and scripts read it (schema/report.schema.json).
import type { Report } from '../../model.js';
import { jsonChunks } from './json-chunks.js';
import { jsonStandIns } from './json-stand-ins.js';

/**
 * The document in pieces (json-chunks.ts says why: a big report is too long for one string). Key
 * order is the object's own, so a report built in one place always serialises the same way.
 */
export function* renderJsonChunks(report: Report): Generator<string> {
  const standIns = jsonStandIns(report.datasets.map((dataset) => dataset.copies));
  yield* jsonChunks(report, '  ', 1 << 16, standIns);
  yield '\n';
}

export function renderJson(report: Report): string {
  return [...renderJsonChunks(report)].join('');
}
