// The one table of backup321's stable codes (B321_*): what each means, and each source issue's English message.

/*
 * Users and tests match on codes, never on message text. A source issue's message is filled from the
 * template below with the issue's params (src/issues.ts), and the report's catalogs translate the same
 * template (src/report/i18n): the JSON keeps the English message and the params beside it. A param
 * named in `phrases` holds a key of PHRASES (joined with "+" for several, shown "; "-separated): the
 * part of a message that varies between the places that raise the code, in words a catalog translates.
 * Values (paths, ids, times, OS and SDK error texts) are shown as they are, in every language.
 * docs/issue-codes.md is generated from this table (`npm run codes`); a test fails when it is stale.
 */

type Severity = 'warning' | 'error';

interface IssueEntry {
  kind: 'source-issue';
  /** The severities it is raised with (some codes are an error in one place and a warning in another). */
  severity: readonly Severity[];
  /** One line for the docs. */
  summary: string;
  /** English, with {param} placeholders. */
  message: string;
  /** Params whose value is a key of PHRASES. */
  phrases?: readonly string[];
}

interface ErrorEntry {
  /** Thrown as an Error's `code`, never a source issue. */
  kind: 'error';
  summary: string;
}

export const CODES = {
  // The location as a whole (disk).
  B321_LOCATION_MISSING: {
    kind: 'source-issue',
    severity: ['error'],
    summary: 'The disk location path does not exist: its datasets are not read.',
    message: 'location directory does not exist: {path}',
  },
  B321_NOT_A_DIRECTORY: {
    kind: 'source-issue',
    severity: ['error'],
    summary: 'The disk location path is not a directory.',
    message: 'location is not a directory: {path}',
  },
  B321_HOST_MEDIA: {
    kind: 'source-issue',
    severity: ['warning'],
    summary: "The host could not tell a path's medium: the directory's own device is used.",
    message: 'cannot resolve the medium of {path}: {detail}',
  },
  B321_ABORTED: {
    kind: 'source-issue',
    severity: ['error'],
    summary: 'The run was stopped (SIGTERM) before the location was read to the end.',
    message: 'inventory of {root} stopped: {detail}',
  },
  B321_NOT_ANSWERING: {
    kind: 'source-issue',
    severity: ['error'],
    summary:
      'A read of the location did not return within its readTimeout (a hung network mount, a stopped FUSE server): the location is given up on for this run.',
    message: 'location {root} did not answer within {within}: a read of {path} has not returned',
  },
  // Reading files and directories (disk, and the operators' logs).
  B321_EACCES: {
    kind: 'source-issue',
    severity: ['error', 'warning'],
    summary: 'Permission denied (EACCES, EPERM): an error where a dataset cannot be judged, a warning for one file.',
    message: 'permission denied reading {target} {path}: {detail}',
    phrases: ['target'],
  },
  B321_IO_ERROR: {
    kind: 'source-issue',
    severity: ['error', 'warning'],
    summary: 'The device answered a read with an I/O error (EIO): the medium may be failing.',
    message: 'input/output error reading {target} {path}, the device may be failing: {detail}',
    phrases: ['target'],
  },
  B321_READ_ERROR: {
    kind: 'source-issue',
    severity: ['error', 'warning'],
    summary: 'Any other failed read, with the system error.',
    message: 'cannot read {target} {path}: {detail}',
    phrases: ['target'],
  },
  B321_STAT_ERROR: {
    kind: 'source-issue',
    severity: ['warning'],
    summary: 'An entry of the walk could not be stat()ed: it is skipped.',
    message: 'cannot stat {path}: {detail}',
  },
  B321_VANISHED: {
    kind: 'source-issue',
    severity: ['warning'],
    summary: 'An entry was deleted while the run read it.',
    message: '{target} vanished while this run was reading it: {path}',
    phrases: ['target'],
  },
  B321_CHANGED_WHILE_HASHING: {
    kind: 'source-issue',
    severity: ['warning'],
    summary: 'A file or object changed while it was read: its hash is not kept, the copy is unverified.',
    message: '{path} changed while it was being read, so it was not hashed: {detail}',
  },
  // The disk walk.
  B321_BAD_PATTERN: {
    kind: 'source-issue',
    severity: ['error'],
    summary: 'A pattern with a ".." segment: not read (the config check refuses it too).',
    message: 'pattern "{pattern}" has a ".." segment and could leave {root}: not read',
  },
  B321_NO_MATCH: {
    kind: 'source-issue',
    severity: ['warning'],
    summary: "A dataset's pattern matched nothing at the location.",
    message: 'nothing matches "{pattern}" {where}',
    phrases: ['where'],
  },
  B321_DANGLING_SYMLINK: {
    kind: 'source-issue',
    severity: ['warning'],
    summary: 'A symbolic link points nowhere; said once per dataset and path.',
    message: 'symbolic link points nowhere: {path}',
  },
  B321_SYMLINK_LOOP: {
    kind: 'source-issue',
    severity: ['warning'],
    summary: 'A symbolic link leads back to itself or to an ancestor; said once per dataset and path.',
    message: 'symbolic link loop at {path}: it leads back to itself or to an ancestor directory, so it is not followed',
  },
  B321_SYMLINK_NOT_FOLLOWED: {
    kind: 'source-issue',
    severity: ['warning'],
    summary:
      'followSymlinks is off and a pattern names a link or passes through one, or a checksum file beside a copy is a link.',
    message: 'symbolic link not followed (followSymlinks is off): {path}',
  },
  B321_SYMLINK_OUTSIDE_LOCATION: {
    kind: 'source-issue',
    severity: ['warning'],
    summary:
      'A symbolic link leads outside its location (followSymlinks "inside", the default): not followed, nothing there read; said once per dataset and path.',
    message:
      'symbolic link {path} leads outside the location, to {target}: not followed; set "followSymlinks": true on the location to follow links out of it',
  },
  B321_SPECIAL_FILE: {
    kind: 'source-issue',
    severity: ['warning'],
    summary: 'A pattern matched a FIFO, socket or device: skipped, never opened.',
    message: 'not a file or directory ({kind}), skipped without opening it: {path}',
    phrases: ['kind'],
  },
  B321_OTHER_FILESYSTEM: {
    kind: 'source-issue',
    severity: ['warning'],
    summary: "Copies on another filesystem than their location's: counted on that filesystem's device.",
    message:
      "{path} is on {filesystem}, not on the location's filesystem: counted on device {device} (copies of {dataset} on it: {count})",
  },
  // Recorded checksums (disk and S3).
  B321_BAD_SIDECAR: {
    kind: 'source-issue',
    severity: ['warning'],
    summary: 'A `.sha256` sidecar with unreadable lines, naming another file, or too large.',
    message: 'sidecar {path} {problem}',
    phrases: ['problem'],
  },
  B321_BAD_MANIFEST: {
    kind: 'source-issue',
    severity: ['warning'],
    summary: 'A checksum manifest (SHA256SUMS …) with unreadable lines, or too large.',
    message: 'checksum manifest {path} {problem}',
    phrases: ['problem'],
  },
  B321_BAD_CHECKSUM_FILE: {
    kind: 'source-issue',
    severity: ['warning'],
    summary: 'A checksum file that is too large or cannot be read: no evidence. Also the code of the S3 error for one.',
    message: 'checksum file {path} {problem}',
    phrases: ['problem'],
  },
  // The operators' logs: offline media and restore drills.
  B321_LOG_MISSING: {
    kind: 'source-issue',
    severity: ['warning'],
    summary: 'The offline-media log does not exist yet: no media recorded.',
    message: 'the offline-media log does not exist yet: no media recorded (backup321 media write creates it)',
  },
  B321_DRILL_LOG_MISSING: {
    kind: 'source-issue',
    severity: ['warning'],
    summary: 'The restore-drill log does not exist yet: no drill recorded.',
    message: 'the restore-drill log does not exist yet: no drill recorded (backup321 drill record creates it)',
  },
  B321_BAD_LINE: {
    kind: 'source-issue',
    severity: ['warning'],
    summary: 'A log line that is not a valid event or drill: skipped, the rest is read.',
    message: '{problem}; line skipped',
    phrases: ['problem'],
  },
  B321_CSV_QUOTE: {
    kind: 'source-issue',
    severity: ['warning'],
    summary: 'A CSV row with broken quoting, read as far as it makes sense.',
    message: '{problem}; row read',
    phrases: ['problem'],
  },
  B321_DRILL_TIMES: {
    kind: 'source-issue',
    severity: ['warning'],
    summary: 'A drill that finished before it started: skipped.',
    message: '{problem}; line skipped',
    phrases: ['problem'],
  },
  B321_FUTURE_TIME: {
    kind: 'source-issue',
    severity: ['warning'],
    summary: "A logged time further ahead of the run's clock than policy.clockSkew: it decides nothing.",
    message: "{when} is more than {skewMinutes} min ahead of this machine's clock ({clock}); {means}",
    phrases: ['when', 'means'],
  },
  B321_OUT_OF_ORDER: {
    kind: 'source-issue',
    severity: ['warning'],
    summary: 'A media event dated before an earlier line: events are replayed in time order.',
    message: '{event} at {time} is earlier than line {previousLine} ({previousTime}); ordered by time',
  },
  B321_UNKNOWN_MEDIA: {
    kind: 'source-issue',
    severity: ['warning'],
    summary: 'An event for media no earlier `written` introduced (it still sets its state).',
    message: '{event} for media {mediaId}, which no earlier "written" event introduced',
  },
  B321_AFTER_RETIRED: {
    kind: 'source-issue',
    severity: ['warning'],
    summary: 'An event for media after it was retired: ignored.',
    message: '{event} for media {mediaId} after it was retired (line {retiredLine}); ignored',
  },
  B321_MEDIA_CONFLICT: {
    kind: 'source-issue',
    severity: ['warning'],
    summary: 'Media logged with another medium type than it was first logged with: the first is kept.',
    message: 'media {mediaId} logged as {mediumType}, but it was first logged as {firstType}; kept {firstType}',
  },
  B321_NO_CHECKSUM: {
    kind: 'source-issue',
    severity: ['warning'],
    summary: 'A file written to media without sha256: the copy is unverified.',
    message: '{file} written on media {mediaId} without sha256; the copy is unverified',
  },
  B321_REWRITTEN: {
    kind: 'source-issue',
    severity: ['warning'],
    summary: 'A file written again on the same media with other data: the later event replaces it.',
    message:
      '{file} on media {mediaId} was written before (line {earlierLine}) with other data; this later event replaces it',
  },
  B321_UNKNOWN_FILE: {
    kind: 'source-issue',
    severity: ['warning'],
    summary: 'A `verified` event for a file no `written` event put on the media.',
    message: 'verified {file} on media {mediaId}, but no "written" event put it there',
  },
  B321_VERIFY_MISMATCH: {
    kind: 'source-issue',
    severity: ['warning'],
    summary: 'Media read back with another sha256 than was written: the copy is corrupt.',
    message:
      '{file} on media {mediaId} was read back with sha256 {sha256}, but line {writtenLine} wrote it with sha256 {writtenSha256}; the copy counts as corrupt',
  },
  B321_DEVICES_UNKNOWN: {
    kind: 'source-issue',
    severity: ['warning'],
    summary: 'The block devices could not be listed, so no media is proven unplugged.',
    message: 'could not list block devices ({detail}); no media counts as offline',
  },
  // S3 (see docs/s3.md for which request raises which).
  B321_S3_ACCESS_DENIED: {
    kind: 'source-issue',
    severity: ['error', 'warning'],
    summary: 'Bad or expired credentials, or 403: for the location, a dataset, or a fact of the bucket.',
    message: '{what}: access denied ({detail})',
    phrases: ['what'],
  },
  B321_S3_NO_BUCKET: {
    kind: 'source-issue',
    severity: ['error', 'warning'],
    summary: 'The bucket does not exist (404 NoSuchBucket).',
    message: '{what}: no such bucket ({detail})',
    phrases: ['what'],
  },
  B321_S3_MISSING: {
    kind: 'source-issue',
    severity: ['error', 'warning'],
    summary: 'A key or prefix does not exist (404).',
    message: '{what}: does not exist ({detail})',
    phrases: ['what'],
  },
  B321_S3_UNREACHABLE: {
    kind: 'source-issue',
    severity: ['error', 'warning'],
    summary: 'No answer from the store: refused, reset, DNS failure or timeout.',
    message: '{what}: no answer from the store ({detail})',
    phrases: ['what'],
  },
  B321_S3_ERROR: {
    kind: 'source-issue',
    severity: ['error', 'warning'],
    summary: 'Any other failed S3 request, with what the store or the SDK said.',
    message: '{what}: failed ({detail})',
    phrases: ['what'],
  },
  B321_S3_NO_LIST: {
    kind: 'source-issue',
    severity: ['warning'],
    summary: 'A prefix could not be listed but the exact key could be read: sidecars were not looked for.',
    message: 'cannot list {url} ({detail}); read the object directly, sidecars were not looked for',
  },
  // The run.
  B321_SOURCE_FAILED: {
    kind: 'source-issue',
    severity: ['error'],
    summary: 'A source failed in a way it did not foresee: its checks are unknown.',
    message: 'the source failed unexpectedly: {detail}',
  },
  // Thrown as an Error's code, not source issues.
  B321_CONFIG: {
    kind: 'error',
    summary: 'The config file has problems, each with its JSON path and a hint: the command exits 3.',
  },
  B321_USAGE: {
    kind: 'error',
    summary: 'The command line is wrong (an unknown flag, a bad value, an unwritable -o file): the command exits 3.',
  },
  B321_S3_WRITE_BLOCKED: {
    kind: 'error',
    summary:
      "An S3 request other than GET or HEAD, refused before it is sent (backup321 only reads buckets); the location's S3 issue names it.",
  },
  // The agent (backup321 agent).
  B321_CREDENTIALS: {
    kind: 'error',
    summary:
      "The agent's token file or TLS files (report.tokenFile, caFile, certFile, keyFile) cannot be read or hold no single token: the agent does not start, or a SIGHUP keeps the running files.",
  },
  B321_STATE_DIR_BUSY: {
    kind: 'error',
    summary: 'Another agent holds the state dir (one agent per state dir): the second one exits 3, naming the holder.',
  },
  B321_SEQUENCE_DAMAGED: {
    kind: 'error',
    summary:
      "The state dir's sequence.json (the agent's last report number) cannot be read: the agent refuses to guess, which could reuse a number, and says how to repair it.",
  },
  B321_OUTBOX_DAMAGED: {
    kind: 'error',
    summary:
      "The outbox's drop tally (outbox/drops.json) cannot be read: the agent refuses to lose the count of dropped reports.",
  },
  B321_HEALTH_LISTEN: {
    kind: 'error',
    summary: 'health.listen is not host:port.',
  },
  B321_SEND_TIMEOUT: {
    kind: 'error',
    summary:
      'A report sent to the collector got no answer within the send deadline: counted as a timeout, sent again later.',
  },
  // The collector's store.
  B321_STORE_DB: {
    kind: 'error',
    summary: '--db names neither a file (SQLite) nor a postgres:// URL, or the database cannot be opened.',
  },
  B321_STORE_SCHEMA: {
    kind: 'error',
    summary: 'PostgreSQL: the schema the collector is told to use does not exist.',
  },
  B321_STORE_MIGRATION: {
    kind: 'error',
    summary: "The database could not be brought to this collector's schema version (or is newer than this collector).",
  },
  B321_STORE_CURSOR: {
    kind: 'error',
    summary: 'A page cursor (?before=) this collector did not give.',
  },
} as const satisfies Record<`B321_${string}`, IssueEntry | ErrorEntry>;

