// Worker threads that list and stat a disk walk's directories (and make its other reads, probe.ts), so
// the walk's own thread only acts on what they found (makes copies, looks up checksums) and never waits
// on a location itself.
// Why: listing and stating are most of a walk, and find(1) leaves the second core idle (docs/benchmarks-history.md, issue 26).
import { DEFAULT_READ_BUFFER_BYTES } from '../../integrity/service.js';
import { abandonThread, answerWatchdog, endThreadWithin, startThread, type Thread } from '../../threads.js';
import {
  CLOSED,
  type DirectoryJob,
  type DirectoryListing,
  STOP_HASHING,
  type WalkThreadData,
} from './directory-job.js';
import type { LocationReader, ProbeAnswer, ProbeJob, WalkPool } from './walk-types.js';

export type { LocationReader, ProbeAnswerOf, WalkPool } from './walk-types.js';

import { failedListing } from './read-directory.js';

/** Creates the reader of one location's jobs; `onNotAnswering` is told once, of the first read that did not return. */
export function locationReader(
  location: string,
  answerWithinMs: number,
  onNotAnswering: (path: string) => void = () => undefined,
): LocationReader {
  const reader: LocationReader = {
    location,
    answerWithinMs,
    stoppedAnswering: undefined,
    notAnswering(path) {
      if (reader.stoppedAnswering) return;
      reader.stoppedAnswering = { path };
      onNotAnswering(path);
    },
  };
  return reader;
}

function notAnsweringMessage(reader: LocationReader): string {
  return `${reader.location} did not answer within ${reader.answerWithinMs} ms (${reader.stoppedAnswering?.path ?? ''})`;
}

/** The error code a directory listing of a location that is not answering gets. */
export const NOT_ANSWERING = 'ETIMEDOUT';

/** What a probe of a location that is not answering rejects with: the location's read is over. */
export class LocationNotAnswering extends Error {
  readonly location: string;
  readonly path: string;
  constructor(reader: LocationReader) {
    super(notAnsweringMessage(reader));
    this.name = 'LocationNotAnswering';
    this.location = reader.location;
    this.path = reader.stoppedAnswering?.path ?? '';
  }
}

/** Jobs queued per worker: enough that one finds its next directory waiting when it answers. */
const JOBS_PER_WORKER = 16;

/**
 * A thread per core, at most two: the walk's own thread only acts on their listings (it never reads a
 * location: a hung mount must not hold the thread that answers /healthz), and more threads mostly add
 * kernel contention on the same directories.
 */
