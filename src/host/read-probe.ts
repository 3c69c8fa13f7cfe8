// Measures how fast a copy can be read: a bounded sample, bypassing the page cache where the filesystem allows.
import { execFile } from 'node:child_process';
import { closeSync, openSync, readSync } from 'node:fs';
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
export async function probeReadSpeed(path: string, maxBytes: number): Promise<ReadProbeResult> {
  const blocks = Math.max(1, Math.floor(maxBytes / BLOCK));
  try {
    const { stderr } = await run(
      'dd',
      [`if=${path}`, 'of=/dev/null', `bs=${BLOCK}`, `count=${blocks}`, 'iflag=direct'],
      {
        timeout: 10 * 60_000,
        env: { ...process.env, LC_ALL: 'C' },
      },
    );
    // dd's own figures ("N bytes (…) copied, T s, …") leave out the cost of starting the process.
    const copied = /(\d+) bytes.*?copied, ([\d.e+-]+) s/.exec(stderr);
    const sampleBytes = Number(copied?.[1] ?? 0);
    const seconds = Number(copied?.[2] ?? 0);
    if (sampleBytes > 0 && seconds > 0) return { bytesPerSec: sampleBytes / seconds, sampleBytes, direct: true };
  } catch {
    // fall through to the buffered read
  }
  return bufferedProbe(path, blocks * BLOCK);
}

function bufferedProbe(path: string, maxBytes: number): ReadProbeResult {
  const fd = openSync(path, 'r');
  const buffer = Buffer.allocUnsafe(BLOCK);
  let total = 0;
  const started = process.hrtime.bigint();
  try {
    while (total < maxBytes) {
      const read = readSync(fd, buffer, 0, Math.min(BLOCK, maxBytes - total), total);
      if (read === 0) break;
      total += read;
    }
  } finally {
    closeSync(fd);
  }
  const seconds = Math.max(Number(process.hrtime.bigint() - started) / 1e9, 1e-6);
  return { bytesPerSec: total / seconds, sampleBytes: total, direct: false };
}