/**
 * The parts of messages that vary where a code is raised, in English. Keys are grouped by what they
 * fill: `target.` what was read, `where.` where nothing matched, `special.` what a special file is,
 * `checksum.`, `line.`, `time.`, `csv.` why a checksum file or a log line is no evidence, `future.` what
 * a future time means, `s3.` which request failed.
 */
export const PHRASES = {
  'target.directory': 'directory',
  'target.entry': 'entry',
  'target.file': 'file',
  'target.location': 'location directory',
  'target.checksum-file': 'checksum file',
  'target.media-log': 'offline-media log',
  'target.drill-log': 'restore-drill log',
  'where.directory': 'in {root}',
  'where.s3-prefix': 'under s3 prefix "{prefix}"',
  'where.media-log': 'among the media that are not retired',
  'special.fifo': 'a FIFO',
  'special.socket': 'a socket',
  'special.character-device': 'a character device',
  'special.block-device': 'a block device',
  'special.other': 'neither a file nor a directory',
  'checksum.too-large': 'is larger than {maxBytes} bytes: not a checksum file',
  'checksum.unreadable': 'cannot be read: {detail}',
  'checksum.bad-line': 'has an unreadable line {line}',
  'checksum.bad-lines': 'has unreadable lines: {count}, the first is line {line}',
  'checksum.other-file': 'holds no sha256 for {name} (it names another file)',
  'checksum.no-entry-bad-line': 'holds no sha256 for {name} (line {line} is unreadable)',
  'checksum.empty': 'holds no sha256 for {name} (it is empty)',
  'line.not-json': 'not valid JSON ({detail})',
  'line.not-object': 'not a JSON object',
  'line.not-one-of': '"{field}" must be one of {allowed} (got {got})',
  'line.not-one-of-none': '"{field}" must be one of {allowed} (got nothing)',
  'line.missing': '"{field}" is missing',
  'line.media-missing': '"media" (the media id) is missing',
  'line.not-string': '"{field}" must be a string',
  'line.sha256': '"{field}" must be 64 hex digits',
  'line.bytes': '"{field}" must be a whole number ≥ 0',
  'line.result': '"result" must be "success" or "failure" (got {got})',
  'line.drill-bytes': '"bytes" must be the number of bytes restored, a whole number above 0 (got {got})',
  'line.required-on': '"{field}" is required on "{event}"',
  'line.first-written-type':
    '"mediumType" is required on the first "written" of media {mediaId} (its type is not known yet)',
  'line.drill-times': 'finishedAt {finishedAt} is before startedAt {startedAt}',
  'time.format': '"{field}" must be an ISO 8601 time with a zone (got {got})',
  'time.format-none': '"{field}" must be an ISO 8601 time with a zone (got nothing)',
  'time.month': '"{field}" {got} has no month {month}',
  'time.day': '"{field}" {got} is not a date: {month} has {days} days',
  'time.clock': '"{field}" {got} is not a time of day (00:00:00 to 23:59:59)',
  'time.offset': '"{field}" {got} has no such zone offset (offsets run from -12:00 to +14:00)',
  'csv.width': 'the header has {columns} fields, this row {fields}',
  'csv.unclosed':
    'a quote opened in column {openColumn} is not closed on its line; the field ends at the end of the line',
  'csv.stray':
    'column {strayColumn} has a quote inside a field (read as {strayRead}); inside quotes write a quote as ""',
  'future.event-at': '{event} at {time}',
  'future.finished-at': 'finishedAt {time}',
  'future.written': 'its copy keeps that time, so it does not count as fresh',
  'future.state': "it does not change the media's state",
  'future.verified': 'it does not count as a verification',
  'future.drill': 'a drill cannot finish in the future, so this one does not count',
  's3.bucket': 's3://{bucket} at {endpoint}',
  's3.region': 'could not read the bucket region',
  's3.versioning': "could not read the bucket's versioning",
  's3.object-lock': "could not read the bucket's object lock configuration",
  's3.objects-head': '{count} object(s): could not read the object metadata (HeadObject)',
  's3.objects-sidecar': '{count} object(s): could not read the sidecar',
  's3.objects-manifest': '{count} object(s): could not read the manifest',
  's3.objects-lock': '{count} object(s): could not read the retention / legal hold',
  's3.list': 'cannot list {url}',
  's3.read': 'cannot read {url}',
  's3.object': 'object {url}',
  's3.denied-or-missing':
    'cannot read {url}: without s3:ListBucket S3 answers 403 also for a missing object, so it is unreadable or missing',
} as const satisfies Record<string, string>;

