// Which log file a `media` or `drill` command appends to: --log FILE, or the one the config names.
import { loadConfig } from '../config/load.js';
import type { Config } from '../config/types.js';
import { UsageError } from '../errors.js';
import { msg } from '../messages/index.js';
import { formatForPath, type MediaLogFormat } from '../sources/offline-log/parse.js';
import { configPath } from './args.js';

export interface MediaLogTarget {
  path: string;
  format: MediaLogFormat;
}

/**
 * --log wins; otherwise the config's offline-log location (--location ID, or the only one there is).
 * The config is the default because then the agent and the operator cannot disagree on the file.
 */
export async function mediaLogTarget(values: {
  log?: string;
  config?: string;
  location?: string;
}): Promise<MediaLogTarget> {
  if (values.log !== undefined) {
    if (values.location !== undefined) throw new UsageError(msg('log.location-with-log'));
    return { path: values.log, format: formatForPath(values.log) };
  }
  const config = await loadConfig(configPath(values.config));
  const logs = config.locations.filter((location) => location.type === 'offline-log');
  const ids = logs.length > 0 ? logs.map((location) => location.id) : msg('log.none');
  const chosen =
    values.location === undefined && logs.length === 1 ? logs[0] : logs.find((l) => l.id === values.location);
  if (!chosen) {
    throw new UsageError(
      values.location === undefined
        ? msg('log.choose-location', { file: config.file, ids })
        : msg('log.no-such-location', { file: config.file, location: values.location, ids }),
    );
  }
  return { path: chosen.path, format: chosen.format };
}

/** The drill log: --log, or the config's `restoreDrills`; the config (when read) is returned to check ids. */
export async function drillLogTarget(values: {
  log?: string;
  config?: string;
}): Promise<{ path: string; config?: Config }> {
  if (values.log !== undefined) return { path: values.log };
  const config = await loadConfig(configPath(values.config));
  if (!config.restoreDrills) {
    throw new UsageError(msg('log.no-drill-log', { file: config.file }));
  }
  return { path: config.restoreDrills, config };
}
