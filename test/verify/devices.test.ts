// Devices are failure domains, read from the machine: copies on two devices count twice, on one device once.

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import t from 'tap';
import { configFromDocument } from '../../src/config/load.js';
import { verify } from '../../src/verify/run.js';
import { mountLabelledImage, mountTmpfs, rootFixturesUnavailable, scratchDir } from '../host/root-fixtures.js';

const skip = rootFixturesUnavailable();

t.test(
  'as root: a dump on the system disk twice, on a tmpfs and on a USB-labelled ext4 image is three copies',
  { skip },
  async (t) => {
    const root = scratchDir(t, 'b321-devices-');
    const dirs = { a: join(root, 'a'), b: join(root, 'b'), tmpfs: join(root, 'tmpfs'), usb: join(root, 'usb') };
    for (const dir of Object.values(dirs)) mkdirSync(dir);
    mountTmpfs(t, dirs.tmpfs);
    mountLabelledImage(t, join(root, 'usb.img'), dirs.usb, 'USB-4242');
    for (const dir of Object.values(dirs)) writeFileSync(join(dir, 'erp.dump'), 'the same dump in four places\n');
    const { config, problems } = configFromDocument(
      {
        agent: { id: 'devices', stateDir: join(root, 'state') },
        policy: { minCopies: 4, minMedia: 0, minOffline: 0, drillMaxAge: '0' },
        locations: Object.entries(dirs).map(([id, path]) => ({ id, type: 'disk', path, throughput: '100MB/s' })),
        datasets: [{ id: 'erp', copies: { a: '*.dump', b: '*.dump', tmpfs: '*.dump', usb: '*.dump' } }],
      },
      join(root, 'agent.json'),
      {},
    );
    t.same(problems, []);
    if (!config) return;
    const { report } = await verify({ config, logger: pino({ level: 'silent' }) });
    const copies = report.datasets[0]?.findings.find((f) => f.check === 'copies');
    t.match(copies, { status: 'fail', reason: 'too-few', params: { have: 3, need: 4 } });
    const devices = new Map(report.datasets[0]?.copies.map((c) => [c.location, c.device]));
    t.equal(devices.get('a'), devices.get('b'), 'two directories on one disk are one device');
    t.not(devices.get('tmpfs'), devices.get('a'), 'the tmpfs is another device');
    t.not(devices.get('usb'), devices.get('a'), 'the loop-mounted image is another device');
    t.equal([...(copies?.evidence.notCounted ?? [])].filter((e) => e.note === 'same-device').length, 1);
    const usbFacts = report.sources.find((s) => s.id === 'usb')?.facts;
    t.match(usbFacts, { fsType: 'ext4' });
  },
);