type Entries = typeof CODES;
export type Code = keyof Entries;
export type IssueCode = { [C in Code]: Entries[C] extends { kind: 'source-issue' } ? C : never }[Code];
export type ErrorCode = Exclude<Code, IssueCode>;
export type PhraseKey = keyof typeof PHRASES;
export type IssueSeverity<C extends IssueCode> = Entries[C]['severity'][number];

export const ISSUE_CODES = (Object.keys(CODES) as Code[]).filter(
  (code): code is IssueCode => CODES[code].kind === 'source-issue',
);

/** The {name} placeholders of a template, as a union of names. */
type Placeholders<S extends string> = S extends `${string}{${infer P}}${infer Rest}` ? P | Placeholders<Rest> : never;
type PhraseParams<C extends IssueCode> = Entries[C] extends { phrases: readonly (infer P)[] } ? P : never;

export type IssueParamValue = string | number;
/**
 * What a code's template asks for (a phrase param takes a phrase key, or several joined with "+"), plus
 * the params of the phrases it names.
 */
export type IssueParams<C extends IssueCode> = {
  [P in Placeholders<Entries[C]['message']>]: P extends PhraseParams<C>
    ? PhraseKey | `${PhraseKey}+${string}`
    : IssueParamValue;
} & Record<string, IssueParamValue>;

/** The params of a code that hold phrase keys. */
export function phraseParamsOf(code: string): readonly string[] {
  const entry = (CODES as Record<string, IssueEntry | ErrorEntry | undefined>)[code];
  return entry?.kind === 'source-issue' ? (entry.phrases ?? []) : [];
}

/** Each source issue's English template, as the report's English catalog holds them. */
export const ISSUE_MESSAGES = Object.fromEntries(ISSUE_CODES.map((code) => [code, CODES[code].message])) as Record<
  IssueCode,
  string
>;
