// The read probe on a real block device: small copies give no rate of their own, the device under them does.
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import t from 'tap';
import { configFromDocument } from '../../src/config/load.js';
import { verify } from '../../src/verify/run.js';
import { mountLabelledImage, rootFixturesUnavailable, scratchDir } from '../host/root-fixtures.js';

const skip = rootFixturesUnavailable();

t.test('as root: a 1 kB dump on a loop-mounted ext4 image is timed by reading the loop device', { skip }, async (t) => {
  const root = scratchDir(t, 'b321-probe-device-');
  const usb = join(root, 'usb');
  mkdirSync(usb);
  const device = mountLabelledImage(t, join(root, 'usb.img'), usb, 'USB-PROBE', '96M');
  writeFileSync(join(usb, 'erp.dump'), 'x'.repeat(1000));
  const { config, problems } = configFromDocument(
    {
      agent: { id: 'probe', stateDir: join(root, 'state') },
      policy: { minCopies: 1, minMedia: 0, minOffline: 0, drillMaxAge: '0' },
      locations: [{ id: 'usb', type: 'disk', path: usb }],
      datasets: [{ id: 'erp', copies: { usb: '*.dump' } }],
    },
    join(root, 'agent.json'),
    {},
  );
  t.same(problems, []);
  if (!config) return;
  const mtime = statSync(join(usb, 'erp.dump')).mtimeMs;
  const { report } = await verify({ config, logger: pino({ level: 'silent' }) });
  const facts = report.sources.find((s) => s.id === 'usb')?.facts;
  t.match(facts?.throughputMeasured, new RegExp(`sample of ${device}`), 'the device was read, not the 1 kB file');
  const copy = report.datasets[0]?.copies[0];
  t.equal(copy?.restore?.throughputSource, 'measured');
  t.ok((copy?.restore?.throughputBytesPerSec ?? 0) > 0);
  const restoreTime = report.datasets[0]?.findings.find((f) => f.check === 'restore-time');
  t.equal(restoreTime?.status, 'pass');
  t.equal(statSync(join(usb, 'erp.dump')).mtimeMs, mtime, 'the probe only reads');
});
