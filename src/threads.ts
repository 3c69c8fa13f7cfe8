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
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
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
