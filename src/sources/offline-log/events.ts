// The offline-media log's event type and the check that turns one raw record (JSON or CSV row) into it.
import type { Problem } from '../../issues.js';
import { checkTimestamp, refused } from '../common/timestamp.js';

export const MEDIA_EVENT_TYPES = ['written', 'offline', 'online', 'verified', 'retired'] as const;
export type MediaEventType = (typeof MEDIA_EVENT_TYPES)[number];

export const OFFLINE_MEDIUM_TYPES = ['tape', 'removable-disk', 'optical'] as const;
export type OfflineMediumType = (typeof OFFLINE_MEDIUM_TYPES)[number];

/** The columns of the log, in the order the CSV header uses when this product creates a CSV log. */
export const MEDIA_LOG_COLUMNS = [
  'ts',
  'event',
  'media',
  'mediumType',
  'dataset',
  'file',
  'sha256',
  'bytes',
  'dataTime',
  'location',
  'notes',
  'operator',
] as const;

export interface MediaEvent {
  /** ISO 8601, normalised to UTC (`toISOString`). */
  ts: string;
  event: MediaEventType;
  media: string;
  /**
   * Required on a media's first `written` (replay checks it: only it knows the media's history);
   * optional everywhere else, the media keeps the type it was first logged with.
   */
  mediumType?: OfflineMediumType;
  dataset?: string;
  file?: string;
  /** Lower-case hex. Absent on a `written` event means the copy is unverified (B321_NO_CHECKSUM). */
  sha256?: string;
  bytes?: number;
  /**
   * `written` only: when the data was made (the source file's mtime, as `media write` records it),
   * ISO 8601 normalised to UTC. A dump made 16 days ago and copied today is 16 days old, not fresh.
   */
  dataTime?: string;
  /** Where the media is kept (free text, e.g. "vault B, shelf 3"); not a config location id. */
  location?: string;
  notes?: string;
  operator?: string;
}

/** An event with where it came from, so every warning and every copy can point at its line. */
export interface LoggedEvent extends MediaEvent {
  line: number;
}

const SHA256 = /^[0-9a-fA-F]{64}$/;

/** `problem` in English for `media` commands; `why` for a log line's issue, in any language. */
export type RecordCheck = { ok: true; event: MediaEvent } | { ok: false; problem: string; why: Problem };

/**
 * Validates one record. Values may be strings (CSV) or typed (JSON); empty strings count as absent
 * so a CSV row can leave optional columns blank. Unknown keys are ignored (newer writers may add some).
 */
export function checkMediaRecord(record: Record<string, unknown>): RecordCheck {
  const value = (key: string): unknown => {
    const raw = record[key];
    return raw === '' || raw === null ? undefined : raw;
  };
  // `type` is accepted as an alias of `event` because hand-written logs often use it.
  const eventName = value('event') ?? value('type');
  if (!(MEDIA_EVENT_TYPES as readonly unknown[]).includes(eventName))
    return notOneOf('event', MEDIA_EVENT_TYPES, eventName);
  const event = eventName as MediaEventType;
  const ts = checkTimestamp('ts', value('ts'));
  if (!ts.ok) return ts;
  const media = value('media');
  if (typeof media !== 'string' || media.trim() === '') return refused({ problem: 'line.media-missing' });

  const mediumType = value('mediumType');
  if (mediumType !== undefined && !(OFFLINE_MEDIUM_TYPES as readonly unknown[]).includes(mediumType)) {
    return notOneOf('mediumType', OFFLINE_MEDIUM_TYPES, mediumType);
  }

  const result: MediaEvent = { ts: ts.iso, event, media: media.trim() };
  if (mediumType !== undefined) result.mediumType = mediumType as OfflineMediumType;

  for (const key of ['dataset', 'file', 'location', 'notes', 'operator'] as const) {
    const text = value(key);
    if (text === undefined) continue;
    if (typeof text !== 'string') return refused({ problem: 'line.not-string', field: key });
    result[key] = text;
  }
  const sha256 = value('sha256');
  if (sha256 !== undefined) {
    if (typeof sha256 !== 'string' || !SHA256.test(sha256)) return refused({ problem: 'line.sha256', field: 'sha256' });
    result.sha256 = sha256.toLowerCase();
  }
  const bytes = value('bytes');
  if (bytes !== undefined) {
    const count = typeof bytes === 'string' && /^\d+$/.test(bytes) ? Number(bytes) : bytes;
    if (typeof count !== 'number' || !Number.isSafeInteger(count) || count < 0) {
      return refused({ problem: 'line.bytes', field: 'bytes' });
    }
    result.bytes = count;
  }

  // Other events carry no data: a dataTime there says nothing and is ignored like an unknown key.
  const dataTime = event === 'written' ? value('dataTime') : undefined;
  if (dataTime !== undefined) {
    const checked = checkTimestamp('dataTime', dataTime);
    if (!checked.ok) return checked;
    result.dataTime = checked.iso;
  }

  if (event === 'written' || event === 'verified') {
    for (const key of ['dataset', 'file'] as const) {
      if (!result[key]) return refused({ problem: 'line.required-on', field: key, event });
    }
  }
  if (event === 'written' && result.bytes === undefined)
    return refused({ problem: 'line.required-on', field: 'bytes', event });
  // A `verified` without a checksum says nothing that can be checked, so it is not evidence.
  if (event === 'verified' && !result.sha256) return refused({ problem: 'line.required-on', field: 'sha256', event });
  return { ok: true, event: result };
}

function notOneOf(field: string, allowed: readonly string[], value: unknown): RecordCheck {
  const list = allowed.join(', ');
  if (value === undefined) return refused({ problem: 'line.not-one-of-none', field, allowed: list });
  return refused({ problem: 'line.not-one-of', field, allowed: list, got: JSON.stringify(value) });
}
