// Replays media events in time order: each media's state (its last event) and each file written on it.
import type { IssueCode, IssueParams, IssueSeverity, PhraseKey } from '../../codes.js';
import { sourceIssue } from '../../issues.js';
import type { SourceIssue } from '../../model.js';
import { futureParams, isFutureDated, type LogClock } from '../common/timestamp.js';
import type { LoggedEvent, MediaEventType, OfflineMediumType } from './events.js';

export interface MediaState {
  id: string;
  /** The type the media was first logged with; later conflicting types are warned about, not taken. */
  mediumType?: OfflineMediumType;
  /** The media's last event (after time-ordering; events after `retired` are ignored). */
  state: MediaEventType;
  /** When the media entered `state`. */
  since: string;
  line: number;
  /** The last logged whereabouts, if any event gave one. */
  location?: string;
}

export interface MediaFile {
  media: string;
  mediumType: OfflineMediumType;
  dataset: string;
  file: string;
  bytes: number;
  writtenAt: string;
  writtenLine: number;
  /** When the data was made (the `written` event's dataTime), if the log says. */
  dataTime?: string;
  /** The checksum the `written` event recorded (absent: written without one). */
  writtenSha256?: string;
  /**
   * What the file should hold: the written checksum, or (written without one) the latest `verified`
   * one. A verify that disagrees with the written checksum does not replace it: it finds the copy corrupt.
   */
  recordedSha256?: string;
  /** The line `recordedSha256` comes from: the `written` line, or the `verified` line that gave the value. */
  recordedLine?: number;
  /** Latest `verified` event for this media+file. */
  verifiedAt?: string;
  /** The latest `verified` checksum differs from the written one: what the media holds is not what was written. */
  verifyMismatch: boolean;
}

export interface MediaReplay {
  media: Map<string, MediaState>;
  files: MediaFile[];
  issues: SourceIssue[];
}

/** Time order, stable on ties by line order (ISO UTC strings compare correctly as text). */
export function sortEvents(events: readonly LoggedEvent[]): LoggedEvent[] {
  return [...events].sort((a, b) => (a.ts < b.ts ? -1 : a.ts > b.ts ? 1 : a.line - b.line));
}

/**
 * Decisions (see docs/offline-media.md): an event for a media with no earlier `written` is warned
 * (B321_UNKNOWN_MEDIA) but still sets its state, since the log may have started after the media was
 * written; `retired` is final, so later events are warned (B321_AFTER_RETIRED) and ignored — reuse a
 * tape under a new media id; a second `written` of the same file on the same media replaces the first.
 * An event dated further ahead of `clock` than its skew is warned (B321_FUTURE_TIME) and decides
 * nothing: a typo'd `offline` in 2062 would otherwise keep a tape "offline" for decades. A future
 * `written` still lists its file (with that time, so the policy sees it), but sets no state.
 */
export function replayMediaLog(events: readonly LoggedEvent[], path: string, clock: LogClock): MediaReplay {
  const issues: SourceIssue[] = [];
  const warn: Warn = (code, event, params, dataset) => {
    // Every code the replay raises is a warning (the registry says so; the cast is for the generic code).
    const severity = 'warning' as IssueSeverity<typeof code>;
    issues.push(sourceIssue(code, params, { severity, path, line: event.line, dataset: dataset || undefined }));
  };

  const future = new Set<LoggedEvent>();
  for (const event of events) {
    if (!isFutureDated(Date.parse(event.ts), clock)) continue;
    future.add(event);
    const params = { when: 'future.event-at', means: FUTURE_MEANS[event.event], event: event.event } as const;
    warn('B321_FUTURE_TIME', event, { ...params, ...futureParams(event.ts, clock) });
  }

  let latest = '';
  let latestLine = 0;
  for (const event of events) {
    // A future event has its own warning; the lines after it are not out of order because of it.
    if (future.has(event)) continue;
    if (event.ts < latest) {
      const params = { event: event.event, time: event.ts, previousLine: latestLine, previousTime: latest };
      warn('B321_OUT_OF_ORDER', event, params);
    } else {
      latest = event.ts;
      latestLine = event.line;
    }
  }

  const media = new Map<string, MediaState>();
  const files = new Map<string, MediaFile>();
  for (const event of sortEvents(events)) {
    const isFuture = future.has(event);
    if (isFuture && event.event !== 'written') continue;
    let state = media.get(event.media);
    if (state?.state === 'retired') {
      warn('B321_AFTER_RETIRED', event, { event: event.event, mediaId: event.media, retiredLine: state.line });
      continue;
    }
    const mediumType = state?.mediumType ?? event.mediumType;
    if (event.event === 'written' && !mediumType) {
      // Later `written` events may leave it out (the media keeps its type); the first must say it.
      warn('B321_BAD_LINE', event, { problem: 'line.first-written-type', mediaId: event.media });
      continue;
    }
    if (!state) {
      if (event.event !== 'written') {
        warn('B321_UNKNOWN_MEDIA', event, { event: event.event, mediaId: event.media });
      }
      state = {
        id: event.media,
        state: event.event,
        since: event.ts,
        line: event.line,
      };
      if (event.mediumType) state.mediumType = event.mediumType;
      media.set(event.media, state);
    } else if (event.mediumType && state.mediumType && event.mediumType !== state.mediumType) {
      const params = { mediaId: event.media, mediumType: event.mediumType, firstType: state.mediumType };
      warn('B321_MEDIA_CONFLICT', event, params);
    } else if (event.mediumType && !state.mediumType) {
      state.mediumType = event.mediumType;
    }
    if (!isFuture) {
      state.state = event.event;
      state.since = event.ts;
      state.line = event.line;
      if (event.location) state.location = event.location;
    }

    // On `written` the media has a type here (checked above).
    if (event.event === 'written') recordWritten(event, mediumType as OfflineMediumType, files, warn);
    if (event.event === 'verified') recordVerified(event, files, warn);
  }
  return { media, files: [...files.values()], issues };
}

