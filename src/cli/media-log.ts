// The `media` command's view of the log: read it for look-ups, and append one event in the log's format.
import { readFile } from 'node:fs/promises';
import { errnoCode, LocalizedError } from '../errors.js';
import { appendLine } from '../log-append.js';
import { msg } from '../messages/index.js';
import { csvHeader, csvRow } from '../sources/offline-log/csv.js';
import { checkMediaRecord, MEDIA_LOG_COLUMNS, type MediaEvent } from '../sources/offline-log/events.js';
import { parseMediaLog } from '../sources/offline-log/parse.js';
import { type MediaReplay, replayMediaLog } from '../sources/offline-log/state.js';
import { commandClock } from '../sources/common/timestamp.js';
import type { MediaLogTarget } from './log-target.js';

/** The log replayed as the agent would read it; an absent log is an empty one (the first `write` creates it). */
export async function readMediaLog(target: MediaLogTarget): Promise<MediaReplay> {
  const text = await readText(target.path);
  return replayMediaLog(parseMediaLog(text, target.format, target.path).events, target.path, commandClock());
}

async function readText(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return '';
    throw error;
  }
}

/** The event as one line: JSON with a stable key order, or a CSV row in the order of the file's own header. */
export function formatMediaEvent(event: MediaEvent, format: MediaLogTarget['format'], header?: string[]): string {
  const ordered: Record<string, unknown> = {};
  for (const key of MEDIA_LOG_COLUMNS) if (event[key] !== undefined) ordered[key] = event[key];
  if (format === 'jsonl') return JSON.stringify(ordered);
  const columns = header ?? [...MEDIA_LOG_COLUMNS];
  const missing = Object.keys(ordered).filter((key) => !columns.includes(key));
  if (missing.length > 0) {
    throw new LocalizedError(msg('media.csv-missing-columns', { columns: missing }));
  }
  return csvRow(columns, ordered);
}

/**
 * Checks the event with the reader's own rules before writing, so the command can never append a line
 * that the agent would then reject as bad. Returns the event as appended: a CSV log begun before the
 * `dataTime` column existed gets the row without it (a header cannot be changed by appending, and a
 * new column would make every earlier row short).
 */
export async function appendMediaEvent(target: MediaLogTarget, event: MediaEvent): Promise<MediaEvent> {
  const checked = checkMediaRecord({ ...event });
  if (!checked.ok) throw new LocalizedError(msg('media.invalid-event', { problem: checked.problem }));
  if (target.format === 'jsonl') {
    appendLine(target.path, formatMediaEvent(event, 'jsonl'));
    return event;
  }
  // Read just before appending so the row follows the header of the file as it is now.
  const header = csvHeader(await readText(target.path));
  const { dataTime, ...withoutDataTime } = event;
  const appended = header && !header.includes('dataTime') ? withoutDataTime : event;
  appendLine(target.path, formatMediaEvent(appended, 'csv', header), {
    header: MEDIA_LOG_COLUMNS.join(','),
  });
  return appended;
}
