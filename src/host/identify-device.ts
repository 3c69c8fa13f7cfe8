// Identifies the filesystem a st_dev stands for (device-identity.ts says what names one): from the
// mount table, the machine's UUID listings and, where udev keeps none, blkid. Once per st_dev.
import { readdir, readlink, realpath, stat } from 'node:fs/promises';
import { setTimeout as delay } from 'node:timers/promises';
import { basename, dirname, join } from 'node:path';
import type { Logger } from 'pino';
import { blkid } from './blkid.js';
import {
  btrfsSubvolumePath,
  btrfsUuidsByDeviceName,
  filesystemIdentity,
  majorMinorOf,
  mountOfDevice,
  uuidsByDeviceName,
} from './device-identity.js';
import { findMount, type MountEntry, readMountTable } from './mountinfo.js';
import { kernelNameForMajorMinor } from './sysfs.js';

export interface DeviceIdentityOptions {
  logger: Logger;
  /** For tests: another mount table, UUID link directory or btrfs sysfs directory. */
  mountInfoFile?: string;
  byUuidDir?: string;
  btrfsDir?: string;
  /** The UUID of the filesystem on a device node where the listings have none (default: blkid). */
  probeUuid?: (devicePath: string) => Promise<string | undefined>;
}

export interface DeviceIdentities {
  /**
   * The identity of the filesystem whose st_dev is `dev`, `path` being a file on it (btrfs needs one
   * to find its subvolume); undefined when it has none that outlives a reboot. Asked once per `dev`;
   * never rejects.
   */
  identify(dev: number, path: string): Promise<string | undefined>;
}

const probeWithBlkid = async (devicePath: string): Promise<string | undefined> => (await blkid(devicePath)).uuid;

/** The links of a /dev/disk/by-* directory; none without udev (containers, minimal systems). */
async function readLinks(dir: string): Promise<Array<{ name: string; target: string }>> {
  const names = await readdir(dir).catch(() => []);
  const links = await Promise.all(
    names.map(async (name) => ({ name, target: await readlink(join(dir, name)).catch(() => '') })),
  );
  return links.filter((link) => link.target !== '');
}

/** /sys/fs/btrfs/<UUID>/devices/<name> for every mounted btrfs filesystem (its other entries have no devices/). */
async function readBtrfsFilesystems(dir: string): Promise<Array<{ uuid: string; devices: string[] }>> {
  const entries = await readdir(dir).catch(() => []);
  return Promise.all(
    entries.map(async (uuid) => ({ uuid, devices: await readdir(join(dir, uuid, 'devices')).catch(() => []) })),
  );
}

/**
 * The root directory of the btrfs subvolume holding `file` (a real path on st_dev `dev`): the highest
 * directory on `dev`, at most `mountPoint`. Undefined when the file's own directory is on another
 * st_dev (a file bind-mounted on its own) or is gone.
 */
async function subvolumeRoot(dev: number, file: string, mountPoint: string): Promise<string | undefined> {
  const devOf = (path: string) =>
    stat(path).then(
      (stats) => stats.dev,
      () => undefined,
    );
  let dir = dirname(file);
  if ((await devOf(dir)) !== dev) return undefined;
  while (dir !== mountPoint) {
    const parent = dirname(dir);
    if (parent === dir || (await devOf(parent)) !== dev) break;
    dir = parent;
  }
  return dir;
}

/** How long the path of a file is resolved for its filesystem's identity before the path is taken as written. */
const REALPATH_WITHIN_MS = 10_000;

export function createDeviceIdentities(options: DeviceIdentityOptions): DeviceIdentities {
  const { logger } = options;
  const probeUuid = options.probeUuid ?? probeWithBlkid;
  let mounts: Promise<MountEntry[]> | undefined;
  let byUuid: Promise<Map<string, string>> | undefined;
  let btrfsUuids: Promise<Map<string, string>> | undefined;
  const identities = new Map<number, Promise<string | undefined>>();

  /** Read once; again (`fresh`) for a st_dev the first reading did not know: a filesystem mounted since. */
  const mountTable = (fresh = false): Promise<MountEntry[]> => {
    if (fresh || !mounts)
      mounts = readMountTable(options.mountInfoFile).catch((error: unknown) => {
        logger.warn({ err: error }, 'cannot read the mount table; the checksum cache keys files by st_dev');
        return [];
      });
    return mounts;
  };
  const uuidOfDevice = async (name: string): Promise<string | undefined> => {
    byUuid ??= readLinks(options.byUuidDir ?? '/dev/disk/by-uuid').then(uuidsByDeviceName);
    return (await byUuid).get(name) ?? probeUuid(`/dev/${name}`);
  };
  /** The kernel name of a mount's block device: by its number, else (an anonymous 0:N) by its source. */
  const deviceName = async (mount: MountEntry): Promise<string | undefined> => {
    const name = await kernelNameForMajorMinor(mount.majorMinor);
    if (name || !mount.source.startsWith('/dev/')) return name;
    return basename(await realpath(mount.source).catch(() => mount.source));
  };

  async function btrfsIdentity(dev: number, file: string, mount: MountEntry): Promise<string | undefined> {
    const root = await subvolumeRoot(dev, file, mount.mountPoint);
    const name = await deviceName(mount);
    if (root === undefined || name === undefined) return undefined;
    btrfsUuids ??= readBtrfsFilesystems(options.btrfsDir ?? '/sys/fs/btrfs').then(btrfsUuidsByDeviceName);
    const uuid = (await btrfsUuids).get(name) ?? (await uuidOfDevice(name));
    return filesystemIdentity(mount, { uuid, subvolume: btrfsSubvolumePath(mount, root) });
  }

  async function resolve(dev: number, path: string): Promise<string | undefined> {
    // Bounded: a hung mount would hold the answer for ever (the read stays on a libuv thread); the
    // path as the walk wrote it (absolute) then stands for itself.
    const file = await Promise.race([
      realpath(path).catch(() => path),
      delay(REALPATH_WITHIN_MS, path, { ref: false }),
    ]);
    // btrfs by path: its subvolumes' st_devs are not the mount table's, and nested ones are not in it at all.
    const listed = (table: MountEntry[]) =>
      findMount(table, file)?.fsType === 'btrfs' || mountOfDevice(table, majorMinorOf(dev)) !== undefined;
    const first = await mountTable();
    const table = listed(first) ? first : await mountTable(true);
    const holder = findMount(table, file);
    if (holder?.fsType === 'btrfs') return btrfsIdentity(dev, file, holder);
    const mount = mountOfDevice(table, majorMinorOf(dev));
    if (!mount) return undefined;
    // A network share or a ZFS dataset is named by its mount; a block filesystem by its device's UUID.
    const named = filesystemIdentity(mount, {});
    if (named !== undefined) return named;
    const name = await deviceName(mount);
    return filesystemIdentity(mount, { uuid: name === undefined ? undefined : await uuidOfDevice(name) });
  }

  return {
    identify(dev, path) {
      let identity = identities.get(dev);
      if (!identity) {
        identity = resolve(dev, path).then(
          (found) => {
            logger.debug({ dev, majorMinor: majorMinorOf(dev), path, identity: found }, 'filesystem identified');
            return found;
          },
          (error: unknown) => {
            logger.warn(
              { dev, path, err: error },
              'cannot identify a filesystem; the checksum cache keys it by st_dev',
            );
            return undefined;
          },
        );
        identities.set(dev, identity);
      }
      return identity;
    },
  };
}
