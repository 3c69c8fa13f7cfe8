// What names a filesystem across reboots and re-mounts, where st_dev does not: pure rules over the
// mount table and the machine's listings of filesystem UUIDs.

/*
 * st_dev is the kernel's number for a mounted filesystem. It stays put for a partition of a fixed disk,
 * but is handed out afresh on each mount for NFS and CIFS shares, btrfs subvolumes and ZFS datasets
 * (anonymous 0:N numbers, in mount order), and a loop device or USB disk gets whichever number is free.
 * An identity names what inode numbers are unique within: a block filesystem by its UUID, a btrfs
 * subvolume by its filesystem's UUID and its path in it, a network share by its source and root, a ZFS
 * dataset by its name. Everything else (tmpfs, overlay, proc, a device without a UUID) has none here,
 * and the caller keeps st_dev: a tmpfs is empty after a reboot anyway.
 */

import { basename, posix } from 'node:path';
import { isNetworkFsType } from './classify.js';
import { type MountEntry, unescapeMountField } from './mountinfo.js';

const MINOR_LOW = 0xffn;
const MINOR_HIGH = 0xfffff00000n;
const MAJOR_LOW = 0xfff00n;
const MAJOR_HIGH = 0xfffff00000000000n;

/**
 * "major:minor" of a st_dev, as /proc/self/mountinfo writes it. Node's stat() returns glibc's encoding
 * of the 64-bit dev_t (makedev): minor in bits 0-7 and 20-43, major in bits 8-19 and 44-63.
 */
export function majorMinorOf(dev: number): string {
  const bits = BigInt(dev);
  const major = ((bits & MAJOR_LOW) >> 8n) | ((bits & MAJOR_HIGH) >> 32n);
  const minor = (bits & MINOR_LOW) | ((bits & MINOR_HIGH) >> 12n);
  return `${major}:${minor}`;
}

/**
 * The mount that stands for the filesystem numbered `majorMinor`: of several (bind mounts of one
 * filesystem), the one showing most of it (shortest root), then the first mounted, so every run picks
 * the same one whichever path it meets first.
 */
export function mountOfDevice(mounts: readonly MountEntry[], majorMinor: string): MountEntry | undefined {
  let best: MountEntry | undefined;
  for (const mount of mounts)
    if (mount.majorMinor === majorMinor && (!best || mount.root.length < best.root.length)) best = mount;
  return best;
}

/** The value of a filesystem option (`subvol` in `rw,subvolid=257,subvol=/@home`), escapes undone. */
export function superOption(mount: MountEntry, name: string): string | undefined {
  for (const option of mount.superOptions.split(',')) {
    if (option.startsWith(`${name}=`)) return unescapeMountField(option.slice(name.length + 1));
  }
  return undefined;
}

/** udev writes characters it does not allow in a link name as \xNN. */
function unescapeUdev(name: string): string {
  return name.replace(/\\x([0-9a-fA-F]{2})/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
}

/**
 * Kernel device name → filesystem UUID, from the links of /dev/disk/by-uuid (name: the UUID, target:
 * `../../sda1`), which udev keeps for every filesystem it has probed.
 */
export function uuidsByDeviceName(links: ReadonlyArray<{ name: string; target: string }>): Map<string, string> {
  const uuids = new Map<string, string>();
  for (const { name, target } of links) uuids.set(basename(target), unescapeUdev(name));
  return uuids;
}

/**
 * Kernel device name → btrfs filesystem UUID, from /sys/fs/btrfs/<UUID>/devices/<name>: the kernel's
 * own list of each mounted btrfs filesystem's devices, there without udev.
 */
export function btrfsUuidsByDeviceName(
  filesystems: ReadonlyArray<{ uuid: string; devices: readonly string[] }>,
): Map<string, string> {
  const uuids = new Map<string, string>();
  for (const { uuid, devices } of filesystems) for (const device of devices) uuids.set(device, uuid);
  return uuids;
}

/**
 * The path, within its btrfs filesystem, of the subvolume whose root directory is `subvolumeRoot` (a
 * directory at or below `mount.mountPoint`). Each subvolume has a st_dev of its own, not in the mount
 * table when it is nested (snapshots under a mounted subvolume are). The mount's `subvol=` names the
 * mounted one even when only a directory of it is mounted (a bind mount); below it, the path from
 * the mount's root. Either way the same subvolume gets the same path from any mount that shows it.
 */
export function btrfsSubvolumePath(mount: MountEntry, subvolumeRoot: string): string {
  if (subvolumeRoot === mount.mountPoint) return superOption(mount, 'subvol') ?? mount.root;
  return posix.join(mount.root, posix.relative(mount.mountPoint, subvolumeRoot));
}

export interface FilesystemFacts {
  /** The filesystem's UUID (for btrfs: the filesystem's, not a subvolume's). */
  uuid?: string | undefined;
  /** btrfs: btrfsSubvolumePath() of the subvolume the file is in. */
  subvolume?: string | undefined;
}

/**
 * The identity of the filesystem mounted at `mount`, or undefined when it has none that outlives a
 * reboot. Network shares: their source and the directory of the share mounted (inode numbers are
 * the server's); ZFS: the dataset; btrfs: UUID and subvolume; any other block filesystem: its UUID.
 */
export function filesystemIdentity(mount: MountEntry, facts: FilesystemFacts): string | undefined {
  if (isNetworkFsType(mount.fsType)) return `net:${mount.source}:${mount.root}`;
  if (mount.fsType === 'zfs') return `zfs:${mount.source}`;
  if (!facts.uuid) return undefined;
  if (mount.fsType === 'btrfs')
    return facts.subvolume === undefined ? undefined : `btrfs:${facts.uuid}:${facts.subvolume}`;
  return `uuid:${facts.uuid}`;
}
