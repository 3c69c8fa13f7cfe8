// `backup321 demo`: builds a demo estate in a temporary directory and prints its verification report.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../config/load.js';
import { buildDemoEstate } from '../demo/estate.js';
import { type DemoObjectStore, demoS3Environment, startDemoObjectStore } from '../demo/object-store.js';
import { createCliLogger } from '../logging.js';
import { msg } from '../messages/index.js';
import { REPORT_FORMATS, type ReportFormat, renderReport } from '../report/render/index.js';
import { verify } from '../verify/run.js';
import { logLevel, oneOf, parse } from './args.js';
import { langOption } from './lang.js';
import { DEFAULT_LISTEN, listenOption } from './collector.js';
import { runFleetDemo } from './demo-fleet.js';
import { dashboardPlugins } from './dashboard-plugins.js';
import { localTimeZone, printNote, printOut, useColor } from './output.js';
import { UsageError } from '../errors.js';

export const DEMO_HELP = `Usage: backup321 demo [--format FORMAT] [--lang en|vi] [--keep] [--dir DIR]
       backup321 demo --fleet [--serve [--listen HOST:PORT]] [--lang en|vi] [--keep] [--dir DIR]

Builds a demo estate (five datasets: compliant, at risk, too few copies, a corrupt copy, stale)
in a temporary directory, verifies it and prints the report. Exits 0 when the demo ran;
the report shows the exit code verify would give. --keep leaves the estate for you to explore
(then: backup321 verify --config DIR/agent.config.json). The ERP dumps also have an offsite copy in
a bucket of a demo S3 endpoint that the demo starts on 127.0.0.1 (read-only, no authentication)
and stops when it ends.

--fleet (what \`npm run demo\` runs): the whole chain. A collector on a temp SQLite file, three demo
servers' agents running one real cycle each (agent --once) and reporting to it, and the fleet as the
collector's API tells it. --serve keeps the collector up (default 127.0.0.1:8321) and prints the
dashboard's URL and a reader token to log in with; Ctrl-C stops it.
`;

export async function runDemoCommand(args: string[]): Promise<number> {
  const { values } = parse(args, {
    format: { type: 'string', short: 'f' },
    lang: { type: 'string' },
    keep: { type: 'boolean' },
    dir: { type: 'string' },
    fleet: { type: 'boolean' },
    serve: { type: 'boolean' },
    listen: { type: 'string' },
    'log-level': { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    await printOut(DEMO_HELP);
    return 0;
  }
  const lang = langOption(values.lang);
  if (values.fleet) {
    return runFleetDemo({
      lang,
      logger: createCliLogger(logLevel(values['log-level'])),
      keep: values.keep ?? false,
      dir: values.dir,
      serve: values.serve ? listenOption(values.listen ?? DEFAULT_LISTEN) : undefined,
      plugins: await dashboardPlugins(),
    });
  }
  if (values.serve || values.listen) throw new UsageError(msg('usage.serve-needs-fleet'));
  const format = oneOf<ReportFormat>('format', values.format, REPORT_FORMATS, 'text');
  const root = values.dir ?? mkdtempSync(join(tmpdir(), 'backup321-demo-'));
  const ownEnvironment = process.env;
  let store: DemoObjectStore | undefined;
  try {
    store = await startDemoObjectStore(join(root, 'object-store'));
    const bucket = { endpoint: store.endpoint, directory: store.directory, bucket: 'demo-01-offsite' };
    const { configFile } = buildDemoEstate(root, new Date(), { bucket });
    const config = await loadConfig(configFile);
    // verify runs in this process: the SDK reads the demo endpoint's dummy keys from its environment.
    process.env = demoS3Environment(ownEnvironment);
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
    process.env = ownEnvironment;
    await store?.close();
    if (!values.keep && !values.dir) rmSync(root, { recursive: true, force: true });
  }
}
