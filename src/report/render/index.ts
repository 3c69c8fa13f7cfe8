// Picks the renderer for a --format value; the one entry point the CLI and the agent call.
import type { Report } from '../../model.js';
import type { RenderOptions } from './common.js';
import { renderHtml, renderHtmlChunks } from './html.js';
import { renderJson, renderJsonChunks } from './json.js';
import { renderJunit, renderJunitChunks } from './junit.js';
import { renderMarkdown, renderMarkdownChunks } from './markdown.js';
import { renderText, renderTextChunks } from './text.js';

export type { RenderOptions } from './common.js';
export {
  renderInventory,
  INVENTORY_FORMATS,
  type InventoryFormat,
} from './inventory.js';
export { renderHtml, renderJson, renderJunit, renderMarkdown, renderText };

export const REPORT_FORMATS = ['text', 'json', 'markdown', 'junit', 'html'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export function isReportFormat(value: string): value is ReportFormat {
  return (REPORT_FORMATS as readonly string[]).includes(value);
}

export function renderReport(report: Report, format: ReportFormat, options: RenderOptions): string {
  return [...renderReportChunks(report, format, options)].join('');
}

/**
 * The report in pieces, for a writer to send on as they come: JSON (the format that repeats every
 * copy most) in small pieces, the others a dataset at a time.
 */
export function renderReportChunks(report: Report, format: ReportFormat, options: RenderOptions): Iterable<string> {
  return RENDERERS[format](report, options);
}

const RENDERERS: Record<ReportFormat, (report: Report, options: RenderOptions) => Iterable<string>> = {
  text: renderTextChunks,
  json: renderJsonChunks,
  markdown: renderMarkdownChunks,
  junit: renderJunitChunks,
  html: renderHtmlChunks,
};
