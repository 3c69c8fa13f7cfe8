// Arbitraries of the logs' valid records (offline-media events, restore drills) for the fuzz tests,
// and the bookkeeping every log reader promises: each line that is not blank is read as a record,
// named by an issue with its line number, or left as the half-written last line; nothing else.
import fc from 'fast-check';
import { MEDIA_EVENT_TYPES, OFFLINE_MEDIUM_TYPES } from '../../src/sources/offline-log/events.js';

export const NOW_MS = Date.parse('2026-12-06T10:00:00Z');
const iso = fc
  .integer({ min: Date.parse('2000-01-01T00:00:00Z'), max: NOW_MS })
  .map((ms) => new Date(ms).toISOString());
const text = fc.string({ minLength: 1, maxLength: 30 }).filter((s) => s.trim() !== '');
const hex64 = fc.stringMatching(/^[0-9a-f]{64}$/);

/** A media event valid for any event type: every field present and well formed. */
export const mediaRecord = fc.record({
  ts: iso,
  event: fc.constantFrom(...MEDIA_EVENT_TYPES),
  media: text,
  mediumType: fc.constantFrom(...OFFLINE_MEDIUM_TYPES),
  dataset: text,
  file: text,
  sha256: hex64,
  bytes: fc.nat(),
  dataTime: iso,
  location: text,
  notes: fc.string({ maxLength: 30 }),
  operator: text,
});

export const drillRecord = fc.tuple(iso, fc.integer({ min: 0, max: 86_400_000 })).chain(([startedAt, tookMs]) =>
  fc.record({
    dataset: text,
    startedAt: fc.constant(startedAt),
    finishedAt: fc.constant(new Date(Math.min(NOW_MS, Date.parse(startedAt) + tookMs)).toISOString()),
    result: fc.constantFrom('success', 'failure'),
    location: text,
    notes: fc.string({ maxLength: 30 }),
    bytes: fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
  }),
);

/** The 1-based numbers of the lines that are not blank (after a BOM and a CR are set aside). */
export function nonBlankLines(body: string): number[] {
  const lines = (body.startsWith('\uFEFF') ? body.slice(1) : body).split('\n');
  if (body.endsWith('\n')) lines.pop();
  return lines.flatMap((line, index) => (line.replace(/\r$/, '').trim() === '' ? [] : [index + 1]));
}

/** Whether `read`, `issued` and `pending` cover each of `expected` exactly once. */
export function accounted(expected: number[], read: number[], issued: number[], pending: number | undefined): boolean {
  const seen = [...read, ...issued, ...(pending === undefined ? [] : [pending])].sort((a, b) => a - b);
  return seen.length === expected.length && seen.every((line, i) => line === expected[i]);
}
