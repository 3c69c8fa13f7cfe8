// A backup disk that comes back under another st_dev (a reboot, a re-plugged USB disk, a loop device
// attached to another number) is still known to the checksum cache: nothing on it is read again.
import { mkdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import t from 'tap';
import { configFromDocument } from '../../src/config/load.js';
import { verify } from '../../src/verify/run.js';
import { SETTLED_AT } from '../helpers/settled.js';
import { mountLabelledImage, reattachElsewhere, rootFixturesUnavailable, scratchDir } from '../host/root-fixtures.js';

t.test(
  'as root: an ext4 image re-attached on another loop device is verified from the cache',
  { skip: rootFixturesUnavailable() },
  async (t) => {
    const root = scratchDir(t, 'b321-remount-');
    const usb = join(root, 'usb');
    mkdirSync(usb);
    const image = join(root, 'usb.img');
    const device = mountLabelledImage(t, image, usb, 'REMOUNT-01');
    const dump = join(usb, 'erp.dump');
    writeFileSync(dump, 'the nightly dump\n'.repeat(1000));
    utimesSync(dump, SETTLED_AT, SETTLED_AT);
    const { config, problems } = configFromDocument(
      {
        agent: { id: 'remount', stateDir: join(root, 'state') },
        policy: { minCopies: 1, minMedia: 0, minOffline: 0, drillMaxAge: '0' },
        locations: [{ id: 'usb', type: 'disk', path: usb, throughput: '100MB/s' }],
        datasets: [{ id: 'erp', copies: { usb: '*.dump' } }],
      },
      join(root, 'agent.json'),
      {},
    );
    t.same(problems, []);
    if (!config) return;
    const logger = pino({ level: 'silent' });
    const first = await verify({ config, logger });
    t.match(first.checksumStats, { filesHashed: 1, cacheHits: 0 });
    const before = statSync(dump).dev;

    reattachElsewhere(t, image, usb, device);
    t.not(statSync(dump).dev, before, 'the filesystem has another st_dev');
    const second = await verify({ config, logger });
    t.match(second.checksumStats, { filesHashed: 0, bytesHashed: 0, cacheHits: 1 }, 'nothing read again');
    const copy = (run: typeof first) => run.report.datasets[0]?.copies[0];
    t.ok(copy(first)?.sha256);
    t.equal(copy(second)?.sha256, copy(first)?.sha256);
    t.equal(copy(second)?.hashedAt, copy(first)?.hashedAt, 'the checksum of the first run, from when it was read');
  },
);
