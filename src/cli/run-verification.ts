// What `verify` and `inventory` share: load the config, read every location with progress on a TTY, build the report.
import { loadConfig } from '../config/load.js';
import type { Config } from '../config/types.js';
import { createCliLogger } from '../logging.js';
import type { Report } from '../model.js';
import { verify } from '../verify/run.js';
import { budgetOption, configPath, durationOption, logLevel } from './args.js';
import { createProgress } from './progress.js';

export interface VerificationFlags {
  config?: string | undefined;
  'log-level'?: string | undefined;
  dataset?: string[] | undefined;
  deep?: boolean | undefined;
  budget?: string | undefined;
  'state-wait'?: string | undefined;
}

export async function runVerificationFromFlags(values: VerificationFlags): Promise<{ report: Report; config: Config }> {
  const logger = createCliLogger(logLevel(values['log-level']));
  const stateWaitMs = durationOption('state-wait', values['state-wait']);
  const budget = budgetOption(values.budget, values.deep);
  const config = await loadConfig(configPath(values.config));
  // --budget wins over the config's deep.budget; "all" reads everything whatever the config says.
  const budgetBytes = values.deep && budget !== 'all' ? (budget ?? config.deep.budgetBytes) : undefined;
  const progress = createProgress(process.stderr);
  const { report } = await verify({
    config,
    logger,
    ...(values.dataset ? { datasets: values.dataset } : {}),
    deep: values.deep ?? false,
    ...(budgetBytes !== undefined ? { budgetBytes } : {}),
    ...(stateWaitMs !== undefined ? { stateWaitMs } : {}),
    ...(progress ? { progress: progress.update } : {}),
  });
  progress?.done();
  return { report, config };
}
