// The offline-media log's event type and the check that turns one raw record (JSON or CSV row) into it.
import { checkTimestamp } from '../timestamp.js';

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

export type RecordCheck = { ok: true; event: MediaEvent } | { ok: false; problem: string };

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
  if (!(MEDIA_EVENT_TYPES as readonly unknown[]).includes(eventName)) {
    return {
      ok: false,
      problem: `"event" must be one of ${MEDIA_EVENT_TYPES.join(', ')} (got ${show(eventName)})`,
    };
  }
  const event = eventName as MediaEventType;
  const ts = checkTimestamp('ts', value('ts'));
  if (!ts.ok) return ts;
  const media = value('media');
  if (typeof media !== 'string' || media.trim() === '')
    return { ok: false, problem: '"media" (the media id) is missing' };

  const mediumType = value('mediumType');
  if (mediumType !== undefined && !(OFFLINE_MEDIUM_TYPES as readonly unknown[]).includes(mediumType)) {
    return {
      ok: false,
      problem: `"mediumType" must be one of ${OFFLINE_MEDIUM_TYPES.join(', ')} (got ${show(mediumType)})`,
    };
  }

  const result: MediaEvent = { ts: ts.iso, event, media: media.trim() };
  if (mediumType !== undefined) result.mediumType = mediumType as OfflineMediumType;

  for (const key of ['dataset', 'file', 'location', 'notes', 'operator'] as const) {
    const text = value(key);
    if (text === undefined) continue;
    if (typeof text !== 'string') return { ok: false, problem: `"${key}" must be a string` };
    result[key] = text;
  }
  const sha256 = value('sha256');
  if (sha256 !== undefined) {
    if (typeof sha256 !== 'string' || !SHA256.test(sha256))
      return { ok: false, problem: '"sha256" must be 64 hex digits' };
    result.sha256 = sha256.toLowerCase();
  }
  const bytes = value('bytes');
  if (bytes !== undefined) {
    const count = typeof bytes === 'string' && /^\d+$/.test(bytes) ? Number(bytes) : bytes;
    if (typeof count !== 'number' || !Number.isSafeInteger(count) || count < 0) {
      return { ok: false, problem: '"bytes" must be a whole number ≥ 0' };
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
      if (!result[key]) return { ok: false, problem: `"${key}" is required on "${event}"` };
    }
  }
  if (event === 'written' && result.bytes === undefined)
    return { ok: false, problem: '"bytes" is required on "written"' };
  // A `verified` without a checksum says nothing that can be checked, so it is not evidence.
  if (event === 'verified' && !result.sha256) return { ok: false, problem: '"sha256" is required on "verified"' };
  return { ok: true, event: result };
}

function show(value: unknown): string {
  return value === undefined ? 'nothing' : JSON.stringify(value);
}
