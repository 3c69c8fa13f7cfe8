// Identifying the filesystem behind a st_dev on a real machine: real files and mounts; where a test
// needs a filesystem this machine has not (ext4 on a disk, NFS, btrfs), it supplies the mount table,
// the by-uuid links and the btrfs listing as files of the shape the kernel and udev write.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, readlinkSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { pino } from 'pino';
import t from 'tap';
import { majorMinorOf } from '../../src/host/device-identity.js';
import { createDeviceIdentities, type DeviceIdentityOptions } from '../../src/host/identify-device.js';
import { parseMountInfo } from '../../src/host/mountinfo.js';
import {
  btrfsFixturesUnavailable,
  mountBtrfsImage,
  mountLabelledImage,
  mountTmpfs,
  reattachElsewhere,
  rootFixturesUnavailable,
  scratchDir,
} from './root-fixtures.js';

const logger = pino({ level: 'silent' });

/** The kernel's name for the block device numbered like `dir`'s filesystem, or a made-up one when it has none. */
function deviceNameOf(dir: string): string {
  try {
    return basename(readlinkSync(`/sys/dev/block/${majorMinorOf(statSync(dir).dev)}`));
  } catch {
    return 'sdz1';
  }
}

/** A probe of a device node for its UUID that answers `uuid` and counts what it was asked. */
function probe(uuid: string | undefined) {
  const asked: string[] = [];
  return {
    asked,
    probeUuid: async (path: string) => {
      asked.push(path);
      return uuid;
    },
  };
}

/** A mount table of one line: `dir` mounted as `fsType` from `source`, with its real major:minor. */
function mountTable(file: string, dir: string, fsType: string, source: string, root = '/'): string {
  writeFileSync(
    file,
    `90 1 ${majorMinorOf(statSync(dir).dev)} ${root} ${dir} rw,relatime shared:1 - ${fsType} ${source} rw\n`,
  );
  return file;
}

t.test('a block filesystem is named by its UUID: from /dev/disk/by-uuid, else by probing its device', async (t) => {
  const dir = t.testdir({ data: { 'erp.dump': 'erp', 'mail.dump': 'mail' }, 'by-uuid': {}, 'no-links': {} });
  const data = join(dir, 'data');
  const name = deviceNameOf(data);
  symlinkSync(`../../${name}`, join(dir, 'by-uuid', '4f1c2a3e-0b7d-4c55-9a0e-3d2b1c0f9e88'));
  const dev = statSync(data).dev;
  const options: DeviceIdentityOptions = {
    logger,
    mountInfoFile: mountTable(join(dir, 'mountinfo'), data, 'ext4', `/dev/${name}`),
    byUuidDir: join(dir, 'by-uuid'),
  };
  const linked = probe('never asked');
  const ids = createDeviceIdentities({ ...options, ...linked });
  t.equal(await ids.identify(dev, join(data, 'erp.dump')), 'uuid:4f1c2a3e-0b7d-4c55-9a0e-3d2b1c0f9e88');
  t.same(linked.asked, [], 'udev knew it: no device is probed');

  const probed = probe('b00c-5e1f');
  const withoutUdev = createDeviceIdentities({ ...options, byUuidDir: join(dir, 'no-links'), ...probed });
  t.equal(await withoutUdev.identify(dev, join(data, 'erp.dump')), 'uuid:b00c-5e1f');
  t.equal(await withoutUdev.identify(dev, join(data, 'mail.dump')), 'uuid:b00c-5e1f');
  t.same(probed.asked, [`/dev/${name}`], 'probed once for its st_dev, not once per file');

  const unreadable = createDeviceIdentities({ ...options, byUuidDir: join(dir, 'missing'), ...probe(undefined) });
  t.equal(await unreadable.identify(dev, join(data, 'erp.dump')), undefined, 'no UUID to be had: no identity');
});

t.test('a network share is named by its source and root; a tmpfs by nothing', async (t) => {
  const dir = t.testdir({ 'erp.dump': 'erp' });
  const file = join(dir, 'erp.dump');
  const dev = statSync(dir).dev;
  const nothingProbed = probe('never asked');
  const identify = (fsType: string, source: string, root?: string) =>
    createDeviceIdentities({
      logger,
      mountInfoFile: mountTable(join(dir, `${fsType}.mountinfo`), dir, fsType, source, root),
      ...nothingProbed,
    }).identify(dev, file);
  t.equal(await identify('nfs4', 'nas.example.vn:/export/backup'), 'net:nas.example.vn:/export/backup:/');
  t.equal(await identify('cifs', '//filer/backup', '/erp'), 'net://filer/backup:/erp');
  t.equal(await identify('zfs', 'tank/backup'), 'zfs:tank/backup');
  t.same(nothingProbed.asked, [], 'none of these has a device to probe');
});

const shmIsTmpfs = parseMountInfo(readFileSync('/proc/self/mountinfo', 'utf8')).some(
  (mount) => mount.mountPoint === '/dev/shm' && mount.fsType === 'tmpfs',
);

