// Hashes what the walk found through the checksum service, many at a time so its thread pool stays busy.
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { ChecksumService, HashOutcome } from '../../integrity/types.js';
import type { AnswerWatch } from '../../integrity/worker-pool.js';
import { sourceIssue } from '../../issues.js';
import type { Copy, SourceIssue } from '../../model.js';
import { readFailureCode } from '../common/read-failure.js';
import { addToDirectory, type DirectoryHash } from './directory-hash.js';
import type { FileStat } from './walk-types.js';

/** Hash jobs a walk (or a budgeted re-read) may run ahead of the hashing: a few batches' worth keeps every worker busy. */
export const QUEUED_JOBS_HIGH_WATER = 8192;

/** One file to hash: a plain object, not a closure, because a run may queue millions of them. */
export interface HashJob extends FileStat {
  path: string;
  copy: Copy;
  directory?: DirectoryHash;
  /** Path inside the directory copy (directory jobs only). */
  relative?: string;
}

export interface HashRunOptions {
  checksums: ChecksumService;
  deep: boolean;
  concurrency: number;
  now: Date;
  issues: SourceIssue[];
  signal?: AbortSignal;
  /** The location's limit on one read, and whom to tell when one has not returned (a hung mount). */
  answer?: AnswerWatch;
  onDone?: (done: number, total: number) => void;
}

/** Why a file could not be hashed, as a warning: the copy stays, unverified (an abort has its own error). */
function hashFailure(job: HashJob, outcome: Extract<HashOutcome, { ok: false }>): SourceIssue {
  const { path } = job;
  const place = { severity: 'warning', dataset: job.copy.dataset, path } as const;
  const detail = outcome.message;
  if (outcome.reason === 'vanished') return sourceIssue('B321_VANISHED', { target: 'target.file', path }, place);
  if (outcome.reason === 'changed-while-hashing')
    return sourceIssue('B321_CHANGED_WHILE_HASHING', { path, detail }, place);
  const code = readFailureCode(outcome.errno) ?? 'B321_READ_ERROR';
  return sourceIssue(code, { target: 'target.file', path, detail }, place);
}

/** A job's outcome on its copy (a file's), or on its directory copy's manifest. */
function applyOutcome(job: HashJob, outcome: HashOutcome, options: HashRunOptions): void {
  if (!outcome.ok && outcome.reason !== 'aborted') options.issues.push(hashFailure(job, outcome));
  if (job.directory) {
    addToDirectory(job.directory, job.relative as string, outcome, options.now);
    return;
  }
  if (outcome.ok) {
    job.copy.sha256 = outcome.sha256;
    job.copy.hashedAt = outcome.hashedAt;
    if (outcome.contentChanged) job.copy.contentChanged = outcome.contentChanged;
  } else job.copy.hashError = outcome.reason;
}

/**
 * A queue of hash jobs that hashes while the walk is still adding to it: cold runs start reading
 * at once, and a million queued jobs never pile up (each is dropped as soon as it is taken).
 */
export interface HashQueue {
  push(job: HashJob): void;
  /**
   * Resolves once at most `limit` jobs wait to be taken. The walk awaits it at each pause: on a cold
   * run it lists far faster than files can be hashed, and without this every file's job would wait
   * in memory at once (about 100 MB per million files).
   */
  untilQueuedAtMost(limit: number): Promise<void>;
  /** No more jobs: resolves when every queued job has been applied. */
  finish(): Promise<void>;
}

export function createHashQueue(options: HashRunOptions): HashQueue {
  const queue: Array<HashJob | undefined> = [];
  let head = 0;
  let done = 0;
  let closed = false;
  const idleLoops: Array<() => void> = [];
  let shorterWanted: { limit: number; resolve: () => void } | undefined;
  const hashOptions = {
    deep: options.deep,
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.answer ? { answer: options.answer } : {}),
  };

  /** Synchronous when a job is ready: two promises per file less, which the GC noticed on 1M copies. */
  const takeReady = (): HashJob | undefined => {
    if (head >= queue.length) return undefined;
    const job = queue[head];
    queue[head++] = undefined;
    if (shorterWanted && queue.length - head <= shorterWanted.limit) {
      shorterWanted.resolve();
      shorterWanted = undefined;
    }
    // Compact now and then so the array does not grow for the whole run.
    if (head > 4096 && head * 2 > queue.length) {
      queue.splice(0, head);
      head = 0;
    }
    return job;
  };

  /** One of the queue's hashing loops: takes a job, awaits its outcome, applies it, and so on. */
  const hashingLoop = async (): Promise<void> => {
    for (;;) {
      let job = takeReady();
      while (!job && !closed) {
        await new Promise<void>((resolve) => idleLoops.push(resolve));
        job = takeReady();
      }
      if (!job) return;
      let outcome: HashOutcome;
      if (options.signal?.aborted) outcome = { ok: false, reason: 'aborted', message: 'run aborted' };
      else {
        try {
          // A fresh identity, not the job: the service may hand it to a worker, and the job holds the copy.
          const identity = {
            path: job.path,
            dev: job.dev,
            ino: job.ino,
            size: job.size,
            mtimeMs: job.mtimeMs,
            ctimeMs: job.ctimeMs,
          };
          outcome = await options.checksums.hashFile(identity, hashOptions);
        } catch (error) {
          outcome = {
            ok: false,
            reason: 'unreadable',
            message: error instanceof Error ? error.message : String(error),
          };
        }
      }
      applyOutcome(job, outcome, options);
      done += 1;
      // Progress is for a human on a TTY: every few hundred files is plenty.
      if (done % 256 === 0) options.onDone?.(done, done + queue.length - head);
      // Cache hits resolve at once, and a chain of resolved promises would starve timers and sockets.
      if (done % 2048 === 0) await yieldToEventLoop();
    }
  };
  // Started as jobs come, up to `concurrency`: a warm run pushes few jobs or none, and idle loops cost.
  const loops: Array<Promise<void>> = [];
  const concurrency = Math.max(1, options.concurrency);

  return {
    push(job) {
      queue.push(job);
      const idle = idleLoops.shift();
      if (idle) idle();
      else if (loops.length < concurrency) loops.push(hashingLoop());
    },
    untilQueuedAtMost(limit) {
      if (queue.length - head <= limit) return Promise.resolve();
      return new Promise<void>((resolve) => {
        shorterWanted = { limit, resolve };
      });
    },
    async finish() {
      closed = true;
      for (const resolve of idleLoops.splice(0)) resolve();
      await Promise.all(loops);
      options.onDone?.(done, done);
    },
  };
}
