// Polls for a state instead of sleeping a guessed time: the machine is shared and slow at times.
import { setTimeout as sleep } from 'node:timers/promises';

export async function waitFor(done: () => boolean, timeoutMs: number, what = 'the expected state'): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!done()) {
    if (performance.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(25);
  }
}
