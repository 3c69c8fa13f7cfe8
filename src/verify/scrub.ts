// verify --deep --budget: after a quick inventory, read again the copies confirmed longest ago, across
// every location of the run, up to the budget (policy/scrub.ts chooses), and say what that did.
import type { Config } from '../config/types.js';
import type { ScrubFacts, SourceResult } from '../model.js';
import { chooseRereads, lastReadMs, type ScrubCandidate } from '../policy/scrub.js';
import type { Rereadable, Rereads } from '../sources/rereads.js';
import { sourceState } from '../sources/source.js';
import { throwIfAborted } from './abort.js';

export type { ScrubFacts } from '../model.js';

interface Candidate extends ScrubCandidate {
  item: Rereadable;
  rereads: Rereads;
}

/** Collects what the sources offer while they run (SourceContext.offerRereads), then re-reads within the budget. */
export function createScrub(budgetBytes: number): {
  offer: (rereads: Rereads) => void;
  run: (options: { config: Config; results: SourceResult[]; now: Date; signal?: AbortSignal }) => Promise<ScrubFacts>;
} {
  const offered: Rereads[] = [];
  return {
    offer: (rereads) => offered.push(rereads),
    async run({ config, results, now, signal }) {
      const nowMs = now.getTime();
      const skewMs = config.policy.clockSkewMs;
      const candidates: Candidate[] = offered.flatMap((rereads) =>
        rereads.items.map((item) => ({
          location: item.location,
          path: item.path,
          bytes: item.bytes,
          readAtMs: item.copies[0] ? lastReadMs(item.copies[0], nowMs, skewMs) : undefined,
          item,
          rereads,
        })),
      );
      const chosen = chooseRereads(candidates, budgetBytes);
      const byLocation = new Map<Rereads, Rereadable[]>();
      for (const { rereads, item } of chosen) {
        const items = byLocation.get(rereads);
        if (items) items.push(item);
        else byLocation.set(rereads, [item]);
      }
      const read = await Promise.all(
        [...byLocation].map(async ([rereads, items]) => {
          const started = performance.now();
          const done = await rereads.reread(items);
          // A read that failed is a warning of the location's, as in any run.
          const status = results.find((result) => result.status.id === rereads.location)?.status;
          if (status) {
            status.status = sourceState(status.issues);
            status.durationMs += Math.round(performance.now() - started);
          }
          return done;
        }),
      );
      throwIfAborted(signal);
      return scrubFacts(config, candidates, read.flat(), budgetBytes, nowMs);
    },
  };
}

function scrubFacts(
  config: Config,
  candidates: Candidate[],
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
  for (const { item } of candidates) {
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
