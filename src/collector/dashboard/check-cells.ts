// The fleet table's check cells as HTML, made once for each language and row of statuses and then
// reused: a page of 100 agents × 20 datasets has 14,000 cells, and writing each one through the
// template (four escaped values, an object per cell) was the largest part of the page's render. Most
// datasets pass every check, so a page needs a handful of distinct rows. The cell's markup is here,
// not in templates/fleet.ts: the template inserts the row as it is (`<%~ %>`), escaped here.
import type { Lang } from '../../lang.js';
import type { DatasetChecks } from '../store/types.js';
import { escapeMarkup } from './escape.js';
import { checkCells } from './labels.js';

/** Rows kept at most: statuses are four words over seven checks, so this is never reached by real data. */
const MAX_KEPT = 4096;
const made = new Map<string, string>();

/** A dataset's seven check cells, `<td>` by `<td>`, each on its own indented line as the template's other cells. */
export function checkCellsHtml(lang: Lang, dataset: DatasetChecks): string {
  let key = lang;
  for (const { check, status } of dataset.checks) key += `\n${check}\t${status}`;
  let html = made.get(key);
  if (html === undefined) {
    html = checkCells(lang, dataset)
      .map(
        (cell) =>
          `      <td class="chk cs-${escapeMarkup(cell.status)}" data-check="${escapeMarkup(cell.check)}" title="${escapeMarkup(cell.title)}">${escapeMarkup(cell.label)}</td>\n`,
      )
      .join('');
    if (made.size >= MAX_KEPT) made.clear();
    made.set(key, html);
  }
  return html;
}
