// A hash thread: a batch of jobs in, one message of results out (per-message cost matters with
// thousands of small files), with one reusable read buffer per thread.
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { serveUntilEnded } from '../threads.js';
import {
  BEAT,
  beatClock,
  CANCEL,
  CANCEL_ALL,
  type HashJob,
  type HashJobResult,
  type HashThreadData,
  hashJob,
  RUNNING,
} from './hash-job.js';

const { bufferSize, control: shared, epochMs } = workerData as HashThreadData;
const buffer = Buffer.allocUnsafeSlow(bufferSize);
const control = new Int32Array(shared);
/** Asked before every read: also the beat that tells the pool this thread's reads still return. */
const isCancelled = (id: number): boolean => {
  Atomics.store(control, BEAT, beatClock(epochMs, Date.now()));
  const cancelled = Atomics.load(control, CANCEL);
  return cancelled === id || cancelled === CANCEL_ALL;
};

serveUntilEnded(parentPort, (batch: HashJob[], port) => {
  const results: HashJobResult[] = new Array(batch.length);
  for (let i = 0; i < batch.length; i++) {
    const job = batch[i] as HashJob;
    // Before the open, which a hung mount can hold as well as a read.
    Atomics.store(control, RUNNING, job.id);
    Atomics.store(control, BEAT, beatClock(epochMs, Date.now()));
    results[i] = hashJob(fs, crypto, job, buffer, isCancelled);
  }
  Atomics.store(control, RUNNING, 0);
  port.postMessage(results);
});
