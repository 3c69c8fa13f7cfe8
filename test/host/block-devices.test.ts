// Block devices: labels and UUIDs come through even without udev (blkid fallback).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { pino } from 'pino';
import t from 'tap';
import { blkid, parseBlkidExport } from '../../src/host/blkid.js';
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

t.test(
  'resolving a path asks blkid about the devices it is on, not about every device of the machine',
  { skip: rootFixturesUnavailable() },
  async (t) => {
    const dir = scratchDir(t, 'b321-lazy-');
    const mountPoint = join(dir, 'usb');
    mkdirSync(mountPoint);
    // No label: lsblk then leaves the device incomplete, and only blkid can complete it.
    const device = mountLabelledImage(t, join(dir, 'usb.img'), mountPoint, '');
    // A blkid in front of the real one that writes down which device it was asked about.
    const bin = join(dir, 'bin');
    mkdirSync(bin);
    const log = join(dir, 'blkid.log');
    const real = execFileSync('sh', ['-c', 'command -v blkid'], { encoding: 'utf8' }).trim();
    // The device is the last argument.
    const script = `#!/bin/sh\nfor arg; do last="$arg"; done\necho "$last" >> '${log}'\nexec '${real}' "$@"\n`;
    writeFileSync(join(bin, 'blkid'), script, { mode: 0o755 });
    const path = process.env.PATH;
    process.env.PATH = `${bin}:${path}`;
    t.teardown(() => {
      process.env.PATH = path;
    });
    const asked = (): string[] => (existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean) : []);

    const host = createHostMedia({ logger });
    const elsewhere = await host.resolve(dir);
    t.not(elsewhere.source, device, 'the scratch dir is not on the loop device');
    t.notOk(asked().includes(device), `resolving ${dir} did not ask about ${device} (asked: ${asked().join(', ')})`);

    const medium = await host.resolve(mountPoint);
    t.match(medium, { mount: mountPoint, source: device, fsType: 'ext4' });
    t.equal(asked().filter((name) => name === device).length, 1, "the mount point's device was completed");

    const listed = (await host.blockDevices()).find((found) => found.name === basename(device));
    t.match(listed, { path: device, uuid: /^[0-9a-f-]{36}$/, fsType: 'ext4' }, 'listing every device completes them');
    t.equal(asked().filter((name) => name === device).length, 1, 'a device is completed once per run');
  },
);

t.test(
  'as root: a USB disk swapped for another on the same device node is read anew, not from a cache',
  { skip: rootFixturesUnavailable() },
  async (t) => {
    const root = scratchDir(t, 'b321-blkid-swap-');
    const images = ['USB-FIRST', 'USB-SECOND'].map((label) => {
      const image = join(root, `${label}.img`);
      execFileSync('truncate', ['-s', '16M', image]);
      execFileSync('mkfs.ext4', ['-q', '-L', label, image]);
      return image;
    });
    const device = execFileSync('losetup', ['-f', '--show', images[0] as string], { encoding: 'utf8' }).trim();
    t.teardown(() => {
      try {
        execFileSync('losetup', ['-d', device], { stdio: 'ignore' });
      } catch {
        // already detached
      }
    });
    t.equal((await blkid(device)).label, 'USB-FIRST');
    // Unplugged and the other one plugged in at once: the same node, another disk.
    execFileSync('losetup', ['-d', device]);
    execFileSync('losetup', [device, images[1] as string]);
    t.equal((await blkid(device)).label, 'USB-SECOND', 'the label of the disk attached now');
  },
);
