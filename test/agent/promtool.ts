// Runs Prometheus' own checker (Debian package `prometheus`, installed by .ci/run) on our pages and rules.
import { spawnSync } from 'node:child_process';

export interface PromtoolResult {
  code: number | null;
  output: string;
}

export function promtool(args: string[], input?: string): PromtoolResult {
  const result = spawnSync('promtool', args, { input, encoding: 'utf8', timeout: 120_000 });
  if (result.error) throw result.error;
  return { code: result.status, output: `${result.stdout}${result.stderr}` };
}

/** The value of one sample of a page, found by its name and labels as written; undefined when absent. */
export function sample(page: string, series: string): number | undefined {
  const line = page.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}
