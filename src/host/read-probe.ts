// Measures how fast a copy can be read: a bounded sample, bypassing the page cache where the filesystem allows.
import { open } from 'node:fs/promises';
import { threadsHeldByHungMounts } from '../threads.js';
import { runProgram } from './spawner.js';

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
  // While a read of a hung mount is pending, the sample may sit on that mount too: dd would wait there.
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

/** Why a probe was not made: a location has stopped answering, and the sample may be on it. */
export const HELD_BY_HUNG_MOUNT = 'not measured while a read of a location that stopped answering is still pending';

const DD_TIMEOUT_MS = 10 * 60_000;

/** Runs dd and gives its stderr; killed on abort or after DD_TIMEOUT_MS, so an aborted run leaves no dd behind. */
async function runDd(args: string[], signal: AbortSignal | undefined): Promise<string> {
  const ran = await runProgram('dd', args, {
    timeoutMs: DD_TIMEOUT_MS,
    env: { LC_ALL: 'C' },
    ...(signal ? { signal } : {}),
  });
  if (ran.exitCode === 0) return ran.stderr;
  const how = ran.startError ?? (ran.signal ? `killed by ${ran.signal}` : `exited with ${ran.exitCode}`);
  throw new Error(`dd ${how}: ${ran.stderr.trim()}`);
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
