// Cross-checks media ids against the block devices attached now: a media that is plugged in is not offline.
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
