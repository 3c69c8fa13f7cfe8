// Starts the host's programs (lsblk, blkid, dd) for a run without ever waiting on a hung mount.
//
// A process that starts a program while it holds a file of a hung mount waits on that mount: exec
// closes the inherited descriptor, FUSE and NFS answer that close (a flush) never, and libuv waits for
// the exec in the thread that asked, so a walk thread reading a sidecar of a dead share froze the run's
// main thread. A run therefore forks one child before it opens any location file (startSpawner) and
// has it start every program; the run's own threads never wait on an exec.
import { type ChildProcess, fork } from 'node:child_process';
import { type ProgramResult, runFile } from './program.js';
import type { Systeminformation } from 'systeminformation';
import { readingThreads } from '../threads.js';
import type { SpawnerAnswer, SpawnerRequest } from './spawner-protocol.js';

export type { ProgramResult } from './program.js';

export interface ProgramOptions {
  timeoutMs: number;
  signal?: AbortSignal;
  env?: Record<string, string>;
}

type Answer = Exclude<SpawnerAnswer, { kind: 'ready' }>;

interface Spawner {
  child: ChildProcess;
  pending: Map<number, (answer: Answer) => void>;
  nextId: number;
  /**
   * Settles once the child listens (its 'ready'), or has ended. A request sent before may be read by
   * whatever else listens in the child first (a module preloaded with --import) and is then lost.
   */
  ready: Promise<void>;
}

/** A spawner that stops answering is given up on this long after its program's own timeout. */
const ANSWER_GRACE_MS = 10_000;
/** How long the block device list may take (then the spawner's answer is given up, ANSWER_GRACE_MS on). */
const LIST_TIMEOUT_MS = 5_000;

/** Why a program was not started: every thread that reads locations may hold a hung mount's file. */
export const NO_SAFE_START = 'not started: no spawner is running and this process is reading backup locations';

let current: Spawner | undefined;
/** Runs using the current spawner: runs of one process may overlap (tests, the agent's CLI beside it). */
let users = 0;

/**
 * Forks the spawner before a run opens any location file, or shares the one another run uses; the
 * run calls what this returns when it ends. Forking from a process that holds a hung mount's file
 * would itself wait on it: while a reading thread lives and no spawner runs, none is started.
 */
export function useSpawner(): () => Promise<void> {
  if (!current) start();
  const used = current;
  if (!used) return async () => {};
  users += 1;
  let released = false;
  return async () => {
    // A spawner that ended by itself (and any later one) owes this run nothing.
    if (released || current !== used) return;
    released = true;
    users -= 1;
    if (users === 0) await stopSpawner();
  };
}

function start(): void {
  if (current || readingThreads() > 0) return;
  const extension = import.meta.url.slice(import.meta.url.lastIndexOf('.'));
  // Detached: its own process group, so ending it ends the programs it runs at once (stopSpawner). It
  // ends by itself when this process does (its IPC channel closes).
  const child = fork(new URL(`./spawner-child${extension}`, import.meta.url), [], {
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    serialization: 'json',
    detached: true,
  });
  let listening: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => {
    listening = resolve;
  });
  const spawner: Spawner = { child, pending: new Map(), nextId: 1, ready };
  const idle = (): void => {
    if (spawner.pending.size > 0) return;
    child.unref();
    child.channel?.unref();
  };
  child.on('message', (answer: SpawnerAnswer) => {
    if (answer.kind === 'ready') {
      listening();
      return;
    }
    const settle = spawner.pending.get(answer.id);
    spawner.pending.delete(answer.id);
    settle?.(answer);
    idle();
  });
  const ended = (): void => {
    listening();
    if (current === spawner) {
      current = undefined;
      users = 0;
    }
    for (const settle of spawner.pending.values()) settle({ id: 0, kind: 'failed', message: 'the spawner ended' });
    spawner.pending.clear();
  };
  child.once('exit', ended);
  child.once('error', ended);
  idle();
  current = spawner;
}

