// A pool of hash worker threads: queues jobs, sends them in batches, cancels them on abort.

import { abandonThread, answerWatchdog, endThreadWithin, startThread, type Thread } from '../threads.js';
import {
  BEAT,
  beatAge,
  beatClock,
  CANCEL,
  CANCEL_ALL,
  CONTROL_SLOTS,
  type HashJob,
  type HashJobResult,
  type HashThreadData,
  RUNNING,
} from './hash-job.js';

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
  /** Resolves every queued or running job as aborted, then stops the threads (not the ones given up on). */
  close(): Promise<void>;
}

export interface ListedFile {
  path: string;
  ino: number;
  size: number;
  mtimeMs: number;
  /** The file's location, when a read of it that does not return must not hold the run (a hung mount). */
  answer?: AnswerWatch;
}

/**
 * How long one read (or the open) of a location's files may take, and whom to tell when one has not
 * returned in that time: the thread is then given up on (it stays in the kernel) and replaced, and the
 * other jobs it held go to the other threads. Shared by every file of the location.
 */
export interface AnswerWatch {
  answerWithinMs: number;
  notAnswering(path: string): void;
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
  /** HashThreadData.control: the job to cancel, the job running and its last beat. */
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
  const epochMs = Date.now();
  const watchdog = answerWatchdog(() => checkAnswers());
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
    if (pending.state === 'running' && pending.slot) Atomics.store(pending.slot.control, CANCEL, pending.id);
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
    for (const pending of batch.jobs) if (pending.file.answer) watchdog.watch(pending.file.answer.answerWithinMs);
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

  /** The job a thread is on, when its last beat is older than its location allows. */
  function stuckJob(slot: WorkerSlot, now: number): PendingJob | undefined {
    const running = Atomics.load(slot.control, RUNNING);
    if (running === 0) return undefined;
    for (const batch of slot.inFlight) {
      for (const pending of batch.jobs) {
        if (pending.id !== running) continue;
        const watch = pending.file.answer;
        return watch && beatAge(Atomics.load(slot.control, BEAT), now) > watch.answerWithinMs ? pending : undefined;
      }
    }
    return undefined;
  }

  /**
   * How long a closing pool waits for a thread: what is left of its running read's own limit. A read
   * the watchdog had no turn to catch yet (its location gave up through another thread) is not waited
   * for the longest limit of the run (another location's 5 minutes).
   */
  function closeBound(slot: WorkerSlot, now: number): number {
    const running = Atomics.load(slot.control, RUNNING);
    const job = running === 0 ? undefined : slot.inFlight.flatMap((batch) => batch.jobs).find((p) => p.id === running);
    const watch = job?.file.answer;
    if (!watch) return watchdog.closeWithinMs;
    return Math.max(0, watch.answerWithinMs - beatAge(Atomics.load(slot.control, BEAT), now));
  }

  function checkAnswers(): void {
    const now = beatClock(epochMs, Date.now());
    for (const slot of slots.slice()) {
      const stuck = stuckJob(slot, now);
      if (stuck) giveUp(slot, stuck);
    }
  }

  /**
   * A thread whose read has not returned in time (a hung mount) is given up on: its location is told
   * (which aborts that location's jobs), its other jobs go back to the queue's head for the other
   * threads, and a new thread takes its place. The old one ends when the kernel lets its read return.
   */
  function giveUp(slot: WorkerSlot, stuck: PendingJob): void {
    const index = slots.indexOf(slot);
    if (index === -1) return;
    slots.splice(index, 1);
    const message = `no answer within ${stuck.file.answer?.answerWithinMs} ms`;
    stuck.file.answer?.notAnswering(stuck.file.path);
    finish(stuck, { id: stuck.id, ok: false, reason: 'unreadable', message, bytesRead: 0 });
    const requeued: PendingJob[] = [];
    for (const batch of slot.inFlight) {
      for (const pending of batch.jobs) {
        if (pending.state !== 'running') continue;
        pending.state = 'queued';
        pending.slot = undefined;
        requeued.push(pending);
      }
    }
    slot.inFlight = [];
    abandonThread(slot.thread);
    queue = [...requeued, ...queue.slice(head)];
    head = 0;
    schedulePump();
  }

  function spawn(): WorkerSlot {
    const shared = new SharedArrayBuffer(CONTROL_SLOTS * Int32Array.BYTES_PER_ELEMENT);
    const data: HashThreadData = { bufferSize: options.bufferSize, control: shared, epochMs };
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
      watchdog.stop();
      for (let index = head; index < queue.length; index++) {
        abort(queue[index] as PendingJob, 'the checksum service was closed');
      }
      queue = [];
      head = 0;
      const stopping = slots.splice(0, slots.length);
      const now = beatClock(epochMs, Date.now());
      const bounds = stopping.map((slot) => closeBound(slot, now));
      for (const slot of stopping) {
        for (const batch of slot.inFlight) {
          for (const pending of batch.jobs) abort(pending, 'the checksum service was closed');
        }
        // Answered: a late result finds no batch (and leaves the thread referenced until it has ended).
        slot.inFlight = [];
        // Each job the thread still holds ends at its first read, so it soon reads the message that ends it.
        Atomics.store(slot.control, CANCEL, CANCEL_ALL);
      }
      await Promise.all(stopping.map((slot, index) => endThreadWithin(slot.thread, bounds[index] as number)));
    },
  };
}
