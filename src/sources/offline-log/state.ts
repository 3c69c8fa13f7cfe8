// Replays media events in time order: each media's state (its last event) and each file written on it.
import type { SourceIssue } from '../../model.js';
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
  /** The checksum the `written` event recorded (absent: written without one). */
  writtenSha256?: string;
  /** What the log says the file holds: the written checksum, or the latest `verified` one. */
  recordedSha256?: string;
  /** The line `recordedSha256` comes from: the `written` line, or the `verified` line when that gave a new value. */
  recordedLine?: number;
  /** Latest `verified` event for this media+file. */
  verifiedAt?: string;
  /** The latest `verified` checksum differs from the written one. */
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
 */
export function replayMediaLog(events: readonly LoggedEvent[], path: string): MediaReplay {
  const issues: SourceIssue[] = [];
  const warn = (code: string, event: LoggedEvent, message: string, dataset?: string): void => {
    issues.push({
      severity: 'warning',
      code,
      message,
      path,
      line: event.line,
      ...(dataset ? { dataset } : {}),
    });
  };

  let latest = '';
  let latestLine = 0;
  for (const event of events) {
    if (event.ts < latest) {
      warn(
        'B321_OUT_OF_ORDER',
        event,
        `${event.event} at ${event.ts} is earlier than line ${latestLine} (${latest}); ordered by time`,
      );
    } else {
      latest = event.ts;
      latestLine = event.line;
    }
  }

  const media = new Map<string, MediaState>();
  const files = new Map<string, MediaFile>();
  for (const event of sortEvents(events)) {
    let state = media.get(event.media);
    if (state?.state === 'retired') {
      warn(
        'B321_AFTER_RETIRED',
        event,
        `${event.event} for media ${event.media} after it was retired (line ${state.line}); ignored`,
      );
      continue;
    }
    if (!state) {
      if (event.event !== 'written') {
        warn(
          'B321_UNKNOWN_MEDIA',
          event,
          `${event.event} for media ${event.media}, which no earlier "written" event introduced`,
        );
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
      warn(
        'B321_MEDIA_CONFLICT',
        event,
        `media ${event.media} logged as ${event.mediumType}, but it was first logged as ${state.mediumType}; kept ${state.mediumType}`,
      );
    } else if (event.mediumType && !state.mediumType) {
      state.mediumType = event.mediumType;
    }
    state.state = event.event;
    state.since = event.ts;
    state.line = event.line;
    if (event.location) state.location = event.location;

    // On `written` the media always has a type here: the event must carry one (checkMediaRecord).
    if (event.event === 'written') recordWritten(event, state.mediumType as OfflineMediumType, files, warn);
    if (event.event === 'verified') recordVerified(event, files, warn);
  }
  return { media, files: [...files.values()], issues };
}

type Warn = (code: string, event: LoggedEvent, message: string, dataset?: string) => void;

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
  if (event.sha256) {
    record.writtenSha256 = event.sha256;
    record.recordedSha256 = event.sha256;
    record.recordedLine = event.line;
  } else {
    warn(
      'B321_NO_CHECKSUM',
      event,
      `${file} written on media ${event.media} without sha256; the copy is unverified`,
      dataset,
    );
  }
  const earlier = files.get(fileKey(event.media, file));
  if (
    earlier &&
    (earlier.bytes !== record.bytes || earlier.writtenSha256 !== record.writtenSha256 || earlier.dataset !== dataset)
  ) {
    // Rewriting a file on a tape is legitimate (an appended session), but the log then holds two stories.
    warn(
      'B321_REWRITTEN',
      event,
      `${file} on media ${event.media} was written before (line ${earlier.writtenLine}) with other data; this later event replaces it`,
      dataset,
    );
  }
  files.set(fileKey(event.media, file), record);
}

function recordVerified(event: LoggedEvent, files: Map<string, MediaFile>, warn: Warn): void {
  const record = files.get(fileKey(event.media, event.file ?? ''));
  if (!record) {
    warn(
      'B321_UNKNOWN_FILE',
      event,
      `verified ${event.file} on media ${event.media}, but no "written" event put it there`,
      event.dataset,
    );
    return;
  }
  const sha256 = event.sha256 ?? '';
  record.verifiedAt = event.ts;
  const written = record.writtenSha256;
  if (written === sha256) {
    // Confirms the written value: the evidence stays the written line, refreshed at this time.
    record.verifyMismatch = false;
    record.recordedSha256 = written;
    record.recordedLine = record.writtenLine;
    return;
  }
  if (written) {
    warn(
      'B321_VERIFY_MISMATCH',
      event,
      `verified ${record.file} on media ${event.media} with sha256 ${sha256}, but line ${record.writtenLine} wrote ${written}`,
      record.dataset,
    );
  }
  // The latest verification is what the media holds now; a mismatch is kept visible as a flag.
  record.verifyMismatch = written !== undefined;
  record.recordedSha256 = sha256;
  record.recordedLine = event.line;
}
