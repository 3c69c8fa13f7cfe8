// `backup321 verify`: evaluate every dataset and print the report; exit 0/1/2/3 like a monitoring plugin.
import { configDigest } from '../config/digest.js';
import type { Config } from '../config/types.js';
import type { Report } from '../model.js';
import { REPORT_FORMATS, renderReportChunks } from '../report/render/index.js';
import { buildSummaryReport } from '../report/summary-report.js';
import { instanceIdOf } from '../state/instance.js';
import { statusLine } from '../report/render/summary.js';
import { COMMON_OPTIONS, oneOf, parse } from './args.js';
import { langOption } from './lang.js';
import { checkOutputFile, localTimeZone, printChunks, printOut, useColor, writeOutputFile } from './output.js';
import { runVerificationFromFlags } from './run-verification.js';

export const VERIFY_HELP = `Usage: backup321 verify [options]

Checks every dataset against the 3-2-1 rule and its restore target, prints the report.
Exit code: 0 compliant, 1 at-risk, 2 non-compliant, 3 unknown or could not run
(several datasets: the worst wins, in the order 2, 3, 1, 0).

Options:
  -c, --config FILE      config file (default $BACKUP321_CONFIG or /etc/backup321/agent.config.json)
  -f, --format FORMAT    text (default), json, markdown, junit, html, or summary (the bounded
                         JSON report the agent sends: no copy list, evidence cut to 20 copies)
  -d, --dataset ID       only this dataset (repeatable)
      --lang LANG        en or vi: the report's language and the errors' (default $BACKUP321_LANG, else en)
      --deep             re-hash every file, ignoring the checksum cache
      --budget SIZE      with --deep: re-read at most SIZE (e.g. 2TB), the copies read longest
                         ago first, so nightly runs re-read the whole estate in turn; "all" reads
                         everything (default: the config's deep.budget, else everything)
      --state-wait TIME  how long to wait while another run (the agent) holds the state dir,
                         then go on with the checksum cache read-only (default 30s)
  -o, --output FILE      write the report to FILE (atomically); stdout gets the summary line
  -v, --verbose          text format: also the evidence behind each finding and source facts
      --log-level LEVEL  fatal, error, warn (default), info, debug, trace, silent
  -h, --help             this help
`;

const VERIFY_FORMATS = [...REPORT_FORMATS, 'summary'] as const;
type VerifyFormat = (typeof VERIFY_FORMATS)[number];

/** The summary of a run by hand: this state dir's instance, outside the agent's sequence. */
async function manualSummary(report: Report, config: Config): Promise<string> {
  const summary = buildSummaryReport(report, {
    instanceId: await instanceIdOf(config.agent.stateDir),
    seq: null,
    trigger: 'manual',
    finishedAt: new Date(),
    nextRunAt: null,
    configDigest: configDigest(config),
  });
  return `${JSON.stringify(summary, null, 2)}\n`;
}

export const REPORT_OPTIONS = {
  ...COMMON_OPTIONS,
  format: { type: 'string', short: 'f' },
  output: { type: 'string', short: 'o' },
} as const;

export async function runVerifyCommand(args: string[]): Promise<number> {
  const { values } = parse(args, {
    ...REPORT_OPTIONS,
    dataset: { type: 'string', short: 'd', multiple: true },
    deep: { type: 'boolean' },
    budget: { type: 'string' },
    'state-wait': { type: 'string' },
    verbose: { type: 'boolean', short: 'v' },
  });
  if (values.help) {
    await printOut(VERIFY_HELP);
    return 0;
  }
  const format = oneOf<VerifyFormat>('format', values.format, VERIFY_FORMATS, 'text');
  const lang = langOption(values.lang);
  const output = values.output;
  if (output) await checkOutputFile(output);
  const { report, config } = await runVerificationFromFlags(values);
  const rendered =
    format === 'summary'
      ? [await manualSummary(report, config)]
      : renderReportChunks(report, format, {
          lang,
          verbose: values.verbose ?? false,
          timeZone: localTimeZone(),
          color: !output && format === 'text' && useColor(),
        });
  if (output) {
    writeOutputFile(output, rendered);
    await printOut(statusLine(report, lang));
  } else {
    await printChunks(rendered);
  }
  return report.summary.exitCode;
}
