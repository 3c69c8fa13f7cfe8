// `backup321 inventory`: every copy found, as an aligned table for people or JSON for scripts.
import type { AssessedCopy, Copy } from '../../model.js';
import { ui } from '../i18n/index.js';
import { copyCells, layoutTable, type RenderOptions, showControls, viewOf } from './common.js';
import { jsonChunks } from './json-chunks.js';
import { jsonStandIns } from './json-stand-ins.js';

export const INVENTORY_FORMATS = ['text', 'json'] as const;
export type InventoryFormat = (typeof INVENTORY_FORMATS)[number];

/**
 * JSON is the copies as the model defines them (full sha256, device, restore path …), so scripts get every
 * fact; the table shows the columns an operator scans: dataset, location, path, size, time, sha256, medium, device.
 */
export function renderInventory(
  copies: (AssessedCopy | Copy)[],
  format: InventoryFormat,
  options: RenderOptions,
): string {
  return [...renderInventoryChunks(copies, format, options)].join('');
}

/** The same text in pieces: a million copies as JSON are longer than one string may be (json-chunks.ts). */
export function* renderInventoryChunks(
  copies: (AssessedCopy | Copy)[],
  format: InventoryFormat,
  options: RenderOptions,
): Generator<string> {
  if (format === 'json') {
    yield* jsonChunks(copies, '  ', 1 << 16, jsonStandIns([copies]));
    yield '\n';
  } else yield inventoryTable(copies, options);
}

function inventoryTable(copies: (AssessedCopy | Copy)[], options: RenderOptions): string {
  const { lang } = options;
  if (copies.length === 0) return `${ui(lang, 'noCopies')}\n`;
  const header = [
    ui(lang, 'dataset'),
    ui(lang, 'location'),
    ui(lang, 'path'),
    ui(lang, 'size'),
    ui(lang, 'modified'),
    ui(lang, 'sha256'),
    ui(lang, 'medium'),
    ui(lang, 'device'),
  ];
  const view = viewOf(options, true);
  const rows = copies.map((copy) => {
    const c = copyCells(copy, view);
    // The full sha256 (viewOf above): inventory output is what an operator compares with `sha256sum`.
    return [copy.dataset, c.location, c.path, c.size, c.modified, c.sha256, c.medium, c.device].map(showControls);
  });
  const table = layoutTable([header, ...rows], '');
  const bold = (text: string) => (options.color ? `\x1b[1m${text}\x1b[0m` : text);
  return `${[bold(table[0] ?? ''), ...table.slice(1)].join('\n')}\n`;
}
