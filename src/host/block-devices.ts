// Lists attached block devices (systeminformation, then sysfs and blkid for what lsblk leaves empty).
import type { BlockDevice } from './types.js';
import { type BlkidFacts, blkid } from './blkid.js';
import { listBlockDevices } from './spawner.js';
import { threadsHeldByHungMounts } from '../threads.js';
import { isRemovableInSysfs, listKernelBlockNames, loopBackingFile, serialInSysfs, wholeDiskName } from './sysfs.js';

/** A BlockDevice plus what the device-id rules need and the public type leaves out. */
export interface BlockDeviceFacts extends BlockDevice {
  /** The whole disk's partition-table UUID (names the disk across its partitions). */
  ptuuid?: string;
  /** Loop devices: the image file behind them. */
  backingFile?: string;
  transport?: string;
}

export interface RawDevice {
  name: string;
  type: string;
  removable: boolean;
  label?: string;
  uuid?: string;
  serial?: string;
  model?: string;
  fsType?: string;
  mount?: string;
  transport?: string;
}

function nonEmpty(value: string | undefined | null): string | undefined {
  return value ? value : undefined;
}

async function fromSystemInformation(): Promise<RawDevice[]> {
  // lsblk looks at mount points, and would wait on a hung one too (in the spawner: the run then waits
  // for it until the spawner's answer times out). While a mount is known to hang: sysfs alone.
  if (threadsHeldByHungMounts() > 0) return [];
  try {
    const devices = await listBlockDevices();
    return devices.map((device) => ({
      name: device.name,
      type: device.type,
      removable: device.removable === true,
      label: nonEmpty(device.label),
      uuid: nonEmpty(device.uuid),
      serial: nonEmpty(device.serial),
      model: nonEmpty(device.model),
      fsType: nonEmpty(device.fsType),
      mount: nonEmpty(device.mount),
      transport: nonEmpty(device.protocol),
    }));
  } catch {
    return [];
  }
}

/** When lsblk is missing or fails (si then returns []), the kernel's own list still names every device. */
export async function fromSysfs(): Promise<RawDevice[]> {
  const names = await listKernelBlockNames();
  const devices = await Promise.all(
    names.map(async (name): Promise<RawDevice | undefined> => {
      // The kernel keeps idle loop0…N around; only attached ones (with a backing file) are media.
      if (name.startsWith('loop') && !(await loopBackingFile(name))) return undefined;
      const whole = (await wholeDiskName(name)) === name;
      return { name, type: whole ? (name.startsWith('loop') ? 'loop' : 'disk') : 'part', removable: false };
    }),
  );
  return devices.filter((device): device is RawDevice => device !== undefined);
}

/** Fills in what lsblk left empty for one device (also used for a device lsblk did not list). */
export async function completeBlockDevice(raw: RawDevice): Promise<BlockDeviceFacts> {
  const disk = await wholeDiskName(raw.name);
  const path = `/dev/${raw.name}`;
  const needsBlkid = !raw.label || !raw.uuid || !raw.fsType;
  const [found, diskFound, removable, serial, backingFile] = await Promise.all([
    needsBlkid ? blkid(path) : Promise.resolve<BlkidFacts>({}),
    disk !== raw.name ? blkid(`/dev/${disk}`) : Promise.resolve(undefined),
    isRemovableInSysfs(raw.name),
    raw.serial ? Promise.resolve(raw.serial) : serialInSysfs(disk),
    raw.name.startsWith('loop') ? loopBackingFile(raw.name) : Promise.resolve(undefined),
  ]);
  const device: BlockDeviceFacts = {
    name: raw.name,
    path,
    type: raw.type,
    removable: raw.removable || removable || raw.transport === 'usb',
  };
  const label = raw.label ?? found.label;
  const uuid = raw.uuid ?? found.uuid;
  const fsType = raw.fsType ?? found.fsType;
  const ptuuid = diskFound ? diskFound.ptuuid : found.ptuuid;
  if (label) device.label = label;
  if (uuid) device.uuid = uuid;
  if (serial) device.serial = serial;
  if (raw.model) device.model = raw.model;
  if (fsType) device.fsType = fsType;
  if (raw.mount) device.mount = raw.mount;
  if (disk !== raw.name) device.parent = disk;
  if (ptuuid) device.ptuuid = ptuuid;
  if (backingFile) device.backingFile = backingFile;
  if (raw.transport) device.transport = raw.transport;
  return device;
}

/** Every attached block device as lsblk (or, without it, the kernel) lists it: nothing completed yet. */
export async function listRawBlockDevices(): Promise<RawDevice[]> {
  const raw = await fromSystemInformation();
  return raw.length > 0 ? raw : fromSysfs();
}
