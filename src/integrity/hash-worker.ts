// A hash thread: a batch of jobs in, one message of results out (per-message cost matters with
// thousands of small files), with one reusable read buffer per thread.
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { serveUntilEnded } from '../threads.js';
import { CANCEL_ALL, type HashJob, type HashJobResult, type HashThreadData, hashJob } from './hash-job.js';

const { bufferSize, control: shared } = workerData as HashThreadData;
const buffer = Buffer.allocUnsafeSlow(bufferSize);
const control = new Int32Array(shared);
const isCancelled = (id: number): boolean => {
  const cancelled = Atomics.load(control, 0);
  return cancelled === id || cancelled === CANCEL_ALL;
};

serveUntilEnded(parentPort, (batch: HashJob[], port) => {
  const results: HashJobResult[] = new Array(batch.length);
  for (let i = 0; i < batch.length; i++) results[i] = hashJob(fs, crypto, batch[i] as HashJob, buffer, isCancelled);
  port.postMessage(results);
});
