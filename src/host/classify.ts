// Rules that turn a mount (and its block device) into a medium class and a failure-domain device id.
import type { MediumClass } from '../model.js';
import type { BlockDeviceFacts } from './block-devices.js';
import type { MountEntry } from './mountinfo.js';

const NETWORK_FS_TYPES = new Set([
  'nfs',
  'nfs4',
  'cifs',
  'smb3',
  'smbfs',
  'sshfs',
  'glusterfs',
  'ceph',
  '9p',
  'davfs',
  'afs',
  'ncpfs',
  'lustre',
  'beegfs',
  'gpfs',
  'ocfs2',
  'fuse.sshfs',
  'fuse.rclone',
  'fuse.glusterfs',
  'fuse.davfs',
  'fuse.s3fs',
  'fuse.gcsfuse',
  'fuse.cephfs',
  'fuse.juicefs',
]);

export function isNetworkFsType(fsType: string): boolean {
  return NETWORK_FS_TYPES.has(fsType) || fsType.startsWith('nfs');
}

export interface Classified {
  medium: MediumClass;
  device: string;
  removable: boolean;
  network: boolean;
}

/**
 * `partition` is the mounted device, `disk` the whole disk it is on (the same object when the
 * filesystem sits on the whole disk). The id names the disk, never the partition: vda1 and vda2
 * fail together, so they are one device.
 */
export function classifyMount(
  mount: MountEntry,
  partition: BlockDeviceFacts | undefined,
  disk: BlockDeviceFacts | undefined,
  statDev: number | undefined,
): Classified {
  if (isNetworkFsType(mount.fsType)) {
    return { medium: 'network-share', device: `net:${mount.source}`, removable: false, network: true };
  }
  if (partition) {
    const whole = disk ?? partition;
    const removable = partition.removable || whole.removable;
    const optical = /^sr\d+$/.test(whole.name) || mount.fsType === 'iso9660' || mount.fsType === 'udf';
    const medium: MediumClass = optical && removable ? 'optical' : removable ? 'removable-disk' : 'disk';
    return { medium, device: blockDeviceId(partition, whole), removable, network: false };
  }
  if (mount.majorMinor.startsWith('0:') || !mount.source.startsWith('/dev/')) {
    return { medium: 'disk', device: `fs:${mount.fsType}:${mount.mountPoint}`, removable: false, network: false };
  }
  return { medium: 'disk', device: `dev:${statDev ?? mount.majorMinor}`, removable: false, network: false };
}

/** The failure-domain id of a block device (also given to offline media found attached, so one USB disk counts once). */
export function blockDeviceId(partition: BlockDeviceFacts, disk: BlockDeviceFacts): string {
  if (disk.name.startsWith('loop')) {
    // A loop device's number changes between attachments; the image file or label stays.
    const name = disk.backingFile ?? disk.label ?? disk.uuid ?? partition.label ?? partition.uuid ?? disk.name;
    return `loop:${name}`;
  }
  if (disk.serial) return `serial:${disk.serial}`;
  if (disk.ptuuid) return `ptuuid:${disk.ptuuid}`;
  // Without a partition table the filesystem is the whole disk, so its UUID/label names the disk.
  if (disk.uuid) return `uuid:${disk.uuid}`;
  if (disk.label) return `label:${disk.label}`;
  return `blockdev:${disk.name}`;
}
