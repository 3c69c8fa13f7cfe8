// verify --deep --budget: after a quick inventory, read again the copies confirmed longest ago, across
// every location of the run, up to the budget (policy/scrub.ts chooses), and say what that did.
import type { Config } from '../config/types.js';
import type { ScrubFacts, SourceResult } from '../model.js';
import { chooseRereads, lastReadMs } from '../policy/scrub.js';
import type { Rereadable, Rereads } from '../sources/rereads.js';
import { sourceState } from '../sources/source.js';
import { throwIfAborted } from './abort.js';

export type { ScrubFacts } from '../model.js';

/** Collects what the sources offer while they run (SourceContext.offerRereads), then re-reads within the budget. */
export function createScrub(budgetBytes: number): {
  offer: (rereads: Rereads) => void;
  run: (options: { config: Config; results: SourceResult[]; now: Date; signal?: AbortSignal }) => Promise<ScrubFacts>;
} {
  const offered = new Map<string, Rereads>();
  return {
    offer: (rereads) => offered.set(rereads.location, rereads),
    async run({ config, results, now, signal }) {
      const nowMs = now.getTime();
      const items = [...offered.values()].flatMap((rereads) => rereads.items);
      for (const item of items) {
        item.readAtMs = item.copies[0] && lastReadMs(item.copies[0], nowMs, config.policy.clockSkewMs);
      }
      const byLocation = new Map<string, Rereadable[]>();
      for (const item of chooseRereads(items, budgetBytes)) {
        const chosen = byLocation.get(item.location);
        if (chosen) chosen.push(item);
        else byLocation.set(item.location, [item]);
      }
      const read = await Promise.all(
        [...byLocation].map(async ([location, chosen]) => {
          const started = performance.now();
          const done = (await offered.get(location)?.reread(chosen)) ?? [];
          // A read that failed is a warning of the location's, as in any run.
          const status = results.find((result) => result.status.id === location)?.status;
          if (status) {
            status.status = sourceState(status.issues);
            status.durationMs += Math.round(performance.now() - started);
          }
          return done;
        }),
      );
      throwIfAborted(signal);
      return scrubFacts(config, items, read.flat(), budgetBytes, nowMs);
    },
  };
}

function scrubFacts(
  config: Config,
  items: Rereadable[],
  read: Rereadable[],
  budgetBytes: number,
  nowMs: number,
): ScrubFacts {
  const maxAgeOf = new Map(config.datasets.map((dataset) => [dataset.id, dataset.policy.verifyMaxAgeMs]));
  const facts: ScrubFacts = {
    budgetBytes,
    readBytes: 0,
    copiesRead: 0,
    totalBytes: 0,
    copiesTotal: 0,
    copiesNotReadRecently: 0,
  };
  for (const item of read) {
    facts.readBytes += item.bytes;
    facts.copiesRead += item.copies.length;
  }
  for (const item of items) {
    facts.totalBytes += item.bytes;
    facts.copiesTotal += item.copies.length;
    for (const copy of item.copies) {
      const at = lastReadMs(copy, nowMs, config.policy.clockSkewMs);
      const maxAge = maxAgeOf.get(copy.dataset) ?? config.policy.verifyMaxAgeMs;
      if (at === undefined || nowMs - at > maxAge) facts.copiesNotReadRecently += 1;
    }
  }
  return facts;
}
