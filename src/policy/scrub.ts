// verify --deep --budget: which copies a run reads again within its budget of bytes, so that runs one
// after another re-read a whole estate, the copies confirmed longest ago first.
import type { Copy } from '../model.js';
import { confirmationOf } from './confirmation.js';

/** One thing a run can read again (a file, a directory, an object) and when its bytes were last read. */
export interface ScrubCandidate {
  location: string;
  path: string;
  bytes: number;
  /** Epoch ms; undefined: never read. */
  readAtMs: number | undefined;
}

/**
 * When a copy's bytes were last read, or undefined when they never were. A read dated further ahead of
 * the clock than `skewMs` proves no read (policy says `read-in-future`): it counts as none, so it is
 * read again at once instead of waiting, last in line, for the clock to catch up.
 */
export function lastReadMs(copy: Copy, nowMs: number, skewMs: number): number | undefined {
  const confirmation = confirmationOf(copy);
  if (confirmation.kind !== 'read' || confirmation.at === undefined) return undefined;
  const at = Date.parse(confirmation.at);
  return Number.isNaN(at) || at > nowMs + skewMs ? undefined : at;
}

const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Never read first, then the oldest read; ties by path, then location, so a run's choice is the same each time. */
export function scrubOrder(a: ScrubCandidate, b: ScrubCandidate): number {
  const at = (a.readAtMs ?? Number.NEGATIVE_INFINITY) - (b.readAtMs ?? Number.NEGATIVE_INFINITY);
  if (at !== 0 && !Number.isNaN(at)) return at < 0 ? -1 : 1;
  return compareText(a.path, b.path) || compareText(a.location, b.location);
}

/**
 * The candidates to read this run: in scrubOrder, each one whose size fits in what is left of the
 * budget; one that does not fit is passed over and smaller ones after it may still be taken. So the
 * bytes read never exceed the budget, with one exception: a candidate bigger than the whole budget,
 * which could never fit, is taken when it heads the order, and alone (the run then reads it and
 * nothing else). Nothing waits for ever: the head of the order is always taken, and what is read
 * goes to the back, so every candidate comes to head it within as many runs as there are ahead of it.
 */
export function chooseRereads<T extends ScrubCandidate>(candidates: readonly T[], budgetBytes: number): T[] {
  const chosen: T[] = [];
  let left = budgetBytes;
  for (const candidate of [...candidates].sort(scrubOrder)) {
    if (candidate.bytes <= left) {
      chosen.push(candidate);
      left -= candidate.bytes;
    } else if (chosen.length === 0) {
      chosen.push(candidate);
      break;
    }
  }
  return chosen;
}
