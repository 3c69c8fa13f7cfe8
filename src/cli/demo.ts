// `backup321 demo`: builds a demo estate in a temporary directory and prints its verification report.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../config/load.js';
import { buildDemoEstate } from '../demo/estate.js';
import { createCliLogger } from '../logging.js';
import { msg } from '../messages/index.js';
import { REPORT_FORMATS, type ReportFormat, renderReport } from '../report/render/index.js';
import { verify } from '../verify/run.js';
import { logLevel, oneOf, parse } from './args.js';
import { langOption } from './lang.js';
import { localTimeZone, printNote, printOut, useColor } from './output.js';

export const DEMO_HELP = `Usage: backup321 demo [--format FORMAT] [--lang en|vi] [--keep] [--dir DIR]

Builds a demo estate (five datasets: compliant, at risk, too few copies, a corrupt copy, stale)
in a temporary directory, verifies it and prints the report. Exits 0 when the demo ran;
the report shows the exit code verify would give. --keep leaves the estate for you to explore
(then: backup321 verify --config DIR/agent.config.json).
`;

export async function runDemoCommand(args: string[]): Promise<number> {
  const { values } = parse(args, {
    format: { type: 'string', short: 'f' },
    lang: { type: 'string' },
    keep: { type: 'boolean' },
    dir: { type: 'string' },
    'log-level': { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    await printOut(DEMO_HELP);
    return 0;
  }
  const format = oneOf<ReportFormat>('format', values.format, REPORT_FORMATS, 'text');
  const lang = langOption(values.lang);
  const root = values.dir ?? mkdtempSync(join(tmpdir(), 'backup321-demo-'));
  try {
    const { configFile } = buildDemoEstate(root, new Date());
    const config = await loadConfig(configFile);
    const { report } = await verify({ config, logger: createCliLogger(logLevel(values['log-level'])) });
    await printOut(
      renderReport(report, format, { lang, color: format === 'text' && useColor(), timeZone: localTimeZone() }),
    );
    if (format === 'text') {
      const { exitCode } = report.summary;
      process.stderr.write('\n');
      printNote(
        lang,
        values.keep || values.dir
          ? msg('demo.note.kept', { exitCode, root, config: configFile })
          : msg('demo.note.removed', { exitCode }),
      );
    }
    return 0;
  } finally {
    if (!values.keep && !values.dir) rmSync(root, { recursive: true, force: true });
  }
}
