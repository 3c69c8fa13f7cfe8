// One file reached from two locations (a symlink in one to a file in the other, followed out of its
// location with `followSymlinks: true`) is one copy: each copy is on the device of the filesystem that
// holds it, not that of the location it was found in.

import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import t from 'tap';
import { configFromDocument } from '../../src/config/load.js';
import { verify } from '../../src/verify/run.js';
import { mountTmpfs, rootFixturesUnavailable, scratchDir } from '../host/root-fixtures.js';

t.test(
  'as root: a symlink in one location to a dump in another counts once; the location settings stay its own',
  { skip: rootFixturesUnavailable() },
  async (t) => {
    const root = scratchDir(t, 'b321-symlinked-');
    const a = join(root, 'a');
    const b = join(root, 'b');
    for (const dir of [a, b]) {
      mkdirSync(dir);
      mountTmpfs(t, dir);
    }
    writeFileSync(join(a, 'erp.dump'), 'one dump\n');
    symlinkSync(join(a, 'erp.dump'), join(b, 'erp.dump'));
    writeFileSync(join(b, 'own.tar'), 'a file of b itself\n');
    const { config, problems } = configFromDocument(
      {
        agent: { id: 'symlinked', stateDir: join(root, 'state') },
        policy: { minCopies: 2, minMedia: 0, minOffline: 0, drillMaxAge: '0' },
        locations: [
          { id: 'a', type: 'disk', path: a, throughput: '100MB/s' },
          // Its link leads out of it, into a: followed only because the operator says so.
          {
            id: 'b',
            type: 'disk',
            path: b,
            throughput: '100MB/s',
            medium: 'network-share',
            device: 'nas-1',
            followSymlinks: true,
          },
        ],
        datasets: [
          { id: 'erp', copies: { a: '*.dump', b: '*.dump' } },
          { id: 'files', copies: { b: '*.tar' } },
        ],
      },
      join(root, 'agent.json'),
      {},
    );
    t.same(problems, []);
    if (!config) return;
    const { report } = await verify({ config, logger: pino({ level: 'silent' }) });
    const erp = report.datasets.find((d) => d.id === 'erp');
    const devices = new Map(erp?.copies.map((copy) => [copy.location, copy.device]));
    t.equal(devices.get('b'), devices.get('a'), "the link's copy is on a's tmpfs, as the file it leads to");
    t.match(devices.get('a'), /^fs:tmpfs:/);
    t.match(
      erp?.copies.find((copy) => copy.location === 'b'),
      { medium: 'disk' },
      "b's medium setting is about b's own filesystem",
    );
    t.match(
      erp?.findings.find((f) => f.check === 'copies'),
      {
        status: 'fail',
        reason: 'too-few',
        params: { have: 1, need: 2 },
      },
    );
    t.match(
      report.datasets.find((d) => d.id === 'files')?.copies,
      [{ device: 'nas-1', medium: 'network-share' }],
      "a file on b's own filesystem gets b's settings",
    );
    const issues = report.sources.find((s) => s.id === 'b')?.issues ?? [];
    t.match(issues, [
      {
        severity: 'warning',
        code: 'B321_OTHER_FILESYSTEM',
        dataset: 'erp',
        path: join(b, 'erp.dump'),
        message: new RegExp(`on ${a} \\(tmpfs\\), not on the location's filesystem`),
      },
    ]);
    t.equal(issues.length, 1);
  },
);
