// createHostMedia: path → mount → block device → medium class and device id, cached for one run.
import { realpath, stat } from 'node:fs/promises';
import { basename, resolve as resolvePath } from 'node:path';
import type { Logger } from 'pino';
import { type BlockDeviceFacts, completeBlockDevice, listRawBlockDevices, type RawDevice } from './block-devices.js';
import { classifyMount } from './classify.js';
import { findMount, type MountEntry, readMountTable } from './mountinfo.js';
import { kernelNameForMajorMinor, wholeDiskName } from './sysfs.js';
import type { BlockDevice, HostMedia, PathMedium } from './types.js';

export type { BlockDevice, HostMedia, PathMedium } from './types.js';

export interface HostMediaOptions {
  logger: Logger;
  /** For tests: another mountinfo file. */
  mountInfoFile?: string;
}

/** The whole table and device list are read once: one HostMedia object lives for one run. */
export function createHostMedia(options: HostMediaOptions): HostMedia {
  const { logger } = options;
  let mounts: Promise<MountEntry[]> | undefined;
  let listed: Promise<RawDevice[]> | undefined;
  /**
   * Devices completed so far, by kernel name. Completed one by one as asked for, not all at once: a
   * device lsblk leaves without label, UUID or type costs a `blkid` process (≈ 7 ms of this thread's
   * CPU to start), and a server with dozens of disks would pay for every one on each run when its
   * locations sit on one or two of them.
   */
  const completed = new Map<string, Promise<BlockDeviceFacts>>();
  const byMount = new Map<string, Promise<PathMedium>>();

  const mountTable = (): Promise<MountEntry[]> => {
    mounts ??= readMountTable(options.mountInfoFile).catch((error: unknown) => {
      logger.warn({ err: error }, 'cannot read the mount table; media will be resolved from stat only');
      return [];
    });
    return mounts;
  };
  const deviceList = (): Promise<RawDevice[]> => {
    listed ??= listRawBlockDevices();
    return listed;
  };
  const complete = (raw: RawDevice): Promise<BlockDeviceFacts> => {
    let device = completed.get(raw.name);
    if (!device) {
      device = completeBlockDevice(raw);
      completed.set(raw.name, device);
    }
    return device;
  };

  async function blockDeviceOf(mount: MountEntry): Promise<BlockDeviceFacts | undefined> {
    let name = await kernelNameForMajorMinor(mount.majorMinor);
    if (!name && mount.source.startsWith('/dev/')) {
      // btrfs and some device-mapper setups report an anonymous 0:N; the source path still names it.
      name = basename(await realpath(mount.source).catch(() => mount.source));
    }
    if (!name) return undefined;
    return findOrDescribe(name);
  }

  async function findOrDescribe(name: string): Promise<BlockDeviceFacts> {
    const known = (await deviceList()).find((device) => device.name === name);
    return complete(known ?? { name, type: name.startsWith('loop') ? 'loop' : 'disk', removable: false });
  }

  /** The block device a mount is on, and the whole disk that holds it (the same one for a whole-disk filesystem). */
  async function devicesOf(
    mount: MountEntry,
  ): Promise<{ partition: BlockDeviceFacts | undefined; disk: BlockDeviceFacts | undefined }> {
    const partition = await blockDeviceOf(mount);
    const diskName = partition ? (partition.parent ?? (await wholeDiskName(partition.name))) : undefined;
    const disk = partition && diskName && diskName !== partition.name ? await findOrDescribe(diskName) : partition;
    return { partition, disk };
  }

  async function resolveMount(mount: MountEntry, statDev: number | undefined): Promise<PathMedium> {
    const { partition, disk } = await devicesOf(mount);
    const classified = classifyMount(mount, partition, disk, statDev);
    const medium: PathMedium = { ...classified, mount: mount.mountPoint, fsType: mount.fsType, source: mount.source };
    const label = partition?.label;
    const serial = disk?.serial;
    const uuid = partition?.uuid;
    if (label) medium.label = label;
    if (serial) medium.serial = serial;
    if (uuid) medium.uuid = uuid;
    logger.debug({ mount: mount.mountPoint, medium }, 'resolved medium');
    return medium;
  }

  return {
    async resolve(path: string, located?: { real: string; dev: number | undefined }): Promise<PathMedium> {
      const absolute = resolvePath(path);
      const real = located ? located.real : await realpath(absolute).catch(() => absolute);
      const statDev = located
        ? located.dev
        : await stat(real).then(
            (stats) => stats.dev,
            () => undefined,
          );
      const mount = findMount(await mountTable(), real);
      if (!mount) {
        return {
          medium: 'disk',
          device: `dev:${statDev ?? 'unknown'}`,
          mount: '',
          fsType: '',
          source: '',
          removable: false,
          network: false,
        };
      }
      const key = `${mount.majorMinor} ${mount.mountPoint}`;
      let cached = byMount.get(key);
      if (!cached) {
        cached = resolveMount(mount, statDev);
        byMount.set(key, cached);
      }
      return cached;
    },
    async prefetch(paths: string[]): Promise<void> {
      const table = await mountTable();
      await Promise.all(
        paths.map(async (path) => {
          // By the path as written: no stat or realpath, which a hung mount would hold.
          const mount = findMount(table, resolvePath(path));
          if (mount) await devicesOf(mount);
        }),
      );
    },
    async blockDevices(): Promise<BlockDevice[]> {
      return Promise.all((await deviceList()).map(complete));
    },
  };
}