/** Ends the spawner (and whatever it still runs); the next run starts another. */
async function stopSpawner(): Promise<void> {
  const spawner = current;
  if (!spawner) return;
  current = undefined;
  if (spawner.child.exitCode !== null || spawner.child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => spawner.child.once('exit', () => resolve()));
  // Referenced until it has exited: a run that ends leaves no process behind it. Killed with the
  // programs it runs, not asked: a spawner still loading would answer only once loaded.
  spawner.child.ref();
  try {
    process.kill(-(spawner.child.pid as number), 'SIGKILL');
  } catch {
    spawner.child.kill('SIGKILL');
  }
  await exited;
}

function ask(spawner: Spawner, request: SpawnerRequest, timeoutMs: number, signal?: AbortSignal): Promise<Answer> {
  return new Promise((resolve) => {
    // After the request itself (reactions to `ready` run in the order they were added).
    const cancel = (): void => {
      void spawner.ready.then(() => {
        if (spawner.child.connected) spawner.child.send({ id: request.id, kind: 'cancel' } satisfies SpawnerRequest);
      });
    };
    const timer = setTimeout(() => {
      spawner.pending.delete(request.id);
      resolve({ id: request.id, kind: 'failed', message: 'the spawner did not answer' });
    }, timeoutMs + ANSWER_GRACE_MS);
    timer.unref();
    spawner.pending.set(request.id, (answer) => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', cancel);
      resolve(answer);
    });
    signal?.addEventListener('abort', cancel, { once: true });
    spawner.child.ref();
    spawner.child.channel?.ref();
    void spawner.ready.then(() => {
      if (spawner.pending.has(request.id) && spawner.child.connected) spawner.child.send(request);
    });
  });
}

/** Starts `file` with `args` (no shell) and gives its output once it has exited; never throws. */
export async function runProgram(file: string, args: string[], options: ProgramOptions): Promise<ProgramResult> {
  const spawner = current;
  if (!spawner) {
    if (readingThreads() > 0)
      return { exitCode: null, signal: null, stdout: '', stderr: '', startError: NO_SAFE_START };
    return runHere(file, args, options);
  }
  const id = spawner.nextId++;
  const request: SpawnerRequest = {
    id,
    kind: 'run',
    file,
    args,
    timeoutMs: options.timeoutMs,
    ...(options.env ? { env: options.env } : {}),
  };
  const answer = await ask(spawner, request, options.timeoutMs, options.signal);
  if (answer.kind === 'ran') {
    const { exitCode, signal, stdout, stderr, startError } = answer;
    return { exitCode, signal, stdout, stderr, ...(startError ? { startError } : {}) };
  }
  const message = answer.kind === 'failed' ? answer.message : 'an unexpected answer';
  return { exitCode: null, signal: null, stdout: '', stderr: '', startError: message };
}

/** The same, from this process: only where no thread of it reads a location (`backup321 media`). */
function runHere(file: string, args: string[], options: ProgramOptions): Promise<ProgramResult> {
  // Not execFile's own `signal`: it answers at the abort, before the program has exited.
  let kill: (() => void) | undefined;
  return runFile(file, args, options, (child) => {
    kill = () => child.kill('SIGKILL');
    options.signal?.addEventListener('abort', kill, { once: true });
  }).finally(() => {
    if (kill) options.signal?.removeEventListener('abort', kill);
  });
}

/** systeminformation's block device list (it runs lsblk), through the spawner when a run has one. */
export async function listBlockDevices(): Promise<Systeminformation.BlockDevicesData[]> {
  const spawner = current;
  if (!spawner) {
    if (readingThreads() > 0) return [];
    const { blockDevices } = await import('systeminformation');
    return blockDevices();
  }
  // lsblk answers in milliseconds; one that waits is held by a hung mount, and the run goes on without it.
  const answer = await ask(spawner, { id: spawner.nextId++, kind: 'block-devices' }, LIST_TIMEOUT_MS);
  return answer.kind === 'block-devices' ? answer.devices : [];
}
