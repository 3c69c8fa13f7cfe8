// A USB disk that is both a mounted disk location and a media in the log is one device, not two.
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import t from 'tap';
import { configFromDocument } from '../../../src/config/load.js';
import { verify } from '../../../src/verify/run.js';
import { mountLabelledImage, rootFixturesUnavailable, scratchDir } from '../../host/root-fixtures.js';
import { ev } from './helpers.js';

const skip = rootFixturesUnavailable();

t.test(
  'as root: a dump on a mounted, labelled USB image and that USB in the media log count as one copy',
  { skip },
  async (t) => {
    const root = scratchDir(t, 'b321-same-media-');
    const usb = join(root, 'usb');
    mkdirSync(usb);
    const label = `USB-${process.pid % 100000}`;
    mountLabelledImage(t, join(root, 'usb.img'), usb, label);
    const dump = 'one dump, on one USB disk\n';
    writeFileSync(join(usb, 'erp.dump'), dump);
    const hourAgo = new Date(Date.now() - 3_600_000).toISOString();
    const written = { file: 'erp.dump', sha256: createHash('sha256').update(dump).digest('hex'), bytes: dump.length };
    const log = join(root, 'media.jsonl');
    writeFileSync(
      log,
      `${ev('written', hourAgo, label, { ...written, mediumType: 'removable-disk' })}\n${ev('offline', hourAgo, label)}\n`,
    );
    const { config, problems } = configFromDocument(
      {
        agent: { id: 'same-media', stateDir: join(root, 'state') },
        policy: { minCopies: 2, minMedia: 0, minOffline: 0, drillMaxAge: '0' },
        locations: [
          { id: 'usb', type: 'disk', path: usb, throughput: '100MB/s' },
          { id: 'vault', type: 'offline-log', path: log },
        ],
        datasets: [{ id: 'erp-db', copies: { usb: '*.dump', vault: 'erp-db' } }],
      },
      join(root, 'agent.json'),
      {},
    );
    t.same(problems, []);
    if (!config) return;
    const { report } = await verify({ config, logger: pino({ level: 'silent' }) });
    const dataset = report.datasets[0];
    const byLocation = new Map(dataset?.copies.map((c) => [c.location, c]));
    t.match(byLocation.get('vault'), { offline: false, offlineReason: 'attached-now' }, 'plugged in: not offline');
    t.ok(byLocation.get('usb')?.device, 'the disk source named the device');
    t.equal(byLocation.get('vault')?.device, byLocation.get('usb')?.device, 'both copies are on one device');
    const copies = dataset?.findings.find((f) => f.check === 'copies');
    t.match(copies, { status: 'fail', reason: 'too-few', params: { have: 1, need: 2 } });
    t.equal([...(copies?.evidence.notCounted ?? [])].filter((e) => e.note === 'same-device').length, 1);
  },
);
