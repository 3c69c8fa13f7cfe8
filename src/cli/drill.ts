// `backup321 drill record`: appends one restore-drill record (validated like the reader validates it).
import { parseSize } from '../config/units.js';
import { UsageError } from '../errors.js';
import { appendLine } from '../log-append.js';
import { checkDrillRecord } from '../sources/drills.js';
import { commandClock, futureDated, isFutureDated } from '../sources/timestamp.js';
import { parse } from './args.js';
import { drillLogTarget } from './log-target.js';
import { printOut } from './output.js';

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
  help: { type: 'boolean', short: 'h' },
} as const;

export async function runDrillCommand(args: string[]): Promise<number> {
  const [action, ...rest] = args;
  if (action === undefined || action === 'help' || action === '--help' || action === '-h') {
    await printOut(DRILL_HELP);
    return action === undefined ? 3 : 0;
  }
  if (action !== 'record') throw new UsageError(`unknown action "${action}" (use: drill record)`);
  const { values } = parse(rest, OPTIONS);
  if (values.help) {
    await printOut(DRILL_HELP);
    return 0;
  }
  for (const name of ['dataset', 'started', 'finished', 'result'] as const) {
    if (values[name] === undefined) throw new UsageError(`--${name} is required`);
  }
  const bytes = values.bytes === undefined ? undefined : parseSize(values.bytes);
  if (values.bytes !== undefined && !(bytes !== undefined && bytes > 0)) {
    throw new UsageError(`--bytes "${values.bytes}" is not a size: give bytes or a size such as "180GB" or "2TiB"`);
  }
  const checked = checkDrillRecord({
    dataset: values.dataset,
    startedAt: values.started,
    finishedAt: values.finished,
    result: values.result,
    location: values.location,
    notes: values.notes,
    bytes,
  });
  if (!checked.ok) {
    // Name the flags the operator typed, not the log's field names.
    const problem = checked.problem
      .replace('"startedAt"', '--started')
      .replace('"finishedAt"', '--finished')
      .replace(/^finishedAt (.*) is before startedAt/, '--finished $1 is before --started')
      .replace('"result"', '--result');
    throw new UsageError(problem);
  }
  const { record } = checked;
  // A drill cannot have finished in the future; a year typed wrong would otherwise pass for decades.
  const clock = commandClock();
  if (isFutureDated(Date.parse(record.finishedAt), clock)) {
    throw new UsageError(`--finished ${futureDated(record.finishedAt, clock)}; a drill cannot finish in the future`);
  }
  const target = await drillLogTarget(values);
  if (target.config) {
    const { config } = target;
    if (!config.datasets.some((dataset) => dataset.id === record.dataset)) {
      throw new UsageError(`${config.file}: no dataset "${record.dataset}"`);
    }
    if (record.location !== undefined && !config.locations.some((location) => location.id === record.location)) {
      throw new UsageError(`${config.file}: no location "${record.location}"`);
    }
  }
  const line = JSON.stringify(record);
  appendLine(target.path, line);
  await printOut(line);
  return 0;
}