export function walkPoolFor(cores: number): WalkPool {
  return createWalkPool(Math.max(1, Math.min(2, cores)));
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

/** A crash-looping thread module must not be restarted forever: past this many restarts per thread, jobs fail. */
const RESTARTS_PER_THREAD = 3;

type Job = { kind: 'directory'; job: DirectoryJob } | { kind: 'probe'; job: ProbeJob };

interface Pending {
  work: Job;
  reader: LocationReader | undefined;
  resolve: (answer: DirectoryListing | ProbeAnswer) => void;
}

interface Slot {
  thread: Thread;
  /** Takes jobs: its module has loaded (before, a job would wait for that). */
  listening: boolean;
  /** Jobs sent and not yet answered, in order: a worker answers in the order it was asked. */
  inFlight: Pending[];
  /** When the oldest job in flight began to be the one the thread works on (performance.now()). */
  headSince: number;
}

/** The answer a job gets without a thread: its location is not answering, or the pool closed. */
function failedAnswer(work: Job, code: string, message: string): DirectoryListing | ProbeAnswer {
  if (work.kind === 'directory') return failedListing(code, message);
  const error = { code, message };
  switch (work.job.probe) {
    case 'stat':
      return { probe: 'stat', stat: undefined, error };
    case 'link-on-the-way':
      return { probe: 'link-on-the-way', link: undefined };
    case 'list':
      return { probe: 'list', names: [], files: [], error };
    case 'read-text':
      return { probe: 'read-text', error };
    case 'realpath':
      return { probe: 'realpath', real: work.job.path, dev: undefined };
    case 'tree':
      return {
        probe: 'tree',
        summary: { files: [], bytes: 0, newestMtimeMs: work.job.directory.mtimeMs, incomplete: true },
        issues: [],
        listed: 0,
        error,
      };
  }
}

function pathOf(work: Job): string {
  if (work.kind === 'directory') return work.job.path;
  const job = work.job;
  return job.probe === 'link-on-the-way' ? job.root : job.probe === 'tree' ? job.directory.path : job.path;
}

export function createWalkPool(size: number): WalkPool {
  const slots: Slot[] = [];
  let closed = false;
  let restartsLeft = size * RESTARTS_PER_THREAD;
  const listening: Array<Promise<void>> = [];
  const shared = new SharedArrayBuffer(4);
  const control = new Int32Array(shared);
  const data: WalkThreadData = { bufferSize: DEFAULT_READ_BUFFER_BYTES, control: shared };
  /** Jobs no thread holds: probes that found every thread full, and jobs of a thread that stopped or was given up on. */
  const waiting: Pending[] = [];
  let answerWaiters: Array<(threadsLeft: boolean) => void> = [];

  const jobAnswered = (): void => {
    const waiters = answerWaiters;
    answerWaiters = [];
    for (const resolve of waiters) resolve(!closed);
  };

  const fail = (pending: Pending, code: string, message: string): void =>
    pending.resolve(failedAnswer(pending.work, code, message));

  /** Sends `pending` to `slot` (which has room), or fails it at once when its location is not answering. */
  const send = (slot: Slot, pending: Pending): void => {
    if (pending.reader?.stoppedAnswering) {
      fail(pending, NOT_ANSWERING, notAnsweringMessage(pending.reader));
      return;
    }
    if (slot.inFlight.length === 0) {
      slot.headSince = performance.now();
      slot.thread.worker.ref();
    }
    slot.inFlight.push(pending);
    if (pending.reader) watchdog.watch(pending.reader.answerWithinMs);
    slot.thread.worker.postMessage(pending.work.job);
  };

  const roomiest = (): Slot | undefined => {
    let best: Slot | undefined;
    for (const slot of slots) {
      if (
        slot.listening &&
        slot.inFlight.length < JOBS_PER_WORKER &&
        (!best || slot.inFlight.length < best.inFlight.length)
      )
        best = slot;
    }
    return best;
  };

  /** Hands the waiting jobs to threads with room; first in, first sent. */
  const drainWaiting = (): void => {
    while (waiting.length > 0) {
      const slot = roomiest();
      if (!slot) return;
      send(slot, waiting.shift() as Pending);
    }
  };

  const remove = (slot: Slot): void => {
    const index = slots.indexOf(slot);
    if (index !== -1) slots.splice(index, 1);
  };

  /** A thread that stopped: its jobs wait for the others (or its replacement); no directory is lost to a crash. */
  const retire = (slot: Slot): void => {
    if (!slots.includes(slot)) return;
    remove(slot);
    const orphans = slot.inFlight.splice(0);
    if (closed) {
      for (const pending of orphans) fail(pending, 'ECANCELED', 'the walk ended');
      return;
    }
    if (restartsLeft > 0) {
      restartsLeft -= 1;
      startSlot();
    }
    if (slots.length === 0) {
      for (const pending of [...orphans, ...waiting.splice(0)]) fail(pending, 'EIO', 'no reading thread is left');
    } else waiting.unshift(...orphans);
    drainWaiting();
    jobAnswered();
  };

  /**
   * A read that has not returned within its location's limit holds its thread in the kernel (a hung
   * mount): that thread is given up on and replaced; its location's jobs fail from now on, the other
   * locations' jobs it held go to the other threads.
   */
  const giveUp = (slot: Slot): void => {
    remove(slot);
    const stuck = slot.inFlight.shift() as Pending;
    const reader = stuck.reader as LocationReader;
    reader.notAnswering(pathOf(stuck.work));
    fail(stuck, NOT_ANSWERING, notAnsweringMessage(reader));
    waiting.unshift(...slot.inFlight.splice(0));
    abandonThread(slot.thread);
    startSlot();
    drainWaiting();
    jobAnswered();
  };

  const checkAnswers = (): void => {
    const now = performance.now();
    for (const slot of slots.slice()) {
      const head = slot.inFlight[0];
      if (head?.reader && now - slot.headSince > head.reader.answerWithinMs) giveUp(slot);
    }
  };
  const watchdog = answerWatchdog(checkAnswers);

  function startSlot(): void {
    const thread = startThread('walk-worker', import.meta.url, data, (answer: DirectoryListing | ProbeAnswer) => {
      // Answered already, when the pool closed; the thread stays referenced until it ends.
      if (closed || !slots.includes(slot)) return;
      slot.inFlight.shift()?.resolve(answer);
      slot.headSince = performance.now();
      if (slot.inFlight.length === 0) worker.unref();
      drainWaiting();
      jobAnswered();
    });
    const { worker } = thread;
    const slot: Slot = { thread, listening: false, inFlight: [], headSince: 0 };
    // A thread that never starts (it exits) must not leave ready() hanging: `listening` resolves then too.
    listening.push(
      thread.listening.then(() => {
        slot.listening = true;
        // Idle threads must not keep a process alive; a thread with work (or ending) is referenced.
        if (!closed && slot.inFlight.length === 0) worker.unref();
        drainWaiting();
        jobAnswered();
      }),
    );
    worker.on('error', () => retire(slot));
    worker.on('exit', () => retire(slot));
    slots.push(slot);
  }

  for (let i = 0; i < size; i++) startSlot();

  const request = (work: Job, reader: LocationReader | undefined): Promise<DirectoryListing | ProbeAnswer> =>
    new Promise((resolve) => {
      const pending: Pending = { work, reader, resolve };
      if (closed) fail(pending, 'ECANCELED', 'the walk ended');
      else if (reader?.stoppedAnswering) fail(pending, NOT_ANSWERING, notAnsweringMessage(reader));
      else {
        const slot = waiting.length === 0 ? roomiest() : undefined;
        if (slot) send(slot, pending);
        else waiting.push(pending);
      }
    });

  return {
    threads: size,
    submit(job, reader) {
      if (closed) return undefined;
      if (reader?.stoppedAnswering) return Promise.resolve(failedListing(NOT_ANSWERING, notAnsweringMessage(reader)));
      if (waiting.length > 0 || !roomiest()) return undefined;
      return request({ kind: 'directory', job }, reader) as Promise<DirectoryListing>;
    },
    async probe(job, reader) {
      const answer = (await request({ kind: 'probe', job }, reader)) as ProbeAnswer & { error?: { code: string } };
      if (reader?.stoppedAnswering && answer.error?.code === NOT_ANSWERING) throw new LocationNotAnswering(reader);
      return answer as never;
    },
    async ready() {
      await Promise.all(listening);
    },
    stopHashing() {
      // Not over CLOSED: a closed pool's threads skip every job, hashing included.
      Atomics.compareExchange(control, 0, 0, STOP_HASHING);
    },
    untilJobAnswered() {
      if (closed) return Promise.resolve(false);
      return new Promise<boolean>((resolve) => answerWaiters.push(resolve));
    },
    async close() {
      if (closed) return;
      closed = true;
      watchdog.stop();
      jobAnswered();
      const stopping = slots.slice();
      // What is left of each thread's running job's own limit, as the watchdog would have allowed it:
      // not the run's longest limit (another location's 5 minutes) for a read already known stuck.
      const now = performance.now();
      const bounds = stopping.map((slot) => {
        const reader = slot.inFlight[0]?.reader;
        return reader ? Math.max(0, reader.answerWithinMs - (now - slot.headSince)) : watchdog.closeWithinMs;
      });
      for (const pending of waiting.splice(0)) fail(pending, 'ECANCELED', 'the walk ended');
      for (const slot of stopping) {
        remove(slot);
        for (const pending of slot.inFlight.splice(0)) fail(pending, 'ECANCELED', 'the walk ended');
      }
      Atomics.store(control, 0, CLOSED);
      await Promise.all(stopping.map((slot, index) => endThreadWithin(slot.thread, bounds[index] as number)));
    },
  };
}
