// Hashes what the walk found through the checksum service, many at a time so its worker pool stays busy.
import { createHash } from 'node:crypto';
import type { ChecksumService, HashOutcome } from '../integrity/types.js';
import type { Copy, SourceIssue } from '../model.js';
import type { FileFacts } from './disk-walk.js';

export interface HashJob extends FileFacts {
  path: string;
  apply: (outcome: HashOutcome) => void;
}

export interface HashRunOptions {
  checksums: ChecksumService;
  deep: boolean;
  concurrency: number;
  signal?: AbortSignal;
  onDone?: (done: number, total: number) => void;
}

/** Runs jobs with at most `concurrency` in flight; never throws (a failed call is an 'unreadable' outcome). */
export async function runHashJobs(jobs: HashJob[], options: HashRunOptions): Promise<void> {
  let next = 0;
  let done = 0;
  const worker = async (): Promise<void> => {
    for (let index = next++; index < jobs.length; index = next++) {
      const job = jobs[index] as HashJob;
      jobs[index] = undefined as unknown as HashJob; // let finished jobs be collected on huge runs
      let outcome: HashOutcome;
      if (options.signal?.aborted) outcome = { ok: false, reason: 'aborted', message: 'run aborted' };
      else {
        try {
          const identity = { path: job.path, dev: job.dev, ino: job.ino, size: job.size, mtimeMs: job.mtimeMs };
          outcome = await options.checksums.hashFile(identity, { deep: options.deep, ...(options.signal ? { signal: options.signal } : {}) });
        } catch (error) {
          outcome = { ok: false, reason: 'unreadable', message: error instanceof Error ? error.message : String(error) };
        }
      }
      job.apply(outcome);
      done += 1;
      options.onDone?.(done, jobs.length);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency) }, worker));
}

const FAILURE_CODES: Record<string, string> = {
  unreadable: 'B321_EACCES',
  vanished: 'B321_VANISHED',
  'changed-while-hashing': 'B321_CHANGED_WHILE_HASHING',
};

/** The job for one file copy: the outcome lands on the copy; a failure is also a warning. */
export function fileCopyJob(copy: Copy, facts: FileFacts, issues: SourceIssue[]): HashJob {
  return {
    path: copy.path,
    dev: facts.dev,
    ino: facts.ino,
    size: facts.size,
    mtimeMs: facts.mtimeMs,
    apply: (outcome) => {
      if (outcome.ok) {
        copy.sha256 = outcome.sha256;
        copy.hashedAt = outcome.hashedAt;
        return;
      }
      copy.hashError = outcome.reason;
      const code = FAILURE_CODES[outcome.reason];
      if (code) issues.push({ severity: 'warning', code, message: `cannot hash ${copy.path}: ${outcome.message}`, dataset: copy.dataset, path: copy.path });
    },
  };
}

/**
 * Jobs for every file of a directory copy. Its sha256 is that of its sorted `sha256sum` manifest
 * ("<sha256>  <relative path>\n" lines, sorted), so `find . -type f -exec sha256sum {} + | sort`
 * inside the directory reproduces it; set only when every file hashed and the listing was complete.
 */
export function directoryCopyJobs(
  copy: Copy,
  files: Array<FileFacts & { path: string; relative: string }>,
  incomplete: boolean,
  issues: SourceIssue[],
  now: Date,
): HashJob[] {
  const lines: string[] = [];
  let pending = files.length;
  let failure: string | undefined = incomplete ? 'unreadable' : undefined;
  let hashedAt = '';
  const finish = (): void => {
    if (failure) {
      copy.hashError = failure;
      return;
    }
    lines.sort();
    copy.sha256 = createHash('sha256').update(lines.join(''), 'utf8').digest('hex');
    copy.hashedAt = hashedAt || now.toISOString();
  };
  if (files.length === 0) finish();
  return files.map((file) => ({
    path: file.path,
    dev: file.dev,
    ino: file.ino,
    size: file.size,
    mtimeMs: file.mtimeMs,
    apply: (outcome: HashOutcome) => {
      if (outcome.ok) {
        lines.push(`${outcome.sha256}  ${file.relative}\n`);
        if (outcome.hashedAt > hashedAt) hashedAt = outcome.hashedAt;
      } else {
        failure ??= outcome.reason;
        const code = FAILURE_CODES[outcome.reason];
        if (code) issues.push({ severity: 'warning', code, message: `cannot hash ${file.path}: ${outcome.message}`, dataset: copy.dataset, path: file.path });
      }
      pending -= 1;
      if (pending === 0) finish();
    },
  }));
}
