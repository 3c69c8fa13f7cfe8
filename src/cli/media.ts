// `backup321 media write|offline|online|verify|retire`: operators append correct events to the offline-media log.
import { stat } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { basename, posix } from 'node:path';
import { UsageError } from '../errors.js';
import { createHostMedia } from '../host/index.js';
import { createCliLogger } from '../logging.js';
import { type Message, msg } from '../messages/index.js';
import { systemError } from '../messages/system-error.js';
import { attachedDevice } from '../sources/offline-log/attached.js';
import {
  type MediaEvent,
  type MediaEventType,
  OFFLINE_MEDIUM_TYPES,
  type OfflineMediumType,
} from '../sources/offline-log/events.js';
import type { MediaState } from '../sources/offline-log/state.js';
import { commandClock, isFutureDated } from '../sources/common/timestamp.js';
import { logLevel, oneOf, parse } from './args.js';
import { hashFile } from './hash-file.js';
import { langOption } from './lang.js';
import { mediaLogTarget } from './log-target.js';
import { appendMediaEvent, formatMediaEvent, readMediaLog } from './media-log.js';
import { printNote, printOut } from './output.js';
import { aheadOfClock } from './time-words.js';

export const MEDIA_HELP = `Usage: backup321 media <action> --media ID [options] [FILE...]

Appends one event per line to the offline-media log (never rewrites it) and prints each event as JSON.

Actions:
  write   --media ID --type TYPE --dataset ID FILE...   hash FILEs (sha256) and record them as written on the media
  verify  --media ID FILE...                            re-hash FILEs (read back from the media) and record the result
  verify  --media ID --file NAME --sha256 HEX           record a checksum read back by other means (e.g. the tape tool)
  offline --media ID                                    the media left the machine (vault, safe, off-site)
  online  --media ID                                    the media is back / attached again
  retire  --media ID                                    the media is destroyed or reused: its copies stop counting

Options:
      --log FILE          the log (.csv: CSV, otherwise JSON Lines); or:
  -c, --config FILE       take the log from the config's offline-log location …
      --location ID       … this one (needed when the config has several)
      --type TYPE         tape, removable-disk or optical (write: required for a new media)
      --dataset ID        dataset name as the config maps it (verify: default from the log)
      --prefix DIR        directory of the files on the media; the recorded file is DIR/basename(FILE)
      --where TEXT        where the media is kept now ("vault B, shelf 3")
      --notes TEXT        free text
      --operator NAME     who did it (default: $SUDO_USER or the current user)
      --lang LANG         en or vi: the language of errors and notes (default $BACKUP321_LANG, else en)
Exit code: 0 recorded; 1 recorded, but verify found a checksum different from the written one; 3 not recorded.
`;

const ACTIONS = ['write', 'verify', 'offline', 'online', 'retire'] as const;
type Action = (typeof ACTIONS)[number];
const EVENT_OF: Record<Action, MediaEventType> = {
  write: 'written',
  verify: 'verified',
  offline: 'offline',
  online: 'online',
  retire: 'retired',
};

