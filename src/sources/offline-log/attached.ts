// Cross-checks media ids against the block devices attached now: a media that is plugged in is not offline.
import { blockDeviceId } from '../../host/classify.js';
import type { BlockDevice } from '../../host/types.js';

/**
 * The device a media id names, if one is attached: the id equals (case-insensitively) the device's
 * filesystem label, serial, UUID or kernel name. Operators label a USB disk with its media id
 * (`e2label /dev/sdb1 USB-0042`), so the label is the match that matters most in practice.
 */
export function attachedDevice(mediaId: string, devices: readonly BlockDevice[]): BlockDevice | undefined {
  const id = mediaId.trim().toLowerCase();
  if (id === '') return undefined;
  return devices.find((device) =>
    [device.label, device.serial, device.uuid, device.name].some((value) => value?.trim().toLowerCase() === id),
  );
}

/** Which field matched, for the copy's evidence ("label", "serial" …). */
export function attachedBy(mediaId: string, device: BlockDevice): 'label' | 'serial' | 'uuid' | 'name' {
  const id = mediaId.trim().toLowerCase();
  if (device.label?.trim().toLowerCase() === id) return 'label';
  if (device.serial?.trim().toLowerCase() === id) return 'serial';
  if (device.uuid?.trim().toLowerCase() === id) return 'uuid';
  return 'name';
}

/**
 * The device id the disk source gives files on `device` (the whole disk's id, as for a mounted
 * filesystem): a USB disk that is both a disk location and a logged media is then one device to the
 * `copies` check, not two. `devices` are those of the same listing (they hold the whole disk).
 */
export function attachedDeviceId(device: BlockDevice, devices: readonly BlockDevice[]): string {
  const disk = device.parent === undefined ? device : (devices.find((d) => d.name === device.parent) ?? device);
  return blockDeviceId(device, disk);
}
