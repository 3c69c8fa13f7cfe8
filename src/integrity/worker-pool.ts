// A pool of hash worker threads: queues jobs, sends them in batches, cancels them on abort.

import { endThread, startThread, type Thread } from '../threads.js';
import { CANCEL_ALL, type HashJob, type HashJobResult, type HashThreadData } from './hash-job.js';

/** A batch ends at this many jobs or bytes: big enough that message cost vanishes, small enough to share work. */
const MAX_BATCH_JOBS = 64;
const MAX_BATCH_BYTES = 16 * 1024 * 1024;
/** Two batches per worker, so a worker finds its next batch waiting when it posts results. */
const BATCHES_IN_FLIGHT = 2;

export interface HashPoolOptions {
  workers: number;
  /** Read buffer per worker, in bytes. */
  bufferSize: number;
}

export interface HashPoolStats {
  /** Bytes read from files by all workers, including jobs whose result was dropped (aborted). */
  bytesRead: number;
  /** Jobs completed per worker threadId: proof that work is spread over threads. */
  jobsByThread: Record<number, number>;
  /** Most workers that had a batch in flight at the same moment. */
  peakBusyWorkers: number;
}

export interface HashPool {
  /** Hashes `file`, checking it still has the listed inode, size and mtime. */
  hash(file: ListedFile, signal?: AbortSignal): Promise<HashJobResult>;
  stats(): HashPoolStats;
  /** Resolves every queued or running job as aborted, then stops the threads. */
  close(): Promise<void>;
}

export interface ListedFile {
  path: string;
  ino: number;
  size: number;
  mtimeMs: number;
}

/** Kept small: a cold run may queue a job for each of a million files; the message is built at send time. */
interface PendingJob {
  id: number;
  file: ListedFile;
  state: 'queued' | 'running' | 'done';
  slot?: WorkerSlot;
  signal: AbortSignal | undefined;
  resolve(result: HashJobResult): void;
}

interface Batch {
  jobs: PendingJob[];
  bytes: number;
}

interface WorkerSlot {
  thread: Thread;
  threadId: number;
  /** control[0]: id of a running job to cancel, or CANCEL_ALL (read by the worker between reads). */
  control: Int32Array;
  inFlight: Batch[];
  bytes: number;
}

