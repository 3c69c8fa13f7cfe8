// `backup321 drill record`: appends one restore-drill record (validated like the reader validates it).
import { parseSize } from '../config/units.js';
import { UsageError } from '../errors.js';
import { appendLine } from '../log-append.js';
import { msg } from '../messages/index.js';
import { checkDrillRecord, DRILL_RESULTS, type DrillCheck } from '../drills/log.js';
import { checkTimestamp, commandClock, isFutureDated } from '../sources/common/timestamp.js';
import { parse } from './args.js';
import { langOption } from './lang.js';
import { drillLogTarget } from './log-target.js';
import { printOut } from './output.js';
import { aheadOfClock, timeFault } from './time-words.js';

type DrillRecordInput = Extract<DrillCheck, { ok: true }>['record'];

export const DRILL_HELP = `Usage: backup321 drill record --dataset ID --started ISO --finished ISO --result success|failure [options]

Appends a restore drill to the restore-drill log (JSON Lines) and prints it as JSON.
Times are ISO 8601 with a zone: 2026-11-24T08:00:00+07:00 or 2026-11-24T01:00:00Z.

Options:
      --log FILE         the drill log; or:
  -c, --config FILE      take the log from the config's "restoreDrills" (and check the ids against it)
      --dataset ID       the dataset restored
      --started ISO      when the restore began
      --finished ISO     when the service was back to normal (not before --started)
      --result RESULT    success or failure
      --location ID      the location the copy was restored from
      --notes TEXT       free text (ticket, what was restored, problems met)
      --bytes SIZE       how much was restored ("180GB", "2TiB", or bytes): lets the restore-time
                         estimate scale this drill to the size of today's copy
      --lang LANG        en or vi: the language of errors (default $BACKUP321_LANG, else en)
Exit code: 0 recorded; 3 not recorded (bad input or the log could not be written).
`;

const OPTIONS = {
  log: { type: 'string' },
  config: { type: 'string', short: 'c' },
  dataset: { type: 'string' },
  started: { type: 'string' },
  finished: { type: 'string' },
  result: { type: 'string' },
  location: { type: 'string' },
  notes: { type: 'string' },
  bytes: { type: 'string' },
  lang: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

export async function runDrillCommand(args: string[]): Promise<number> {
  const [action, ...rest] = args;
  if (action === undefined || action === 'help' || action === '--help' || action === '-h') {
    await printOut(DRILL_HELP);
    return action === undefined ? 3 : 0;
  }
  if (action !== 'record') throw new UsageError(msg('drill.unknown-action', { action }));
  const { values } = parse(rest, OPTIONS);
  if (values.help) {
    await printOut(DRILL_HELP);
    return 0;
  }
  // Checked like every command's (main.ts words this command's errors in it).
  langOption(values.lang);
  for (const name of ['dataset', 'started', 'finished', 'result'] as const) {
    if (values[name] === undefined) throw new UsageError(msg('usage.required', { name }));
  }
  const bytes = values.bytes === undefined ? undefined : parseSize(values.bytes);
  if (values.bytes !== undefined && !(bytes !== undefined && bytes > 0)) {
    throw new UsageError(msg('drill.bytes-not-size', { value: values.bytes }));
  }
  const record = checkedRecord({ ...values, bytes });
  // A drill cannot have finished in the future; a year typed wrong would otherwise pass for decades.
  const clock = commandClock();
  if (isFutureDated(Date.parse(record.finishedAt), clock)) {
    throw new UsageError(msg('drill.finished-in-future', aheadOfClock(record.finishedAt, clock)));
  }
  const target = await drillLogTarget(values);
  if (target.config) {
    const { config } = target;
    if (!config.datasets.some((dataset) => dataset.id === record.dataset)) {
      throw new UsageError(msg('drill.unknown-dataset', { file: config.file, dataset: record.dataset }));
    }
    if (record.location !== undefined && !config.locations.some((location) => location.id === record.location)) {
      throw new UsageError(msg('drill.unknown-location', { file: config.file, location: record.location }));
    }
  }
  const line = JSON.stringify(record);
  appendLine(target.path, line);
  await printOut(line);
  return 0;
}

/**
 * The record as the drill-log reader checks it, its refusals naming the flags the operator typed
 * (--started, not the log's "startedAt"): the flags are checked first in the reader's order.
 */
function checkedRecord(values: {
  dataset?: string;
  started?: string;
  finished?: string;
  result?: string;
  location?: string;
  notes?: string;
  bytes?: number;
}): DrillRecordInput {
  if (values.dataset?.trim() === '') throw new UsageError(msg('usage.required', { name: 'dataset' }));
  const started = checkTimestamp('startedAt', values.started);
  if (!started.ok) throw new UsageError(timeFault('--started', started.why));
  const finished = checkTimestamp('finishedAt', values.finished);
  if (!finished.ok) throw new UsageError(timeFault('--finished', finished.why));
  if (!(DRILL_RESULTS as readonly unknown[]).includes(values.result)) {
    throw new UsageError(msg('drill.result', { value: JSON.stringify(values.result) }));
  }
  if (finished.ms < started.ms) {
    throw new UsageError(msg('drill.finished-before-started', { finished: finished.iso, started: started.iso }));
  }
  const checked = checkDrillRecord({
    dataset: values.dataset,
    startedAt: values.started,
    finishedAt: values.finished,
    result: values.result,
    location: values.location,
    notes: values.notes,
    bytes: values.bytes,
  });
  if (!checked.ok) throw new UsageError(msg('drill.invalid-record', { problem: checked.problem }));
  return checked.record;
}