t.test(
  'a tmpfs (here /dev/shm, as the machine mounts it) has no identity that outlives a reboot',
  { skip: shmIsTmpfs ? false : 'this machine has no tmpfs on /dev/shm' },
  async (t) => {
    const nothingProbed = probe('never asked');
    t.equal(
      await createDeviceIdentities({ logger, ...nothingProbed }).identify(statSync('/dev/shm').dev, '/dev/shm/x'),
      undefined,
    );
    t.same(nothingProbed.asked, [], 'and no device to probe');
  },
);

t.test('a filesystem mounted after the table was read is found in a fresh reading', async (t) => {
  const dir = t.testdir({ 'erp.dump': 'erp' });
  const table = join(dir, 'mountinfo');
  writeFileSync(table, '');
  const ids = createDeviceIdentities({ logger, mountInfoFile: table, ...probe(undefined) });
  t.equal(await ids.identify(statSync('/proc').dev, '/proc/self/status'), undefined, 'not in the table');
  mountTable(table, dir, 'nfs', 'nas:/b');
  t.equal(await ids.identify(statSync(dir).dev, join(dir, 'erp.dump')), 'net:nas:/b:/');

  const { lines, logger: capturing } = capturingLogger();
  const noTable = createDeviceIdentities({ logger: capturing, mountInfoFile: join(dir, 'missing') });
  t.equal(await noTable.identify(statSync(dir).dev, join(dir, 'erp.dump')), undefined);
  t.match(lines, [{ level: 40, msg: /cannot read the mount table/ }]);
});

function capturingLogger(): { logger: pino.Logger; lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  return { logger: pino({ level: 'debug' }, { write: (line: string) => lines.push(JSON.parse(line)) }), lines };
}

const skip = rootFixturesUnavailable();

t.test(
  'as root: a btrfs subvolume (nested, with a st_dev of its own) is named by its path, however it is numbered',
  { skip },
  async (t) => {
    // Real nested mounts stand for the subvolumes: a tmpfs as the filesystem's top level and another
    // mounted in it, each with its own st_dev, as btrfs gives each subvolume. The supplied table and
    // btrfs listing say the top level is btrfs on /dev/sdq, with the anonymous 0:N number btrfs
    // mounts show (which is none of its subvolumes' st_dev).
    const scratch = scratchDir(t, 'b321-subvol-');
    const pool = join(scratch, 'pool');
    mkdirSync(pool);
    mountTmpfs(t, pool);
    const snapshot = join(pool, 'snaps', '2026-12-01');
    mkdirSync(snapshot, { recursive: true });
    mountTmpfs(t, snapshot);
    mkdirSync(join(snapshot, 'erp', 'daily'), { recursive: true });
    writeFileSync(join(snapshot, 'erp', 'daily', 'erp.dump'), 'erp');
    writeFileSync(join(pool, 'top.dump'), 'top');
    const uuid = '9c1d6a4e-2f3b-4e5d-8a7b-6c5d4e3f2a1b';
    mkdirSync(join(scratch, 'sys-fs-btrfs', uuid, 'devices'), { recursive: true });
    writeFileSync(join(scratch, 'sys-fs-btrfs', uuid, 'devices', 'sdq'), '');
    const table = join(scratch, 'mountinfo');
    writeFileSync(table, `90 1 0:999 / ${pool} rw,relatime - btrfs /dev/sdq rw,space_cache=v2,subvolid=5,subvol=/\n`);
    const options = { logger, mountInfoFile: table, btrfsDir: join(scratch, 'sys-fs-btrfs'), ...probe(undefined) };
    const file = join(snapshot, 'erp', 'daily', 'erp.dump');
    const before = statSync(file).dev;
    t.not(before, statSync(pool).dev, 'the nested subvolume has a st_dev of its own');
    const ids = createDeviceIdentities(options);
    t.equal(await ids.identify(before, file), `btrfs:${uuid}:/snaps/2026-12-01`);
    t.equal(await ids.identify(statSync(pool).dev, join(pool, 'top.dump')), `btrfs:${uuid}:/`, 'the top level');

    // Mounted again (as after a reboot), the subvolume has another st_dev and the same name. Another
    // filesystem mounted first takes the number it had, as mounts in another order do at boot.
    execFileSync('umount', [snapshot]);
    const other = join(scratch, 'other');
    mkdirSync(other);
    mountTmpfs(t, other);
    mountTmpfs(t, snapshot);
    mkdirSync(join(snapshot, 'erp', 'daily'), { recursive: true });
    writeFileSync(join(snapshot, 'erp', 'daily', 'erp.dump'), 'erp');
    const after = statSync(file).dev;
    t.not(after, before, 'another st_dev');
    t.equal(await createDeviceIdentities(options).identify(after, file), `btrfs:${uuid}:/snaps/2026-12-01`);
  },
);

