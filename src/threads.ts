// The walk's and the hash's worker threads: each runs a module of its own, says when it listens, and
// ends when asked, by itself.
import { type MessagePort, Worker } from 'node:worker_threads';

/** A thread's first message: its module has loaded and it takes messages. */
const LISTENING = 'listening';
/** The message that ends a thread: sent last, so every message before it is handled first. */
const END = null;

export interface Thread {
  worker: Worker;
  /** True once the thread takes messages: its module has loaded. */
  listens: boolean;
  /** Resolves once the thread takes messages, or has ended without ever doing so. */
  listening: Promise<void>;
  /** Resolves when the thread has ended, however it ended. */
  exited: Promise<void>;
}

/** The walk's and the hash's threads alive in this process: each may hold a file of a backup location. */
let liveThreads = 0;

/** How many threads of this process read backup locations now (host/spawner.ts starts no process while one does). */
export function readingThreads(): number {
  return liveThreads;
}

/**
 * Starts the worker module `name` that sits beside `moduleUrl`, with that module's extension: .js in
 * dist/, .ts where tests run the sources through their loader (a worker inherits the loader's flags).
 * `onMessage` gets every message the thread sends after it listens.
 */
export function startThread<T>(
  name: string,
  moduleUrl: string,
  workerData: unknown,
  onMessage: (message: T) => void,
): Thread {
  const extension = moduleUrl.slice(moduleUrl.lastIndexOf('.'));
  const worker = new Worker(new URL(`./${name}${extension}`, moduleUrl), { workerData });
  liveThreads += 1;
  const exited = new Promise<void>((resolve) =>
    worker.once('exit', () => {
      liveThreads -= 1;
      resolve();
    }),
  );
  const thread: Thread = { worker, listens: false, listening: Promise.resolve(), exited };
  thread.listening = new Promise<void>((resolve) => {
    worker.on('message', (message: T | typeof LISTENING) => {
      if (message !== LISTENING) onMessage(message);
      else {
        thread.listens = true;
        resolve();
      }
    });
    void exited.then(resolve);
  });
  return thread;
}

/**
 * Asks a thread to end once it has handled what it was sent, and resolves when it has. Referenced
 * meanwhile, so the process waits for it: a thread that ends by itself writes its coverage, and one
 * stopped by terminate() does not. One still loading its module ran none of it: it is stopped.
 */
export function endThread(thread: Thread): Promise<void> {
  thread.worker.ref();
  if (thread.listens) thread.worker.postMessage(END);
  else void thread.worker.terminate();
  return thread.exited;
}

/** In a worker (`port` is its parentPort): hands every message to `handle` until the one that ends the thread. */
export function serveUntilEnded<T>(port: MessagePort | null, handle: (message: T, port: MessagePort) => void): void {
  if (!port) throw new Error('a worker module was run outside a worker thread');
  port.on('message', (message: T | typeof END) => {
    if (message === END) port.close();
    else handle(message, port);
  });
  port.postMessage(LISTENING);
}

/**
 * endThread(), bounded: a thread that has not ended within `withinMs` is held in the kernel (a read of a
 * hung mount that the pool has not given up on yet) and is given up on instead of waited for.
 */
export async function endThreadWithin(thread: Thread, withinMs: number): Promise<void> {
  const ended = endThread(thread);
  if (!Number.isFinite(withinMs)) return ended;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), withinMs);
  });
  const outcome = await Promise.race([ended, late]);
  clearTimeout(timer);
  if (outcome === 'late') abandonThread(thread);
}

/** Threads given up on that have not ended yet (held in the kernel by a hung mount). */
let heldByHungMounts = 0;

/**
 * Gives up on a thread whose read does not return (a hung mount): nothing waits for it any more, not
 * even a closing pool, and it is counted until the kernel lets it end (then it exits by itself, as
 * terminate() asked).
 */
export function abandonThread(thread: Thread): void {
  heldByHungMounts += 1;
  void thread.exited.then(() => {
    heldByHungMounts -= 1;
  });
  thread.worker.unref();
  void thread.worker.terminate();
}

/** How many of this process's threads still wait on a hung mount (a read probe then measures nothing). */
export function threadsHeldByHungMounts(): number {
  return heldByHungMounts;
}

/**
 * Checks a pool's threads for a read that does not return, as often as the shortest limit asked for
 * needs (a quarter of it, between 20 ms and 1 s), on a timer that keeps no process alive.
 */
export interface AnswerWatchdog {
  /** A job with this limit was sent. */
  watch(answerWithinMs: number): void;
  /** How long a closing pool waits for a thread before giving up on it: the longest limit seen. */
  readonly closeWithinMs: number;
  stop(): void;
}

export function answerWatchdog(check: () => void): AnswerWatchdog {
  let timer: ReturnType<typeof setInterval> | undefined;
  let everyMs = Number.POSITIVE_INFINITY;
  let longestMs = Number.NEGATIVE_INFINITY;
  return {
    watch(answerWithinMs) {
      longestMs = Math.max(longestMs, answerWithinMs);
      const every = Math.max(20, Math.min(1000, Math.floor(answerWithinMs / 4)));
      if (timer && every >= everyMs) return;
      if (timer) clearInterval(timer);
      everyMs = every;
      timer = setInterval(check, every);
      timer.unref();
    },
    get closeWithinMs() {
      return longestMs >= 0 ? longestMs : Number.POSITIVE_INFINITY;
    },
    stop() {
      if (timer) clearInterval(timer);
    },
  };
}
