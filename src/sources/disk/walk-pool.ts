// Worker threads that list and stat a disk walk's directories, so the walk's own thread only acts on
// what they found (makes copies, looks up checksums) while the next directories are being read.
// Why: listing and stating are most of a walk, and find(1) leaves the second core idle (docs/benchmarks-history.md, issue 26).
import * as fs from 'node:fs';
import { errorMessage } from '../../errors.js';
import { DEFAULT_READ_BUFFER_BYTES } from '../../integrity/service.js';
import { endThread, startThread, type Thread } from '../../threads.js';
import {
  CLOSED,
  type DirectoryJob,
  type DirectoryListing,
  STOP_HASHING,
  type WalkThreadData,
} from './directory-job.js';
import { failedListing, readDirectory } from './read-directory.js';

export interface WalkPool {
  /**
   * Reads `job` on a worker thread. Undefined while no worker is ready or every worker has enough
   * queued: the caller then sends it later, or reads it itself with `readOnWalkThread`.
   */
  submit(job: DirectoryJob): Promise<DirectoryListing> | undefined;
  /** How many threads read (besides the walk's own). */
  readonly threads: number;
  /** Resolves once every thread can take jobs (a walk never waits for it; tests do). */
  ready(): Promise<void>;
  /**
   * Resolves true when a thread has answered a job (so submit() may find room), false when no thread
   * is left to answer (closed, or every thread stopped). For walks that would rather not read a
   * directory themselves: --deep's hashing walks, two of which (two locations) can fill every thread's
   * queue between them.
   */
  untilJobAnswered(): Promise<boolean>;
  /**
   * The run was aborted: every thread stops hashing (between reads of a file, too), so the jobs it
   * still holds come back as plain listings within milliseconds. For good: a pool serves one run.
   */
  stopHashing(): void;
  /** Answers every job still held (on the calling thread), and resolves once the threads have ended. */
  close(): Promise<void>;
}

/** Jobs queued per worker: enough that one finds its next directory waiting when it answers. */
const JOBS_PER_WORKER = 16;

/** The walk's own reading of a directory: the same code the workers run. */
export function readOnWalkThread(job: DirectoryJob): DirectoryListing {
  return readDirectory(fs, job);
}

/** readOnWalkThread, for an event handler: anything it throws becomes the directory's read error, never an uncaught one. */
function readOrFail(job: DirectoryJob): DirectoryListing {
  try {
    return readOnWalkThread(job);
  } catch (error) {
    return failedListing('EIO', errorMessage(error));
  }
}

/**
 * A thread per core beside the walk's own (which reads too while it would wait), at most two: more
 * mostly add kernel contention on the same directories. On one core a thread gains nothing: undefined,
 * and the walk reads every directory itself.
 */
export function walkPoolFor(cores: number): WalkPool | undefined {
  return cores >= 2 ? createWalkPool(Math.min(2, cores - 1)) : undefined;
}

/**
 * For verify --deep: as many threads as hash threads, since they hash the small files they list
 * (DirectoryJob.hash) and the walk's own thread then only acts on their listings. At most eight: each
 * is a Node thread beside the hash pool's, and small files on one location rarely keep more busy.
 */
export function hashingWalkPool(hashThreads: number): WalkPool {
  return createWalkPool(Math.min(MAX_HASHING_THREADS, Math.max(1, hashThreads)));
}

const MAX_HASHING_THREADS = 8;

interface Pending {
  job: DirectoryJob;
  resolve: (listing: DirectoryListing) => void;
}

interface Slot {
  thread: Thread;
  /** Takes jobs: its module has loaded (before, a job would wait for that, where the walk's own thread need not). */
  listening: boolean;
  /** Jobs sent and not yet answered, in order: a worker answers in the order it was asked. */
  inFlight: Pending[];
}

export function createWalkPool(size: number): WalkPool {
  const slots: Slot[] = [];
  let closed = false;
  const listening: Array<Promise<void>> = [];
  const shared = new SharedArrayBuffer(4);
  const control = new Int32Array(shared);
  const data: WalkThreadData = { bufferSize: DEFAULT_READ_BUFFER_BYTES, control: shared };
  let answerWaiters: Array<(threadsLeft: boolean) => void> = [];
  const jobAnswered = (): void => {
    const waiters = answerWaiters;
    answerWaiters = [];
    for (const resolve of waiters) resolve(!closed && slots.length > 0);
  };

  /** A worker that stopped leaves its jobs to the calling thread: no directory is lost to a crash. */
  const retire = (slot: Slot): void => {
    const index = slots.indexOf(slot);
    if (index !== -1) slots.splice(index, 1);
    for (const pending of slot.inFlight.splice(0)) pending.resolve(readOrFail(pending.job));
    jobAnswered();
  };

  for (let i = 0; i < size; i++) {
    const thread = startThread('walk-worker', import.meta.url, data, (listing: DirectoryListing) => {
      // Answered already, on this thread, when the pool closed; the thread stays referenced until it ends.
      if (closed) return;
      slot.inFlight.shift()?.resolve(listing);
      if (slot.inFlight.length === 0) worker.unref();
      jobAnswered();
    });
    const { worker } = thread;
    const slot: Slot = { thread, listening: false, inFlight: [] };
    // A thread that never starts (it exits) must not leave ready() hanging: `listening` resolves then too.
    listening.push(
      thread.listening.then(() => {
        slot.listening = true;
        // Idle threads must not keep a process alive; a thread with work (or ending) is referenced.
        if (!closed && slot.inFlight.length === 0) worker.unref();
      }),
    );
    worker.on('error', () => retire(slot));
    worker.on('exit', () => retire(slot));
    slots.push(slot);
  }

  return {
    threads: size,
    submit(job) {
      if (closed) return undefined;
      let best: Slot | undefined;
      for (const slot of slots) {
        if (
          slot.listening &&
          slot.inFlight.length < JOBS_PER_WORKER &&
          (!best || slot.inFlight.length < best.inFlight.length)
        )
          best = slot;
      }
      if (!best) return undefined;
      const slot = best;
      return new Promise<DirectoryListing>((resolve) => {
        slot.inFlight.push({ job, resolve });
        if (slot.inFlight.length === 1) slot.thread.worker.ref();
        slot.thread.worker.postMessage(job);
      });
    },
    async ready() {
      await Promise.all(listening);
    },
    stopHashing() {
      // Not over CLOSED: a closed pool's threads skip every job, hashing included.
      Atomics.compareExchange(control, 0, 0, STOP_HASHING);
    },
    untilJobAnswered() {
      if (closed || slots.length === 0) return Promise.resolve(false);
      return new Promise<boolean>((resolve) => answerWaiters.push(resolve));
    },
    async close() {
      if (closed) return;
      closed = true;
      jobAnswered();
      const stopping = slots.slice();
      // Every job still held is answered here first, so no answer waits on how a thread's exit is
      // ordered against its last messages; the threads skip what they still hold and end by themselves.
      for (const slot of stopping) retire(slot);
      Atomics.store(control, 0, CLOSED);
      await Promise.all(stopping.map((slot) => endThread(slot.thread)));
    },
  };
}
