// `backup321 media write|offline|online|verify|retire`: operators append correct events to the offline-media log.
import { stat } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { basename, posix } from 'node:path';
import { errorMessage, UsageError } from '../errors.js';
import { createHostMedia } from '../host/index.js';
import { createCliLogger } from '../logging.js';
import { attachedDevice } from '../sources/offline-log/attached.js';
import {
  type MediaEvent,
  type MediaEventType,
  OFFLINE_MEDIUM_TYPES,
  type OfflineMediumType,
} from '../sources/offline-log/events.js';
import type { MediaState } from '../sources/offline-log/state.js';
import { commandClock, futureDated, isFutureDated } from '../sources/timestamp.js';
import { logLevel, oneOf, parse } from './args.js';
import { hashFile } from './hash-file.js';
import { mediaLogTarget } from './log-target.js';
import { appendMediaEvent, formatMediaEvent, readMediaLog } from './media-log.js';
import { printOut } from './output.js';

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
  help: { type: 'boolean', short: 'h' },
} as const;

export async function runMediaCommand(args: string[]): Promise<number> {
  const [first, ...rest] = args;
  if (first === undefined || first === 'help' || first === '--help' || first === '-h') {
    await printOut(MEDIA_HELP);
    return first === undefined ? 3 : 0;
  }
  if (!(ACTIONS as readonly string[]).includes(first)) {
    throw new UsageError(`unknown action "${first}" (use ${ACTIONS.join(', ')})`);
  }
  const action = first as Action;
  const { values, positionals } = parse(rest, OPTIONS, true);
  if (values.help) {
    await printOut(MEDIA_HELP);
    return 0;
  }
  const media = values.media?.trim();
  if (!media) throw new UsageError('--media ID is required');
  if (action !== 'write' && action !== 'verify' && positionals.length > 0) {
    throw new UsageError(`media ${action} takes no files (got ${positionals.join(' ')})`);
  }
  const target = await mediaLogTarget(values);
  const log = await readMediaLog(target);
  const known = log.media.get(media);
  if (known?.state === 'retired') {
    throw new UsageError(`media ${media} was retired (${target.path}:${known.line}); give reused media a new id`);
  }
  const common: Omit<MediaEvent, 'ts' | 'event'> = {
    media,
    mediumType: mediumTypeOf(action, values.type, known, media, target.path),
  };
  if (values.where) common.location = values.where;
  if (values.notes) common.notes = values.notes;
  common.operator = values.operator ?? operatorName();

  let exitCode = 0;
  const record = async (event: MediaEvent): Promise<void> => {
    const appended = await appendMediaEvent(target, event);
    if (event.dataTime && !appended.dataTime) {
      process.stderr.write(
        `media write: ${target.path} has no dataTime column, so ${event.file}'s data time (${event.dataTime}) is not recorded: its copy's age counts from now, when it was written to the media (a new CSV log gets the column)\n`,
      );
    }
    await printOut(formatMediaEvent(appended, 'jsonl'));
  };

  if (action === 'write') {
    if (!values.dataset) throw new UsageError('media write needs --dataset ID');
    if (positionals.length === 0) throw new UsageError('media write needs the FILE(s) written on the media');
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
    if (checks.length === 0) throw new UsageError('media verify needs FILE(s) to re-hash, or --file NAME --sha256 HEX');
    for (const check of checks) {
      const file = 'name' in check ? check.name : onMedia(values.prefix, check.path);
      const written = log.files.find((f) => f.media === media && f.file === file);
      const dataset = values.dataset ?? written?.dataset;
      if (!dataset)
        throw new UsageError(`${target.path} has no "written" event for ${file} on ${media}; pass --dataset ID`);
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
        process.stderr.write(
          `media verify: ${file} on ${media} now reads ${digest.sha256}, but was written as ${written.writtenSha256}\n`,
        );
        exitCode = 1;
      }
    }
  } else {
    await record({ ts: now(), event: EVENT_OF[action], ...common });
    if (action === 'offline') await warnIfAttached(media, values['log-level']);
  }
  return exitCode;
}

function mediumTypeOf(
  action: Action,
  given: string | undefined,
  known: MediaState | undefined,
  media: string,
  log: string,
): OfflineMediumType {
  if (given !== undefined) {
    const type = oneOf('type', given, OFFLINE_MEDIUM_TYPES, 'tape');
    if (known?.mediumType && known.mediumType !== type) {
      throw new UsageError(`media ${media} is a ${known.mediumType} in ${log}, not ${type}; check the media id`);
    }
    return type;
  }
  if (known?.mediumType) return known.mediumType;
  // A typo in a media id must not silently start a new media: unknown ids need --type on purpose.
  throw new UsageError(
    action === 'write'
      ? `media ${media} is new in ${log}: pass --type tape|removable-disk|optical`
      : `media ${media} has no "written" event in ${log}; check the id, or pass --type to record it anyway`,
  );
}

function checkGiven(
  values: { file?: string; sha256?: string },
  positionals: string[],
): { name: string; sha256: string } {
  if (positionals.length > 0)
    throw new UsageError('with --sha256, name the file with --file NAME instead of FILE arguments');
  if (!values.file) throw new UsageError('--sha256 needs --file NAME (the file as recorded on the media)');
  const sha256 = (values.sha256 ?? '').toLowerCase();
  if (!/^[0-9a-f]{64}$/.test(sha256)) throw new UsageError('--sha256 must be 64 hex digits');
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
    throw new UsageError(
      `${path}: its modification time ${futureDated(iso, clock)}; fix the clock or the file's time before recording it`,
    );
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
async function warnIfAttached(media: string, level: string | undefined): Promise<void> {
  try {
    const devices = await createHostMedia({
      logger: createCliLogger(logLevel(level)),
    }).blockDevices();
    const device = attachedDevice(media, devices);
    if (device) {
      process.stderr.write(
        `media offline: ${media} is still attached as ${device.path}; it counts as offline only once detached\n`,
      );
    }
  } catch (error) {
    process.stderr.write(
      `media offline: could not list block devices to check ${media} is detached (${errorMessage(error)})\n`,
    );
  }
}