/** What a future-dated event does (and does not do), for its warning. */
const FUTURE_MEANS: Record<MediaEventType, PhraseKey> = {
  written: 'future.written',
  offline: 'future.state',
  online: 'future.state',
  retired: 'future.state',
  verified: 'future.verified',
};

type Warn = <C extends IssueCode>(code: C, event: LoggedEvent, params: IssueParams<C>, dataset?: string) => void;

function fileKey(media: string, file: string): string {
  return `${media}\u0000${file}`;
}

function recordWritten(
  event: LoggedEvent,
  mediumType: OfflineMediumType,
  files: Map<string, MediaFile>,
  warn: Warn,
): void {
  // checkMediaRecord guarantees dataset, file and bytes on `written`.
  const dataset = event.dataset ?? '';
  const file = event.file ?? '';
  const record: MediaFile = {
    media: event.media,
    mediumType,
    dataset,
    file,
    bytes: event.bytes ?? 0,
    writtenAt: event.ts,
    writtenLine: event.line,
    verifyMismatch: false,
  };
  if (event.dataTime) record.dataTime = event.dataTime;
  if (event.sha256) {
    record.writtenSha256 = event.sha256;
    record.recordedSha256 = event.sha256;
    record.recordedLine = event.line;
  } else {
    warn('B321_NO_CHECKSUM', event, { file, mediaId: event.media }, dataset);
  }
  const earlier = files.get(fileKey(event.media, file));
  if (
    earlier &&
    (earlier.bytes !== record.bytes || earlier.writtenSha256 !== record.writtenSha256 || earlier.dataset !== dataset)
  ) {
    // Rewriting a file on a tape is legitimate (an appended session), but the log then holds two stories.
    warn('B321_REWRITTEN', event, { file, mediaId: event.media, earlierLine: earlier.writtenLine }, dataset);
  }
  files.set(fileKey(event.media, file), record);
}

function recordVerified(event: LoggedEvent, files: Map<string, MediaFile>, warn: Warn): void {
  const record = files.get(fileKey(event.media, event.file ?? ''));
  if (!record) {
    warn('B321_UNKNOWN_FILE', event, { file: event.file ?? '', mediaId: event.media }, event.dataset);
    return;
  }
  const sha256 = event.sha256 ?? '';
  record.verifiedAt = event.ts;
  const written = record.writtenSha256;
  if (written === sha256) {
    // Confirms the written value (and clears an earlier bad read): the evidence stays the written line.
    record.verifyMismatch = false;
    return;
  }
  if (written) {
    // The latest verification is what the media holds now: not what was written, so the copy is corrupt.
    const params = {
      file: record.file,
      mediaId: event.media,
      sha256,
      writtenLine: record.writtenLine,
      writtenSha256: written,
    };
    warn('B321_VERIFY_MISMATCH', event, params, record.dataset);
    record.verifyMismatch = true;
    return;
  }
  // Written without a checksum: the latest value read back is what the copy is recorded to hold.
  record.recordedSha256 = sha256;
  record.recordedLine = event.line;
}
