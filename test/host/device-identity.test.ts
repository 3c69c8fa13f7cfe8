// What names a filesystem across reboots: the rules, from real-looking mount tables and UUID listings.
import { readFileSync, statSync } from 'node:fs';
import t from 'tap';
import {
  btrfsSubvolumePath,
  btrfsUuidsByDeviceName,
  filesystemIdentity,
  majorMinorOf,
  mountOfDevice,
  superOption,
  uuidsByDeviceName,
} from '../../src/host/device-identity.js';
import { findMount, type MountEntry, parseMountInfo } from '../../src/host/mountinfo.js';

// As a server with an ext4 root, a btrfs disk with subvolumes, shares and a ZFS pool shows them.
const MOUNTINFO = [
  '22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw,errors=remount-ro',
  '31 22 0:33 /@backup /srv/backup rw,relatime shared:17 - btrfs /dev/sdb rw,space_cache=v2,subvolid=257,subvol=/@backup',
  '32 22 0:33 / /mnt/pool rw,relatime shared:18 - btrfs /dev/sdb rw,space_cache=v2,subvolid=5,subvol=/',
  '33 22 0:33 /@backup/erp /srv/erp rw,relatime shared:17 - btrfs /dev/sdb rw,space_cache=v2,subvolid=257,subvol=/@backup',
  '40 22 0:52 / /mnt/nas rw,relatime shared:30 - nfs4 nas.example.vn:/export/backup rw,vers=4.2,addr=10.0.0.5',
  '41 22 0:53 / /mnt/smb\\040share rw,relatime shared:31 - cifs //filer/backup rw,vers=3.1.1,addr=10.0.0.6',
  '42 22 0:54 /erp /srv/nas-erp rw,relatime shared:30 - nfs4 nas.example.vn:/export/backup rw,vers=4.2',
  '50 22 0:60 / /tank/backup rw,noatime shared:40 - zfs tank/backup rw,xattr,posixacl',
  '60 22 0:27 / /run/backup rw,nosuid shared:50 - tmpfs tmpfs rw,size=1024k',
  '61 22 0:70 / /var/lib/containers/x rw shared:51 - overlay overlay rw,lowerdir=/a,upperdir=/b,workdir=/c',
  '70 22 7:3 / /media/usb rw,relatime shared:60 - ext4 /dev/loop3 rw',
  '71 22 253:2 / /srv/lvm rw,relatime shared:61 - xfs /dev/mapper/vg-backup rw,attr2,inode64',
].join('\n');
const mounts = parseMountInfo(MOUNTINFO);
const at = (mountPoint: string): MountEntry => {
  const mount = mounts.find((m) => m.mountPoint === mountPoint);
  if (!mount) throw new Error(`no mount at ${mountPoint}`);
  return mount;
};

t.test('major:minor of a st_dev as glibc encodes it, and as the kernel lists it for this machine', async (t) => {
  t.equal(majorMinorOf(2049), '8:1');
  t.equal(majorMinorOf(65024), '254:0');
  t.equal(majorMinorOf(1795), '7:3');
  t.equal(majorMinorOf(27), '0:27');
  t.equal(majorMinorOf(0), '0:0');
  t.equal(majorMinorOf(2 ** 44 + 2 ** 20 + 5), '4096:261', 'the high bits of both');
  // Not btrfs (its st_devs are not the mount table's): the root, /proc and /dev as this machine has them.
  const real = parseMountInfo(readFileSync('/proc/self/mountinfo', 'utf8'));
  for (const point of ['/', '/proc', '/dev']) {
    const mount = findMount(real, point);
    if (!mount || mount.fsType === 'btrfs') continue;
    t.equal(majorMinorOf(statSync(point).dev), mount.majorMinor, `${point} (${mount.fsType})`);
  }
});

t.test('the mount table keeps each mount root and the filesystem options', async (t) => {
  t.match(at('/srv/backup'), { root: '/@backup', fsType: 'btrfs', source: '/dev/sdb', options: 'rw,relatime' });
  t.equal(superOption(at('/srv/backup'), 'subvol'), '/@backup');
  t.equal(superOption(at('/srv/backup'), 'subvolid'), '257');
  t.equal(superOption(at('/'), 'subvol'), undefined);
  const escaped = parseMountInfo(
    '30 1 0:40 /@my\\040snaps /x rw - btrfs /dev/sdc rw,subvolid=300,subvol=/@my\\040snaps',
  );
  t.equal(escaped[0]?.root, '/@my snaps');
  t.equal(escaped[0] && superOption(escaped[0], 'subvol'), '/@my snaps', 'octal escapes undone');
  t.equal(at('/mnt/smb share').source, '//filer/backup');
});

t.test('of several mounts of one filesystem, the one showing most of it stands for it', async (t) => {
  t.equal(mountOfDevice(mounts, '0:52')?.mountPoint, '/mnt/nas', 'not the bind mount of /erp in it');
  t.equal(mountOfDevice(mounts, '0:33')?.mountPoint, '/mnt/pool', "btrfs: the top level (st_devs are the subvolumes')");
  t.equal(mountOfDevice(mounts, '8:1')?.mountPoint, '/');
  t.equal(mountOfDevice(mounts, '9:9'), undefined);
});