const OPTIONS = {
  log: { type: 'string' },
  config: { type: 'string', short: 'c' },
  location: { type: 'string' },
  media: { type: 'string' },
  type: { type: 'string' },
  dataset: { type: 'string' },
  prefix: { type: 'string' },
  file: { type: 'string' },
  sha256: { type: 'string' },
  where: { type: 'string' },
  notes: { type: 'string' },
  operator: { type: 'string' },
  'log-level': { type: 'string' },
  lang: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

export async function runMediaCommand(args: string[]): Promise<number> {
  const [first, ...rest] = args;
  if (first === undefined || first === 'help' || first === '--help' || first === '-h') {
    await printOut(MEDIA_HELP);
    return first === undefined ? 3 : 0;
  }
  if (!(ACTIONS as readonly string[]).includes(first)) {
    throw new UsageError(msg('media.unknown-action', { action: first, actions: ACTIONS.join(', ') }));
  }
  const action = first as Action;
  const { values, positionals } = parse(rest, OPTIONS, true);
  if (values.help) {
    await printOut(MEDIA_HELP);
    return 0;
  }
  const lang = langOption(values.lang);
  const media = values.media?.trim();
  if (!media) throw new UsageError(msg('media.media-required'));
  if (action !== 'write' && action !== 'verify' && positionals.length > 0) {
    throw new UsageError(msg('media.takes-no-files', { action, files: positionals.join(' ') }));
  }
  const target = await mediaLogTarget(values);
  const log = await readMediaLog(target);
  const logged = log.media.get(media);
  if (logged?.state === 'retired') {
    throw new UsageError(msg('media.retired', { media, log: target.path, line: logged.line }));
  }
  const common: Omit<MediaEvent, 'ts' | 'event'> = {
    media,
    mediumType: mediumTypeOf(action, values.type, logged, media, target.path),
  };
  if (values.where) common.location = values.where;
  if (values.notes) common.notes = values.notes;
  common.operator = values.operator ?? operatorName();

  const note = (text: Message) => printNote(lang, text);
  let exitCode = 0;
  const record = async (event: MediaEvent): Promise<void> => {
    const appended = await appendMediaEvent(target, event);
    if (event.dataTime && !appended.dataTime) {
      note(msg('media.note.no-data-time', { log: target.path, file: event.file ?? '', dataTime: event.dataTime }));
    }
    await printOut(formatMediaEvent(appended, 'jsonl'));
  };

  if (action === 'write') {
    if (!values.dataset) throw new UsageError(msg('media.write-needs-dataset'));
    if (positionals.length === 0) throw new UsageError(msg('media.write-needs-files'));
    // Every file's time is checked before the first line is appended, so a refusal records nothing.
    for (const path of positionals) dataTimeOf(path, (await stat(path)).mtime);
    for (const path of positionals) {
      const { digest, modifiedAt } = await hashFile(path);
      const file = onMedia(values.prefix, path);
      await record({
        ts: now(),
        event: 'written',
        ...common,
        dataset: values.dataset,
        file,
        ...digest,
        dataTime: dataTimeOf(path, modifiedAt),
      });
    }
  } else if (action === 'verify') {
    const checks =
      values.sha256 !== undefined ? [checkGiven(values, positionals)] : positionals.map((path) => ({ path }));
    if (checks.length === 0) throw new UsageError(msg('media.verify-needs-files'));
    for (const check of checks) {
      const file = 'name' in check ? check.name : onMedia(values.prefix, check.path);
      const written = log.files.find((f) => f.media === media && f.file === file);
      const dataset = values.dataset ?? written?.dataset;
      if (!dataset) throw new UsageError(msg('media.no-written-file', { log: target.path, file, media }));
      const digest = 'name' in check ? { sha256: check.sha256 } : (await hashFile(check.path)).digest;
      await record({
        ts: now(),
        event: 'verified',
        ...common,
        dataset,
        file,
        ...digest,
      });
      if (written?.writtenSha256 && written.writtenSha256 !== digest.sha256) {
        note(msg('media.note.verify-mismatch', { file, media, sha256: digest.sha256, written: written.writtenSha256 }));
        exitCode = 1;
      }
    }
  } else {
    await record({ ts: now(), event: EVENT_OF[action], ...common });
    if (action === 'offline') await warnIfAttached(media, values['log-level'], note);
  }
  return exitCode;
}

function mediumTypeOf(
  action: Action,
  given: string | undefined,
  logged: MediaState | undefined,
  media: string,
  log: string,
): OfflineMediumType {
  if (given !== undefined) {
    const type = oneOf('type', given, OFFLINE_MEDIUM_TYPES, 'tape');
    if (logged?.mediumType && logged.mediumType !== type) {
      throw new UsageError(msg('media.type-mismatch', { media, known: logged.mediumType, log, type }));
    }
    return type;
  }
  if (logged?.mediumType) return logged.mediumType;
  // A typo in a media id must not silently start a new media: unknown ids need --type on purpose.
  throw new UsageError(msg(action === 'write' ? 'media.new-needs-type' : 'media.unknown-media', { media, log }));
}

function checkGiven(
  values: { file?: string; sha256?: string },
  positionals: string[],
): { name: string; sha256: string } {
  if (positionals.length > 0) throw new UsageError(msg('media.sha256-with-files'));
  if (!values.file) throw new UsageError(msg('media.sha256-needs-file'));
  const sha256 = (values.sha256 ?? '').toLowerCase();
  if (!/^[0-9a-f]{64}$/.test(sha256)) throw new UsageError(msg('media.sha256-format'));
  return { name: values.file, sha256 };
}

/** The file's name on the media: its basename, under --prefix. A host path says nothing about the media. */
function onMedia(prefix: string | undefined, path: string): string {
  return prefix ? posix.join(prefix, basename(path)) : basename(path);
}

/**
 * The copy's data time: when the file's data was made (its mtime), not when it was copied to the media,
 * so a 16-day-old dump copied today is 16 days old. A time ahead of the clock is refused like a
 * drill's: the copy would be future-dated (never fresh) for as long as the log is kept.
 */
function dataTimeOf(path: string, mtime: Date): string {
  const iso = mtime.toISOString();
  const clock = commandClock();
  if (isFutureDated(mtime.getTime(), clock)) {
    throw new UsageError(msg('media.future-mtime', { path, ...aheadOfClock(iso, clock) }));
  }
  return iso;
}

function now(): string {
  return new Date().toISOString();
}

function operatorName(): string {
  if (process.env.SUDO_USER) return process.env.SUDO_USER;
  try {
    return userInfo().username;
  } catch {
    return String(process.getuid?.() ?? 'unknown');
  }
}

/** Logging "offline" while the media is still plugged in is allowed, but it will not count: say so now. */
async function warnIfAttached(media: string, level: string | undefined, note: (text: Message) => void): Promise<void> {
  try {
    const devices = await createHostMedia({
      logger: createCliLogger(logLevel(level)),
    }).blockDevices();
    const device = attachedDevice(media, devices);
    if (device) note(msg('media.note.still-attached', { media, device: device.path }));
  } catch (error) {
    note(msg('media.note.attachment-unknown', { media, error: systemError(error) }));
  }
}
