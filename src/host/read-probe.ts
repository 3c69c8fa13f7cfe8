// Measures how fast a copy can be read: a bounded sample, bypassing the page cache where the filesystem allows.
import { spawn } from 'node:child_process';
import { open } from 'node:fs/promises';
import { threadsHeldByHungMounts } from '../threads.js';

export interface ReadProbeResult {
  bytesPerSec: number;
  sampleBytes: number;
  /** True when the sample was read with O_DIRECT, so the figure is the device's, not the page cache's. */
  direct: boolean;
}

const BLOCK = 1024 * 1024;

/**
 * Reads up to `maxBytes` of `path`. `dd iflag=direct` is used because Node cannot hand the kernel the
 * aligned buffers O_DIRECT needs; where the filesystem refuses O_DIRECT (tmpfs, some FUSE), a buffered
 * read is timed instead and marked as such, since cached pages make it optimistic.
 */
export async function probeReadSpeed(path: string, maxBytes: number, signal?: AbortSignal): Promise<ReadProbeResult> {
  const blocks = Math.max(1, Math.floor(maxBytes / BLOCK));
  signal?.throwIfAborted();
  // Starting dd now could hold the calling thread as long as the mount hangs (threadsHeldByHungMounts).
  if (threadsHeldByHungMounts() > 0) throw new Error(HELD_BY_HUNG_MOUNT);
  try {
    const stderr = await runDd(
      [`if=${path}`, 'of=/dev/null', `bs=${BLOCK}`, `count=${blocks}`, 'iflag=direct'],
      signal,
    );
    // dd's own figures ("N bytes (…) copied, T s, …") leave out the cost of starting the process.
    const copied = /(\d+) bytes.*?copied, ([\d.e+-]+) s/.exec(stderr);
    const sampleBytes = Number(copied?.[1] ?? 0);
    const seconds = Number(copied?.[2] ?? 0);
    if (sampleBytes > 0 && seconds > 0) return { bytesPerSec: sampleBytes / seconds, sampleBytes, direct: true };
  } catch {
    signal?.throwIfAborted();
    // dd refused (no O_DIRECT here) or is missing: the buffered read below.
  }
  return bufferedProbe(path, blocks * BLOCK, signal);
}

/** Why a probe was not made: starting a process would wait on a hung mount as well. */
export const HELD_BY_HUNG_MOUNT = 'not measured while a read of a location that stopped answering is still pending';

const DD_TIMEOUT_MS = 10 * 60_000;

/**
 * Runs dd and gives its stderr. Killed on abort or after DD_TIMEOUT_MS, and settled only once it has
 * exited, so an aborted run leaves no dd behind.
 */
function runDd(args: string[], signal: AbortSignal | undefined): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('dd', args, { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, LC_ALL: 'C' } });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (text: string) => {
      stderr += text;
    });
    const kill = () => child.kill('SIGKILL');
    const timer = setTimeout(kill, DD_TIMEOUT_MS);
    signal?.addEventListener('abort', kill, { once: true });
    child.once('error', (error) => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', kill);
      reject(error);
    });
    child.once('close', (code, killedBy) => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', kill);
      if (code === 0) resolve(stderr);
      else reject(new Error(`dd ${killedBy ? `killed by ${killedBy}` : `exited with ${code}`}: ${stderr.trim()}`));
    });
  });
}

async function bufferedProbe(
  path: string,
  maxBytes: number,
  signal: AbortSignal | undefined,
): Promise<ReadProbeResult> {
  const file = await open(path, 'r');
  const buffer = Buffer.allocUnsafe(BLOCK);
  let total = 0;
  const started = process.hrtime.bigint();
  try {
    while (total < maxBytes) {
      signal?.throwIfAborted();
      const { bytesRead } = await file.read(buffer, 0, Math.min(BLOCK, maxBytes - total), total);
      if (bytesRead === 0) break;
      total += bytesRead;
    }
  } finally {
    await file.close();
  }
  const seconds = Math.max(Number(process.hrtime.bigint() - started) / 1e9, 1e-6);
  return { bytesPerSec: total / seconds, sampleBytes: total, direct: false };
}
