// `backup321 inventory`: every copy found, with size, time, checksum, medium and device.
import { renderInventoryChunks } from '../report/render/inventory.js';
import { COMMON_OPTIONS, oneOf, parse } from './args.js';
import { langOption } from './lang.js';
import { localTimeZone, printChunks, printOut, useColor } from './output.js';
import { runVerificationFromFlags } from './run-verification.js';

export const INVENTORY_HELP = `Usage: backup321 inventory [options]

Lists every copy of every dataset found at every location (the same reading verify does).

Options:
  -c, --config FILE      config file (default $BACKUP321_CONFIG or /etc/backup321/agent.config.json)
  -f, --format FORMAT    text (default) or json
  -d, --dataset ID       only this dataset (repeatable)
      --lang LANG        en or vi: the listing's language and the errors' (default $BACKUP321_LANG, else en)
      --deep             re-hash every file, ignoring the checksum cache
      --budget SIZE      with --deep: re-read at most SIZE (e.g. 2TB), the copies read longest
                         ago first, so nightly runs re-read the whole estate in turn; "all" reads
                         everything (default: the config's deep.budget, else everything)
      --state-wait TIME  how long to wait while another run (the agent) holds the state dir,
                         then go on with the checksum cache read-only (default 30s)
      --log-level LEVEL  fatal, error, warn (default), info, debug, trace, silent
Exit code: 0, or 3 when a location could not be read or the config is invalid.
`;

export async function runInventoryCommand(args: string[]): Promise<number> {
  const { values } = parse(args, {
    ...COMMON_OPTIONS,
    format: { type: 'string', short: 'f' },
    dataset: { type: 'string', short: 'd', multiple: true },
    deep: { type: 'boolean' },
    budget: { type: 'string' },
    'state-wait': { type: 'string' },
  });
  if (values.help) {
    await printOut(INVENTORY_HELP);
    return 0;
  }
  const format = oneOf('format', values.format, ['text', 'json'] as const, 'text');
  const lang = langOption(values.lang);
  const { report } = await runVerificationFromFlags(values);
  const copies = report.datasets.flatMap((dataset) => dataset.copies);
  await printChunks(
    renderInventoryChunks(copies, format, {
      lang,
      color: format === 'text' && useColor(),
      timeZone: localTimeZone(),
    }),
  );
  for (const source of report.sources) {
    for (const issue of source.issues) {
      process.stderr.write(`${source.id}: ${issue.severity} ${issue.code}: ${issue.message}\n`);
    }
  }
  return report.summary.sourcesUnreadable > 0 ? 3 : 0;
}
