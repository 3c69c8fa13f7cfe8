// Block devices: labels and UUIDs come through even without udev (blkid fallback).
import { mkdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { pino } from 'pino';
import t from 'tap';
import { parseBlkidExport } from '../../src/host/blkid.js';
import { completeBlockDevice, fromSysfs } from '../../src/host/block-devices.js';
import { createHostMedia } from '../../src/host/index.js';
import { mountLabelledImage, rootFixturesUnavailable, scratchDir } from './root-fixtures.js';

const logger = pino({ level: 'silent' });

t.test('blkid export output gives label, uuid, partition-table uuid and type', async (t) => {
  t.same(parseBlkidExport('DEVNAME=/dev/sdb1\nLABEL=USB-0042\nUUID=1234-ABCD\nPTUUID=cafe\nTYPE=ext4\nEMPTY=\n'), {
    label: 'USB-0042',
    uuid: '1234-ABCD',
    ptuuid: 'cafe',
    fsType: 'ext4',
  });
  t.same(parseBlkidExport(''), {});
});

t.test('a block device the machine has is listed with its kernel name and /dev path', async (t) => {
  const devices = await createHostMedia({ logger }).blockDevices();
  // Every machine this runs on has a disk holding its root filesystem.
  t.ok(devices.length > 0, `${devices.length} block devices`);
  for (const device of devices) t.equal(device.path, `/dev/${device.name}`);
});

t.test(
  'a loop-mounted ext4 image labelled USB-0042 is listed with that label',
  { skip: rootFixturesUnavailable() },
  async (t) => {
    const dir = scratchDir(t, 'b321-usb-');
    const mountPoint = join(dir, 'usb');
    mkdirSync(mountPoint);
    const image = join(dir, 'usb.img');
    const device = mountLabelledImage(t, image, mountPoint, 'USB-0042');

    const host = createHostMedia({ logger });
    const listed = (await host.blockDevices()).find((found) => found.name === basename(device));
    t.match(listed, { path: device, label: 'USB-0042', uuid: /^[0-9a-f-]{36}$/, removable: false });
    const fromKernel = (await fromSysfs()).find((found) => found.name === basename(device));
    t.match(fromKernel, { type: 'loop' }, 'without lsblk, /sys still lists the attached loop device');
    t.match(
      fromKernel && (await completeBlockDevice(fromKernel)),
      { label: 'USB-0042', backingFile: image },
      'and blkid names it',
    );
    const medium = await host.resolve(mountPoint);
    t.match(medium, {
      medium: 'disk',
      device: `loop:${image}`,
      mount: mountPoint,
      fsType: 'ext4',
      source: device,
      label: 'USB-0042',
    });
  },
);
