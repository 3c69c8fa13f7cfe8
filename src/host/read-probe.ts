// Measures how fast a copy can be read: a bounded sample, bypassing the page cache where the filesystem allows.
import { execFile } from 'node:child_process';
import { open } from 'node:fs/promises';
import { promisify } from 'node:util';

const run = promisify(execFile);

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
  try {
    const { stderr } = await run(
      'dd',
      [`if=${path}`, 'of=/dev/null', `bs=${BLOCK}`, `count=${blocks}`, 'iflag=direct'],
      {
        timeout: 10 * 60_000,
        env: { ...process.env, LC_ALL: 'C' },
        // An aborted run kills dd rather than waiting for its sample.
        ...(signal ? { signal } : {}),
      },
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
