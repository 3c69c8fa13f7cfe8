// The JSON format: the Report document itself, as the collector and scripts read it (schema/report.schema.json).
import type { Report } from '../../model.js';

/** Key order is the object's own, so a report built in one place always serialises the same way. */
export function renderJson(report: Report): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