export function createHashPool(options: HashPoolOptions): HashPool {
  const slots: WorkerSlot[] = [];
  // A FIFO with a moving head: shift() on a 1,000,000-entry array is O(n) per call.
  let queue: PendingJob[] = [];
  let head = 0;
  let nextId = 1;
  let pumpScheduled = false;
  let closed = false;
  const stats: HashPoolStats = { bytesRead: 0, jobsByThread: {}, peakBusyWorkers: 0 };
  // One abort listener per signal, not per job: a run shares one signal over thousands of jobs,
  // and Node warns about more than ten listeners on one AbortSignal.
  const bySignal = new Map<AbortSignal, { jobs: Set<PendingJob>; onAbort: () => void }>();

  function finish(pending: PendingJob, result: HashJobResult): void {
    if (pending.state === 'done') return;
    pending.state = 'done';
    if (pending.signal) {
      const entry = bySignal.get(pending.signal);
      entry?.jobs.delete(pending);
      if (entry && entry.jobs.size === 0) {
        pending.signal.removeEventListener('abort', entry.onAbort);
        bySignal.delete(pending.signal);
      }
    }
    pending.resolve(result);
  }

  function abort(pending: PendingJob, message: string): void {
    if (pending.state === 'running' && pending.slot) Atomics.store(pending.slot.control, 0, pending.id);
    finish(pending, { id: pending.id, ok: false, reason: 'aborted', message, bytesRead: 0 });
  }

  function watch(pending: PendingJob, signal: AbortSignal): void {
    let entry = bySignal.get(signal);
    if (!entry) {
      const jobs = new Set<PendingJob>();
      const onAbort = (): void => {
        bySignal.delete(signal);
        for (const job of jobs) abort(job, 'hashing was aborted');
      };
      entry = { jobs, onAbort };
      bySignal.set(signal, entry);
      signal.addEventListener('abort', onAbort, { once: true });
    }
    entry.jobs.add(pending);
  }

  function takeBatch(maxJobs: number): Batch | undefined {
    const batch: Batch = { jobs: [], bytes: 0 };
    while (head < queue.length && batch.jobs.length < maxJobs && batch.bytes < MAX_BATCH_BYTES) {
      const pending = queue[head++] as PendingJob;
      if (pending.state !== 'queued') continue; // aborted while queued
      batch.jobs.push(pending);
      batch.bytes += pending.file.size;
    }
    if (head > 1024 && head * 2 > queue.length) {
      queue = queue.slice(head);
      head = 0;
    }
    return batch.jobs.length > 0 ? batch : undefined;
  }

  function send(slot: WorkerSlot, batch: Batch): void {
    for (const pending of batch.jobs) {
      pending.state = 'running';
      pending.slot = slot;
    }
    if (slot.inFlight.length === 0) slot.thread.worker.ref();
    slot.inFlight.push(batch);
    slot.bytes += batch.bytes;
    slot.thread.worker.postMessage(
      batch.jobs.map(
        ({ id, file }): HashJob => ({
          id,
          path: file.path,
          expect: { ino: file.ino, size: file.size, mtimeMs: file.mtimeMs },
        }),
      ),
    );
    const busy = slots.filter((s) => s.inFlight.length > 0).length;
    if (busy > stats.peakBusyWorkers) stats.peakBusyWorkers = busy;
  }

  function pump(): void {
    pumpScheduled = false;
    if (closed) return;
    // A short queue is dealt out over every batch slot rather than handed whole to the first worker.
    const share = Math.ceil((queue.length - head) / (options.workers * BATCHES_IN_FLIGHT));
    const maxJobs = Math.max(1, Math.min(MAX_BATCH_JOBS, share));
    // Deal one batch to each worker before any gets a second, spawning threads only while
    // every existing one is busy (a warm run that hashes one file starts one thread).
    for (let depth = 1; depth <= BATCHES_IN_FLIGHT; depth++) {
      for (let index = 0; index < options.workers; index++) {
        if (head >= queue.length) return;
        const slot = slots[index] ?? (depth === 1 ? spawn() : undefined);
        if (!slot || slot.inFlight.length >= depth || slot.bytes >= MAX_BATCH_BYTES) continue;
        const batch = takeBatch(maxJobs);
        if (!batch) return;
        send(slot, batch);
      }
    }
  }

  function schedulePump(): void {
    if (pumpScheduled) return;
    pumpScheduled = true;
    // A microtask lets a caller's synchronous loop of hash() calls fill the queue first,
    // so the first batches are full ones.
    queueMicrotask(pump);
  }

  function spawn(): WorkerSlot {
    const shared = new SharedArrayBuffer(4);
    const data: HashThreadData = { bufferSize: options.bufferSize, control: shared };
    const thread = startThread('hash-worker', import.meta.url, data, (results: HashJobResult[]) =>
      onResults(slot, results),
    );
    const { worker } = thread;
    const slot: WorkerSlot = {
      thread,
      threadId: worker.threadId,
      control: new Int32Array(shared),
      inFlight: [],
      bytes: 0,
    };
    worker.on('error', (error) => onFailure(slot, `hash worker failed: ${error.message}`));
    worker.on('exit', (code) => onFailure(slot, `hash worker exited with code ${code}`));
    slots.push(slot);
    return slot;
  }

  function onResults(slot: WorkerSlot, results: HashJobResult[]): void {
    const batch = slot.inFlight.shift();
    if (!batch) return;
    slot.bytes -= batch.bytes;
    if (slot.inFlight.length === 0) slot.thread.worker.unref();
    stats.jobsByThread[slot.threadId] = (stats.jobsByThread[slot.threadId] ?? 0) + results.length;
    results.forEach((result, index) => {
      stats.bytesRead += result.bytesRead;
      const pending = batch.jobs[index];
      if (pending) finish(pending, result);
    });
    schedulePump();
  }

  function onFailure(slot: WorkerSlot, message: string): void {
    const index = slots.indexOf(slot);
    if (index === -1) return;
    slots.splice(index, 1);
    for (const batch of slot.inFlight) {
      for (const pending of batch.jobs) {
        finish(pending, { id: pending.id, ok: false, reason: 'unreadable', message, bytesRead: 0 });
      }
    }
    slot.inFlight = [];
    if (!closed) schedulePump();
  }

  return {
    hash(file, signal) {
      return new Promise<HashJobResult>((resolve) => {
        const id = nextId;
        nextId = nextId >= 0x7fffffff ? 1 : nextId + 1;
        if (closed || signal?.aborted) {
          resolve({ id, ok: false, reason: 'aborted', message: 'hashing was aborted', bytesRead: 0 });
          return;
        }
        const pending: PendingJob = { id, file, state: 'queued', signal, resolve };
        if (signal) watch(pending, signal);
        queue.push(pending);
        schedulePump();
      });
    },

    stats() {
      return { ...stats, jobsByThread: { ...stats.jobsByThread } };
    },

    async close() {
      if (closed) return;
      closed = true;
      for (let index = head; index < queue.length; index++) {
        abort(queue[index] as PendingJob, 'the checksum service was closed');
      }
      queue = [];
      head = 0;
      const stopping = slots.splice(0, slots.length);
      for (const slot of stopping) {
        for (const batch of slot.inFlight) {
          for (const pending of batch.jobs) abort(pending, 'the checksum service was closed');
        }
        // Answered: a late result finds no batch (and leaves the thread referenced until it has ended).
        slot.inFlight = [];
        // Each job the thread still holds ends at its first read, so it soon reads the message that ends it.
        Atomics.store(slot.control, 0, CANCEL_ALL);
      }
      await Promise.all(stopping.map((slot) => endThread(slot.thread)));
    },
  };
}
