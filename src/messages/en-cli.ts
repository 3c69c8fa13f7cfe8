// English words of what the commands say about their own input and running: usage errors, refusals, notes, summaries.

export const enCli = {
  // The command line (main.ts, args.ts).
  'cli.unknown-command': 'unknown command "{command}"',
  'cli.invalid-config': 'invalid config {file}: {count}',
  'cli.could-not-run': 'could not run: {error}',
  'count.problem.one': '{n} problem',
  'count.problem.other': '{n} problems',
  'usage.one-of': '--{name} must be one of: {allowed} (got "{value}")',
  'usage.lang-environment': 'BACKUP321_LANG must be one of: {allowed} (got "{value}")',
  'usage.required': '--{name} is required',
  'usage.duration': '--{name} must be a duration such as 30s, 5m or 0 (got "{value}")',
  'usage.size': '--{name} must be a size such as 500GB, 2TiB or a number of bytes (got "{value}")',
  'usage.budget-needs-deep': '--budget bounds what a deep verify reads again: use it with --deep',
  'usage.serve-needs-fleet': "--serve and --listen keep the demo fleet's collector up: use them with --fleet",
  'usage.budget-zero': '--budget 0 would never read anything again: give a size such as 500GB, or "all"',
  'usage.unknown-option': "Unknown option '{option}'",
  'usage.missing-value': "Option '{option}' argument missing",
  'usage.takes-no-value': "Option '{option}' does not take an argument",
  'usage.unexpected-argument': "Unexpected argument '{argument}'. This command does not take positional arguments",
  'usage.ambiguous-value':
    "Option '{option}' argument is ambiguous.\nDid you forget to specify the option argument for '{option}'?\nTo specify an option argument starting with a dash use '{option}=-XYZ'.",
  'usage.arguments': '{text}',
  'usage.unknown-dataset': 'unknown dataset {ids}; the config has: {known}',

  // `config check` (config-check.ts).
  'check.error': 'error',
  'check.warning': 'warning',
  'check.valid': '{file}: valid',
  'check.valid-with-warnings': '{file}: valid ({count})',
  'check.invalid': '{file}: {count}',
  'count.error.one': '{n} error',
  'count.error.other': '{n} errors',
  'count.warning.one': '{n} warning',
  'count.warning.other': '{n} warnings',

  // Writing a report to a file (output.ts).
  'output.cannot-write': 'cannot write {file}: {reason}',
  'output.reason.ENOENT': 'the directory {directory} does not exist',
  'output.reason.ENOTDIR': '{directory} is not a directory',
  'output.reason.EACCES': 'permission denied in {directory}',
  'output.reason.EROFS': '{directory} is on a read-only file system',
  'output.reason.ENOSPC': 'no space left on the device',
  'output.reason.EISDIR': 'it is a directory',
  'output.reason.other': '{code}',
  'output.reason.unknown': 'unknown error',

  // Which log `media` and `drill` append to (log-target.ts, log-lock.ts).
  'log.location-with-log': '--location selects a log from --config; do not combine it with --log',
  'log.choose-location': '{file}: pass --location ID to choose an offline-log location (offline-log locations: {ids})',
  'log.no-such-location': '{file}: no offline-log location "{location}" (offline-log locations: {ids})',
  'log.none': 'none',
  'log.no-drill-log': '{file}: no "restoreDrills" log is configured; add one or pass --log FILE',
  'log.lock-held': '{lock} is held by {holder}; if no backup321 command is running, delete it',

  // `media` (media.ts, media-log.ts).
  'media.unknown-action': 'unknown action "{action}" (use {actions})',
  'media.media-required': '--media ID is required',
  'media.takes-no-files': 'media {action} takes no files (got {files})',
  'media.retired': 'media {media} was retired ({log}:{line}); give reused media a new id',
  'media.write-needs-dataset': 'media write needs --dataset ID',
  'media.write-needs-files': 'media write needs the FILE(s) written on the media',
  'media.verify-needs-files': 'media verify needs FILE(s) to re-hash, or --file NAME --sha256 HEX',
  'media.no-written-file': '{log} has no "written" event for {file} on {media}; pass --dataset ID',
  'media.type-mismatch': 'media {media} is a {known} in {log}, not {type}; check the media id',
  'media.new-needs-type': 'media {media} is new in {log}: pass --type tape|removable-disk|optical',
  'media.unknown-media':
    'media {media} has no "written" event in {log}; check the id, or pass --type to record it anyway',
  'media.sha256-with-files': 'with --sha256, name the file with --file NAME instead of FILE arguments',
  'media.sha256-needs-file': '--sha256 needs --file NAME (the file as recorded on the media)',
  'media.sha256-format': '--sha256 must be 64 hex digits',
  'media.future-mtime':
    "{path}: its modification time {time} is more than {skew} ahead of this machine's clock ({now}); fix the clock or the file's time before recording it",
  'media.csv-missing-columns': "the CSV log's header has no column for {columns}; add the column(s) to its first line",
  'media.invalid-event': 'refusing to append an invalid event: {problem}',
  'media.note.no-data-time':
    "media write: {log} has no dataTime column, so {file}'s data time ({dataTime}) is not recorded: its copy's age counts from now, when it was written to the media (a new CSV log gets the column)",
  'media.note.verify-mismatch': 'media verify: {file} on {media} now reads {sha256}, but was written as {written}',
  'media.note.still-attached':
    'media offline: {media} is still attached as {device}; it counts as offline only once detached',
  'media.note.attachment-unknown': 'media offline: could not list block devices to check {media} is detached ({error})',

  // `drill record` (drill.ts).
  'drill.unknown-action': 'unknown action "{action}" (use: drill record)',
  'drill.bytes-not-size': '--bytes "{value}" is not a size: give bytes or a size such as "180GB" or "2TiB"',
  'drill.result': '--result must be "success" or "failure" (got {value})',
  'drill.finished-before-started': '--finished {finished} is before --started {started}',
  'drill.finished-in-future':
    "--finished {time} is more than {skew} ahead of this machine's clock ({now}); a drill cannot finish in the future",
  'drill.unknown-dataset': '{file}: no dataset "{dataset}"',
  'drill.unknown-location': '{file}: no location "{location}"',
  'drill.invalid-record': '{problem}',

  // A time typed on the command line (timestamp.ts's checks, named by the flag).
  'time.not-iso': '{field} must be an ISO 8601 time with a zone (got {value})',
  'time.no-month': '{field} {value} has no month {month}',
  'time.not-a-date': '{field} {value} is not a date: {yearMonth} has {days} days',
  'time.not-a-time': '{field} {value} is not a time of day (00:00:00 to 23:59:59)',
  'time.bad-offset': '{field} {value} has no such zone offset (offsets run from -12:00 to +14:00)',
  'time.skew-minutes': '{n} min',
  'time.skew-seconds': '{n} s',

  // `demo` (demo.ts).
  'demo.note.kept':
    "demo: `backup321 verify` would exit {exitCode} for this estate; the estate was kept in {root}; try: backup321 verify --config {config} (the demo's S3 endpoint stopped with the demo: its bucket location then cannot be read)",
  'demo.note.removed': 'demo: `backup321 verify` would exit {exitCode} for this estate; the estate was removed',
  'demo.fleet.title':
    'The demo fleet: three agents ran one cycle each (agent --once) and reported to a collector on {url}',
  'demo.fleet.totals':
    'Fleet: {agents} agents: {compliant} compliant, {atRisk} at risk, {nonCompliant} non-compliant, {unknown} unknown, {silent} silent',
  'demo.fleet.agent':
    '  {agent}  {status}  datasets: {datasets} ({compliant} compliant, {atRisk} at risk, {nonCompliant} non-compliant, {unknown} unknown)',
  'demo.fleet.agent-failed': 'the agent {agent} exited {code}: {stderr}',
  'demo.fleet.serve':
    'The collector stays up: the dashboard is at {url}/ — log in with this reader token (Ctrl-C stops it):',
  'demo.fleet.removed': 'demo: the estates and the collector database were removed',
  'demo.fleet.kept':
    "demo: the estates and the collector database were kept in {root} (the demo's S3 endpoint stopped with the demo)",

  // A system error as Node words it ("ENOENT: no such file or directory, open '/x'"), with its parts as params.
  'system.ENOENT': "{errno}: no such file or directory, {syscall} '{path}'",
  'system.EACCES': "{errno}: permission denied, {syscall} '{path}'",
  'system.EPERM': "{errno}: operation not permitted, {syscall} '{path}'",
  'system.EROFS': "{errno}: read-only file system, {syscall} '{path}'",
  'system.ENOSPC': "{errno}: no space left on device, {syscall} '{path}'",
  'system.EISDIR': "{errno}: illegal operation on a directory, {syscall} '{path}'",
  'system.ENOTDIR': "{errno}: not a directory, {syscall} '{path}'",
  'system.EEXIST': "{errno}: file already exists, {syscall} '{path}'",
  'system.ELOOP': "{errno}: too many symbolic links encountered, {syscall} '{path}'",
  'system.EIO': "{errno}: i/o error, {syscall} '{path}'",
};
