// Path → mount → medium class and device id: the mount table, the classification rules, real mounts.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { pino } from 'pino';
import t from 'tap';
import type { BlockDeviceFacts } from '../../src/host/block-devices.js';
import { classifyMount } from '../../src/host/classify.js';
import { createHostMedia } from '../../src/host/index.js';
import { findMount, type MountEntry, parseMountInfo } from '../../src/host/mountinfo.js';
import { mountTmpfs, rootFixturesUnavailable, scratchDir } from './root-fixtures.js';

const logger = pino({ level: 'silent' });

const MOUNTINFO = [
  '27 1 254:1 / / rw,relatime shared:1 - ext4 /dev/vda1 rw',
  '28 27 254:2 / /backup rw,relatime - ext4 /dev/vda2 rw',
  '29 27 0:50 / /mnt/nas\\040share rw,relatime shared:7 master:2 - nfs4 server:/export rw,vers=4.2',
  '30 27 0:51 / /backup/ram rw - tmpfs tmpfs rw',
  '31 27 0:52 / /backup/ram rw - tmpfs other rw',
  'garbage line',
].join('\n');

t.test('mountinfo: escaped spaces, optional fields, longest prefix, stacked mounts', async (t) => {
  const mounts = parseMountInfo(MOUNTINFO);
  t.equal(mounts.length, 5, 'the malformed line is skipped');
  t.match(mounts[2], { mountPoint: '/mnt/nas share', fsType: 'nfs4', source: 'server:/export', majorMinor: '0:50' });
  t.equal(findMount(mounts, '/mnt/nas share/erp/x.dump')?.fsType, 'nfs4');
  t.equal(findMount(mounts, '/backupx')?.mountPoint, '/', 'a prefix must end at a path separator');
  t.equal(findMount(mounts, '/backup/erp')?.source, '/dev/vda2');
  t.equal(findMount(mounts, '/backup/ram/x')?.source, 'other', 'the mount on top wins');
  t.equal(findMount([], '/x'), undefined);
});

const mount = (fsType: string, source: string, majorMinor = '0:60', mountPoint = '/m'): MountEntry => ({
  mountPoint,
  fsType,
  source,
  majorMinor,
  options: 'rw',
  root: '/',
  superOptions: 'rw',
});
const block = (name: string, extra: Partial<BlockDeviceFacts> = {}): BlockDeviceFacts => ({
  name,
  path: `/dev/${name}`,
  type: 'disk',
  removable: false,
  ...extra,
});

t.test('medium class and device id, rule by rule', async (t) => {
  const cases: Array<[string, ReturnType<typeof classifyMount>, { medium: string; device: string | RegExp }]> = [
    [
      'nfs export',
      classifyMount(mount('nfs4', 'nas:/export'), undefined, undefined, 1),
      { medium: 'network-share', device: 'net:nas:/export' },
    ],
    [
      'cifs share',
      classifyMount(mount('cifs', '//nas/backup'), undefined, undefined, 1),
      { medium: 'network-share', device: 'net://nas/backup' },
    ],
    [
      'sshfs',
      classifyMount(mount('fuse.sshfs', 'u@h:/b'), undefined, undefined, 1),
      { medium: 'network-share', device: 'net:u@h:/b' },
    ],
    [
      'tmpfs',
      classifyMount(mount('tmpfs', 'tmpfs'), undefined, undefined, 1),
      { medium: 'disk', device: 'fs:tmpfs:/m' },
    ],
    [
      'unknown block fs',
      classifyMount(mount('ext4', '/dev/gone', '8:1'), undefined, undefined, 2049),
      { medium: 'disk', device: 'dev:2049' },
    ],
    [
      'disk serial',
      classifyMount(mount('ext4', '/dev/sda1'), block('sda1', { parent: 'sda' }), block('sda', { serial: 'S3Z' }), 1),
      { medium: 'disk', device: 'serial:S3Z' },
    ],
    [
      'partition table uuid',
      classifyMount(mount('ext4', '/dev/vda2'), block('vda2', { uuid: 'fs-2' }), block('vda', { ptuuid: 'pt-1' }), 1),
      { medium: 'disk', device: 'ptuuid:pt-1' },
    ],
    [
      'whole-disk filesystem',
      classifyMount(mount('ext4', '/dev/vdb'), block('vdb', { uuid: 'u-1' }), undefined, 1),
      { medium: 'disk', device: 'uuid:u-1' },
    ],
    [
      'nothing but a name',
      classifyMount(mount('ext4', '/dev/vdc'), block('vdc'), undefined, 1),
      { medium: 'disk', device: 'blockdev:vdc' },
    ],
    [
      'usb disk',
      classifyMount(mount('exfat', '/dev/sdb1'), block('sdb1'), block('sdb', { removable: true, label: 'USB-7' }), 1),
      { medium: 'removable-disk', device: 'label:USB-7' },
    ],
    [
      'optical',
      classifyMount(mount('iso9660', '/dev/sr0'), block('sr0', { removable: true }), undefined, 1),
      { medium: 'optical', device: 'blockdev:sr0' },
    ],
    [
      'loop image',
      classifyMount(
        mount('ext4', '/dev/loop3'),
        block('loop3', { backingFile: '/img/usb.img', label: 'L' }),
        undefined,
        1,
      ),
      { medium: 'disk', device: 'loop:/img/usb.img' },
    ],
  ];
  for (const [name, got, want] of cases) t.match(got, want, name);
  const one = classifyMount(mount('ext4', '/dev/vda1'), block('vda1'), block('vda'), 1);
  const two = classifyMount(mount('ext4', '/dev/vda2'), block('vda2'), block('vda'), 1);
  t.equal(one.device, two.device, 'two partitions of one disk are one device');
});

t.test('a host without a matching mount still names a device', async (t) => {
  const dir = t.testdir({});
  const host = createHostMedia({ logger, mountInfoFile: join(dir, 'no-such-mountinfo') });
  t.match(await host.resolve(dir), { medium: 'disk', device: /^dev:\d+$/ });
});

t.test(
  'as root: a tmpfs is another device; two directories on one device are one',
  { skip: rootFixturesUnavailable() },
  async (t) => {
    const dir = scratchDir(t, 'b321-medium-');
    const ram = join(dir, 'ram with space');
    for (const sub of ['a', 'b', 'ram with space']) mkdirSync(join(dir, sub));
    mountTmpfs(t, ram);
    mkdirSync(join(ram, 'inner'));

    const host = createHostMedia({ logger });
    const [a, b, onTmpfs, inner] = await Promise.all([
      host.resolve(join(dir, 'a')),
      host.resolve(join(dir, 'b')),
      host.resolve(ram),
      host.resolve(join(ram, 'inner')),
    ]);
    t.equal(a.device, b.device, 'same device for two directories of one filesystem');
    t.not(onTmpfs.device, a.device, 'the tmpfs is a different device');
    t.match(onTmpfs, { medium: 'disk', device: `fs:tmpfs:${ram}`, mount: ram, fsType: 'tmpfs', network: false });
    t.equal(inner.device, onTmpfs.device);
  },
);
