// Facts about block devices read straight from /sys, which works without udev (unlike lsblk's labels).
import { readFile, readlink, realpath, readdir, access } from 'node:fs/promises';
import { basename, dirname } from 'node:path';

export const SYS_BLOCK = '/sys/class/block';

async function readText(file: string): Promise<string | undefined> {
  try {
    const text = (await readFile(file, 'utf8')).trim();
    return text === '' ? undefined : text;
  } catch {
    return undefined;
  }
}

/** Kernel names of every block device the kernel knows, partitions included. */
export async function listKernelBlockNames(): Promise<string[]> {
  try {
    return await readdir(SYS_BLOCK);
  } catch {
    return [];
  }
}

/** Kernel name for a "major:minor" pair (from mountinfo); undefined for virtual filesystems (0:N). */
export async function kernelNameForMajorMinor(majorMinor: string): Promise<string | undefined> {
  if (majorMinor.startsWith('0:')) return undefined;
  try {
    return basename(await readlink(`/sys/dev/block/${majorMinor}`));
  } catch {
    return undefined;
  }
}

/** The whole disk a partition belongs to (vda1 → vda); the name itself for a whole disk. */
export async function wholeDiskName(name: string): Promise<string> {
  try {
    await access(`${SYS_BLOCK}/${name}/partition`);
  } catch {
    return name;
  }
  try {
    return basename(dirname(await realpath(`${SYS_BLOCK}/${name}`)));
  } catch {
    return name;
  }
}

/** Removable flag of the device or its whole disk, or a USB transport anywhere on its sysfs path. */
export async function isRemovableInSysfs(name: string): Promise<boolean> {
  const disk = await wholeDiskName(name);
  if ((await readText(`${SYS_BLOCK}/${name}/removable`)) === '1') return true;
  if ((await readText(`${SYS_BLOCK}/${disk}/removable`)) === '1') return true;
  try {
    // USB disks often say removable=0 (the medium is fixed inside the enclosure) but sit under a usb bus.
    return /\/usb\d*\//.test(await realpath(`${SYS_BLOCK}/${disk}`));
  } catch {
    return false;
  }
}

/** A disk's serial where the driver exposes it (virtio: serial; SCSI/SATA: device/serial, device/wwid). */
export async function serialInSysfs(disk: string): Promise<string | undefined> {
  return (
    (await readText(`${SYS_BLOCK}/${disk}/serial`)) ??
    (await readText(`${SYS_BLOCK}/${disk}/device/serial`)) ??
    (await readText(`${SYS_BLOCK}/${disk}/device/wwid`))
  );
}

/** The file behind a loop device, which names the medium better than the loop number does. */
export async function loopBackingFile(name: string): Promise<string | undefined> {
  return readText(`${SYS_BLOCK}/${name}/loop/backing_file`);
}
