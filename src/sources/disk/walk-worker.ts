// A walk's reading thread: one directory job in, its listing out with the typed arrays transferred; or
// one of the location's other reads (probe.ts) in, its answer out.
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { serveUntilEnded } from '../../threads.js';
import { CLOSED, type DirectoryJob, type WalkThreadData } from './directory-job.js';
import type { ProbeJob } from './walk-types.js';
import { createListingHasher } from './listing-hasher.js';
import { type ProbeFs, runProbe } from './probe.js';
import { readDirectory } from './read-directory.js';

const { bufferSize, control: shared } = workerData as WalkThreadData;
const control = new Int32Array(shared);
const hasher = createListingHasher(fs, crypto, bufferSize, () => Atomics.load(control, 0) !== 0);

serveUntilEnded(parentPort, (job: DirectoryJob | ProbeJob, port) => {
  // The pool answered this job itself when it closed.
  if (Atomics.load(control, 0) === CLOSED) return;
  if ('probe' in job) {
    port.postMessage(runProbe(fs as unknown as ProbeFs, job));
    return;
  }
  const listing = readDirectory(fs, job, hasher);
  port.postMessage(listing, [listing.kinds.buffer, listing.matched.buffer, listing.stats.buffer]);
});