t.test(
  'as root: an ext4 image on a loop device keeps its identity when attached to another one',
  { skip },
  async (t) => {
    // Nothing supplied: the machine's mount table, its by-uuid links if udev keeps them, else blkid.
    const scratch = scratchDir(t, 'b321-loop-id-');
    const mountPoint = join(scratch, 'usb');
    mkdirSync(mountPoint);
    const image = join(scratch, 'usb.img');
    const device = mountLabelledImage(t, image, mountPoint, 'ID-0001');
    writeFileSync(join(mountPoint, 'erp.dump'), 'erp');
    const uuid = execFileSync('blkid', ['-c', '/dev/null', '-s', 'UUID', '-o', 'value', device], {
      encoding: 'utf8',
    }).trim();
    const before = statSync(join(mountPoint, 'erp.dump')).dev;
    t.equal(await createDeviceIdentities({ logger }).identify(before, join(mountPoint, 'erp.dump')), `uuid:${uuid}`);

    const moved = reattachElsewhere(t, image, mountPoint, device);
    t.not(moved, device, `attached to ${moved} instead of ${device}`);
    const after = statSync(join(mountPoint, 'erp.dump')).dev;
    t.not(after, before, 'another st_dev');
    t.equal(await createDeviceIdentities({ logger }).identify(after, join(mountPoint, 'erp.dump')), `uuid:${uuid}`);
  },
);

t.test(
  'as root, on a real btrfs: each subvolume is named by its path, whichever mount shows it and whatever its st_dev',
  { skip: btrfsFixturesUnavailable() },
  async (t) => {
    // Nothing supplied: the machine's mount table and /sys/fs/btrfs. btrfs lists its mounts under one
    // anonymous number and gives each subvolume (the top level too) a st_dev of its own besides.
    const scratch = scratchDir(t, 'b321-btrfs-');
    const [top, backup, placeholder] = ['top', 'backup', 'placeholder'].map((name) => join(scratch, name)) as [
      string,
      string,
      string,
    ];
    for (const dir of [top, backup, placeholder]) mkdirSync(dir);
    const image = join(scratch, 'pool.img');
    const device = mountBtrfsImage(t, image, top);
    execFileSync('btrfs', ['-q', 'subvolume', 'create', join(top, '@backup')]);
    mkdirSync(join(top, '@backup', 'snaps'));
    execFileSync('btrfs', ['-q', 'subvolume', 'create', join(top, '@backup', 'snaps', '2026-12-01')]);
    writeFileSync(join(top, '@backup', 'erp.dump'), 'erp');
    writeFileSync(join(top, '@backup', 'snaps', '2026-12-01', 'erp.dump'), 'erp yesterday');
    execFileSync('mount', ['-o', 'subvol=/@backup', device, backup]);
    t.teardown(() => execFileSync('umount', [backup]));
    const uuid = execFileSync('blkid', ['-c', '/dev/null', '-s', 'UUID', '-o', 'value', device], {
      encoding: 'utf8',
    }).trim();
    const files = {
      mounted: join(backup, 'erp.dump'),
      mountedViaTop: join(top, '@backup', 'erp.dump'),
      snapshot: join(backup, 'snaps', '2026-12-01', 'erp.dump'),
      snapshotViaTop: join(top, '@backup', 'snaps', '2026-12-01', 'erp.dump'),
    };
    const identifyAll = async () => {
      const ids = createDeviceIdentities({ logger });
      const found: Record<string, string | undefined> = {};
      // A new lookup per file: one lookup answers a st_dev once, whichever of its files came first.
      for (const [name, path] of Object.entries(files))
        found[name] = await createDeviceIdentities({ logger }).identify(statSync(path).dev, path);
      found.top = await ids.identify(statSync(top).dev, join(top, '@backup'));
      return found;
    };
    const expected = {
      mounted: `btrfs:${uuid}:/@backup`,
      mountedViaTop: `btrfs:${uuid}:/@backup`,
      snapshot: `btrfs:${uuid}:/@backup/snaps/2026-12-01`,
      snapshotViaTop: `btrfs:${uuid}:/@backup/snaps/2026-12-01`,
      top: `btrfs:${uuid}:/`,
    };
    const before = Object.values(files).map((path) => statSync(path).dev);
    t.same(await identifyAll(), expected);

    // Mounted again from another loop device, after another filesystem took the numbers btrfs had.
    execFileSync('umount', [backup]);
    const moved = reattachElsewhere(t, image, top, device, () => mountTmpfs(t, placeholder));
    execFileSync('mount', ['-o', 'subvol=/@backup', moved, backup]);
    const after = Object.values(files).map((path) => statSync(path).dev);
    t.ok(
      after.every((dev, i) => dev !== before[i]),
      `every subvolume has another st_dev (${before.join(', ')} → ${after.join(', ')})`,
    );
    t.same(await identifyAll(), expected, 'and the same identity');
  },
);
