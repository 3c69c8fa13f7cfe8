// Reads /proc/self/mountinfo and finds the mount a path lives on (fsSize() hides tmpfs, nfs and friends).
import { readFile } from 'node:fs/promises';

export interface MountEntry {
  mountPoint: string;
  /** "major:minor" of the mounted filesystem (0:N for virtual and network filesystems). */
  majorMinor: string;
  fsType: string;
  /** The mounted source: /dev/vda1, server:/export, tmpfs … */
  source: string;
  /** Per-mount options (rw,relatime …). */
  options: string;
  /** The directory of the filesystem mounted here: / for a whole filesystem, /@home for a btrfs subvolume, the source directory of a bind mount. */
  root: string;
  /** The filesystem's own options (btrfs puts subvolid= and subvol= there). */
  superOptions: string;
}

/** Undoes the kernel's octal escapes (\040 space, \011 tab, \012 newline, \134 backslash). */
export function unescapeMountField(field: string): string {
  return field.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(Number.parseInt(octal, 8)));
}

/** Parses mountinfo text; malformed lines are skipped because the kernel's format is the authority. */
export function parseMountInfo(text: string): MountEntry[] {
  const mounts: MountEntry[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const fields = line.split(' ');
    // Optional fields (shared:N, master:N …) end with a lone "-" separator.
    const separator = fields.indexOf('-', 6);
    const majorMinor = fields[2];
    const root = fields[3];
    const mountPoint = fields[4];
    const options = fields[5];
    const fsType = fields[separator + 1];
    const source = fields[separator + 2];
    if (separator === -1 || !majorMinor || !root || !mountPoint || !fsType || source === undefined) continue;
    mounts.push({
      mountPoint: unescapeMountField(mountPoint),
      majorMinor,
      fsType: unescapeMountField(fsType),
      source: unescapeMountField(source),
      options: options ?? '',
      root: unescapeMountField(root),
      superOptions: fields[separator + 3] ?? '',
    });
  }
  return mounts;
}

export async function readMountTable(file = '/proc/self/mountinfo'): Promise<MountEntry[]> {
  return parseMountInfo(await readFile(file, 'utf8'));
}

/**
 * The mount holding `realPath` (already resolved with realpath): the longest mount point that is a
 * prefix of it. Later lines win a tie because a mount stacked on the same point hides the earlier one.
 */
export function findMount(mounts: readonly MountEntry[], realPath: string): MountEntry | undefined {
  let best: MountEntry | undefined;
  for (const mount of mounts) {
    const point = mount.mountPoint;
    const contains =
      point === '/' || realPath === point || (realPath.startsWith(point) && realPath.charAt(point.length) === '/');
    if (contains && (!best || point.length >= best.mountPoint.length)) best = mount;
  }
  return best;
}
