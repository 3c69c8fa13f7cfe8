// Real, separate devices for host tests (root only): a tmpfs mount and a loop-mounted ext4 image.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Test } from 'tap';

/** Why root fixtures cannot run here, or undefined when they can. */
export function rootFixturesUnavailable(): string | undefined {
  if (process.getuid?.() !== 0) return 'not root: mount and losetup need root';
  return undefined;
}

/** A fresh directory outside tap's fixtures (tap removes those before our unmount could run). */
export function scratchDir(t: Test, prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function quietly(command: string, args: string[]): void {
  try {
    execFileSync(command, args, { stdio: 'ignore' });
  } catch {
    // teardown goes on: the next step may still free the rest
  }
}

/** Mounts a small tmpfs on `dir`, unmounted when the test ends (also when it fails). */
export function mountTmpfs(t: Test, dir: string): void {
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=16m', 'tmpfs', dir]);
  t.teardown(() => quietly('umount', [dir]));
}

/** Makes a labelled ext4 image (16 MiB unless told), attaches it to a loop device and mounts it on `dir`. */
export function mountLabelledImage(t: Test, image: string, dir: string, label: string, size = '16M'): string {
  execFileSync('truncate', ['-s', size, image]);
  execFileSync('mkfs.ext4', ['-q', '-L', label, image]);
  const device = execFileSync('losetup', ['-f', '--show', image], { encoding: 'utf8' }).trim();
  // Registered before mounting, so a failed mount still frees the loop device; teardowns run in order.
  t.teardown(() => quietly('losetup', ['-d', device]));
  execFileSync('mount', [device, dir]);
  t.teardown(() => {
    quietly('umount', [dir]);
    quietly('losetup', ['-d', device]);
  });
  return device;
}
