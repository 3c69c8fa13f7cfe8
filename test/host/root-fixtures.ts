// Real, separate devices for host tests (root only): a tmpfs mount and a loop-mounted ext4 image.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
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

/**
 * Detaches `device` only while it still holds `image`: a number already given back may by now be
 * another test file's (they run side by side), and detaching it would pull that test's disk away.
 */
function detachIfOurs(device: string, image: string): void {
  const held = spawnSync('losetup', ['--noheadings', '-O', 'BACK-FILE', device], { encoding: 'utf8' });
  if (held.status === 0 && held.stdout.trim().replace(/ \(deleted\)$/, '') === resolve(image))
    quietly('losetup', ['-d', device]);
}

/** Attaches `image` to a free loop device and mounts it on `dir`, both undone when the test ends; the device. */
function attachAndMount(t: Test, image: string, dir: string): string {
  const device = execFileSync('losetup', ['-f', '--show', image], { encoding: 'utf8' }).trim();
  // Registered before mounting, so a failed mount still frees the loop device; teardowns run in order.
  t.teardown(() => detachIfOurs(device, image));
  execFileSync('mount', [device, dir]);
  t.teardown(() => {
    quietly('umount', [dir]);
    detachIfOurs(device, image);
  });
  return device;
}

/** Makes a labelled ext4 image (16 MiB unless told), attaches it to a loop device and mounts it on `dir`. */
export function mountLabelledImage(t: Test, image: string, dir: string, label: string, size = '16M'): string {
  execFileSync('truncate', ['-s', size, image]);
  execFileSync('mkfs.ext4', ['-q', '-L', label, image]);
  return attachAndMount(t, image, dir);
}

/**
 * Unmounts `dir`, attaches `image` to another loop device than `device` (attached while `device`
 * still is, so the kernel hands out another number), detaches `device` and mounts the new one on
 * `dir`: the same filesystem under a new st_dev, as after a reboot or a re-plugged disk. `meanwhile`
 * runs before the mount (another mount taking the anonymous numbers a btrfs had, as at boot). The new
 * device is detached when the test ends.
 */
export function reattachElsewhere(t: Test, image: string, dir: string, device: string, meanwhile?: () => void): string {
  execFileSync('umount', [dir]);
  const moved = execFileSync('losetup', ['-f', '--show', image], { encoding: 'utf8' }).trim();
  t.teardown(() => detachIfOurs(moved, image));
  execFileSync('losetup', ['-d', device]);
  meanwhile?.();
  execFileSync('mount', [moved, dir]);
  // Teardowns run last first: this one before mountLabelledImage's, which then finds nothing to do.
  t.teardown(() => {
    quietly('umount', [dir]);
    detachIfOurs(moved, image);
  });
  return moved;
}

/** Why btrfs fixtures cannot run here (they need root, btrfs-progs and the kernel's btrfs), or undefined. */
export function btrfsFixturesUnavailable(): string | undefined {
  const root = rootFixturesUnavailable();
  if (root) return root;
  try {
    execFileSync('mkfs.btrfs', ['--version'], { stdio: 'ignore' });
  } catch {
    return 'mkfs.btrfs not found (apt-get install btrfs-progs)';
  }
  return readFileSync('/proc/filesystems', 'utf8').includes('\tbtrfs\n') ? undefined : 'the kernel has no btrfs';
}

/** Makes a btrfs image (128 MiB), attaches it to a loop device and mounts its top level on `dir`. */
export function mountBtrfsImage(t: Test, image: string, dir: string): string {
  execFileSync('truncate', ['-s', '128M', image]);
  execFileSync('mkfs.btrfs', ['-q', image]);
  return attachAndMount(t, image, dir);
}