t.test('UUIDs by device name, from /dev/disk/by-uuid and /sys/fs/btrfs', async (t) => {
  const byUuid = uuidsByDeviceName([
    { name: '4f1c2a3e-0b7d-4c55-9a0e-3d2b1c0f9e88', target: '../../sda1' },
    { name: 'C3B1-22F0', target: '../../sdc1' },
    { name: '2024-05-01-10-00-00-00', target: '../../sr0' },
    { name: 'a7d0f1e2-5b6c-4d3e-8f9a-0b1c2d3e4f5a', target: '../../dm-2' },
    { name: 'odd\\x20name', target: '../../sdd' },
  ]);
  t.equal(byUuid.get('sda1'), '4f1c2a3e-0b7d-4c55-9a0e-3d2b1c0f9e88');
  t.equal(byUuid.get('sdc1'), 'C3B1-22F0', 'a FAT volume serial');
  t.equal(byUuid.get('dm-2'), 'a7d0f1e2-5b6c-4d3e-8f9a-0b1c2d3e4f5a', 'an LVM volume, under its dm name');
  t.equal(byUuid.get('sdd'), 'odd name', "udev's \\x escapes undone");
  const btrfs = btrfsUuidsByDeviceName([
    { uuid: '9c1d6a4e-2f3b-4e5d-8a7b-6c5d4e3f2a1b', devices: ['sdb', 'sde'] },
    { uuid: 'features', devices: [] },
  ]);
  t.equal(btrfs.get('sde'), '9c1d6a4e-2f3b-4e5d-8a7b-6c5d4e3f2a1b', 'every device of a filesystem on several');
  t.equal(btrfs.size, 2);
});

t.test('a btrfs subvolume is named by its path in the filesystem, from whichever mount shows it', async (t) => {
  t.equal(btrfsSubvolumePath(at('/srv/backup'), '/srv/backup'), '/@backup', 'a mounted subvolume');
  t.equal(btrfsSubvolumePath(at('/mnt/pool'), '/mnt/pool/@backup'), '/@backup', 'the same, nested under the top level');
  t.equal(btrfsSubvolumePath(at('/mnt/pool'), '/mnt/pool'), '/', 'the top level');
  t.equal(
    btrfsSubvolumePath(at('/srv/backup'), '/srv/backup/.snapshots/2026-12-01'),
    '/@backup/.snapshots/2026-12-01',
    'a snapshot nested in a mounted subvolume',
  );
  t.equal(
    btrfsSubvolumePath(at('/mnt/pool'), '/mnt/pool/@backup/.snapshots/2026-12-01'),
    '/@backup/.snapshots/2026-12-01',
    'and the same snapshot through the top level',
  );
  t.equal(
    btrfsSubvolumePath(at('/srv/erp'), '/srv/erp'),
    '/@backup',
    "a bind mount of a directory: its subvolume's path",
  );
  t.equal(btrfsSubvolumePath(at('/srv/erp'), '/srv/erp/snap'), '/@backup/erp/snap', 'and one nested below it');
});

t.test('identities: UUID, btrfs UUID and subvolume, share, dataset; none for what has no stable name', async (t) => {
  const uuid = '4f1c2a3e-0b7d-4c55-9a0e-3d2b1c0f9e88';
  const cases: Array<[string, string | undefined, string | undefined]> = [
    ['ext4 on a disk', filesystemIdentity(at('/'), { uuid }), `uuid:${uuid}`],
    ['ext4 on a loop device', filesystemIdentity(at('/media/usb'), { uuid: 'b00c' }), 'uuid:b00c'],
    ['xfs on LVM', filesystemIdentity(at('/srv/lvm'), { uuid }), `uuid:${uuid}`],
    ['ext4 without a UUID', filesystemIdentity(at('/'), {}), undefined],
    [
      'btrfs subvolume',
      filesystemIdentity(at('/srv/backup'), { uuid: '9c1d', subvolume: '/@backup' }),
      'btrfs:9c1d:/@backup',
    ],
    ['btrfs without its subvolume', filesystemIdentity(at('/srv/backup'), { uuid: '9c1d' }), undefined],
    ['btrfs without a UUID', filesystemIdentity(at('/srv/backup'), { subvolume: '/@backup' }), undefined],
    ['NFS export', filesystemIdentity(at('/mnt/nas'), {}), 'net:nas.example.vn:/export/backup:/'],
    [
      'NFS, a directory of it bind-mounted',
      filesystemIdentity(at('/srv/nas-erp'), {}),
      'net:nas.example.vn:/export/backup:/erp',
    ],
    ['CIFS share', filesystemIdentity(at('/mnt/smb share'), {}), 'net://filer/backup:/'],
    ['ZFS dataset', filesystemIdentity(at('/tank/backup'), {}), 'zfs:tank/backup'],
    ['tmpfs', filesystemIdentity(at('/run/backup'), {}), undefined],
    ['overlay', filesystemIdentity(at('/var/lib/containers/x'), {}), undefined],
  ];
  for (const [name, actual, expected] of cases) t.equal(actual, expected, name);
  const sshfs = parseMountInfo('80 22 0:90 / /mnt/ssh rw - fuse.sshfs backup@vault:/srv rw,user_id=0')[0];
  t.equal(sshfs && filesystemIdentity(sshfs, {}), 'net:backup@vault:/srv:/', 'sshfs');
});
