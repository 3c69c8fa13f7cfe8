// The offline-log source: copies on media, offline only when logged offline AND not attached to this machine now.
import t, { type Test } from 'tap';
import { execFileSync } from 'node:child_process';
import { chmodSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pino } from 'pino';
import { createHostMedia } from '../../../src/host/index.js';
import { evaluateDataset } from '../../../src/policy/evaluate.js';
import { createOfflineLogSource } from '../../../src/sources/offline-log/source.js';
import { input } from '../../helpers/copies.js';
import { unprivilegedChild } from '../../helpers/unprivileged.js';
import { backup, ev, fakeHost, offlineLocation, realContext, SHA_A, SHA_B } from './helpers.js';

const day = (n: number) => `2026-11-${String(n).padStart(2, '0')}T00:00:00Z`;
// Ids no real device carries (checked below), so the REAL device list says "not attached".
const id = (name: string) => `B321TEST-${process.pid}-${name}`;

const inventory = async (t: Test, lines: string[], ctx = realContext([backup('erp-db')])) => {
  const path = join(t.testdir({ 'media.jsonl': `${lines.join('\n')}\n` }), 'media.jsonl');
  return {
    path,
    ...(await createOfflineLogSource(offlineLocation(path)).inventory(ctx)),
  };
};

t.test('every state on the REAL block-device list: only "offline" and not attached counts as offline', async (t) => {
  const real = await createHostMedia({
    logger: pino({ level: 'silent' }),
  }).blockDevices();
  t.ok(real.length > 0, `this machine lists ${real.length} block device(s): ${real.map((d) => d.name).join(', ')}`);
  const table: {
    name: string;
    events: string[];
    offline: boolean;
    reason?: string;
  }[] = [
    {
      name: 'written',
      events: ['written'],
      offline: false,
      reason: 'state-written',
    },
    { name: 'offline', events: ['written', 'offline'], offline: true },
    {
      name: 'online',
      events: ['written', 'offline', 'online'],
      offline: false,
      reason: 'state-online',
    },
    {
      name: 'back-offline',
      events: ['written', 'offline', 'online', 'offline'],
      offline: true,
    },
    {
      name: 'verified',
      events: ['written', 'offline', 'verified'],
      offline: false,
      reason: 'state-verified',
    },
    {
      name: 'verified-offline',
      events: ['written', 'verified', 'offline'],
      offline: true,
    },
  ];
  const ids = table.map((row) => id(row.name).toLowerCase());
  t.notOk(
    real.some((d) => [d.name, d.label, d.serial, d.uuid].some((v) => v && ids.includes(v.toLowerCase()))),
    'no real device carries the test media ids',
  );
  let hour = 0;
  const at = () => new Date(Date.UTC(2026, 10, 1, hour++)).toISOString();
  const lines = table.flatMap((row) =>
    row.events.map((event) =>
      ev(
        event,
        at(),
        id(row.name),
        event === 'verified' ? { dataset: 'erp-db', file: 'erp/x.dump', sha256: SHA_A } : {},
      ),
    ),
  );
  const { copies, status } = await inventory(t, lines);
  t.equal(status.status, 'ok');
  for (const row of table) {
    const copy = copies.find((c) => c.device === `media:${id(row.name)}`);
    t.equal(copy?.offline, row.offline, `${row.events.join(' → ')}: offline ${row.offline}`);
    t.equal(copy?.offlineReason, row.reason, `${row.events.join(' → ')}: reason ${row.reason ?? 'none'}`);
  }
  t.match(status.facts, {
    events: lines.length,
    media: table.length,
    mediaOffline: 3,
    mediaAttached: 0,
    mediaRetired: 0,
  });
});

t.test('a copy carries the media path, recorded checksum, restore path and the dataset the config maps', async (t) => {
  const { path, copies } = await inventory(
    t,
    [
      ev('written', day(1), 'T1', {
        dataset: 'ERP',
        file: 'erp/2026-11-01.dump',
        bytes: 5000,
      }),
      ev('offline', day(2), 'T1'),
      ev('verified', day(9), 'T1', {
        dataset: 'ERP',
        file: 'erp/2026-11-01.dump',
        sha256: SHA_A,
      }),
      ev('offline', day(9), 'T1'),
    ],
    realContext([backup('erp-db', 'ERP')]),
  );
  t.same(copies, [
    {
      id: 'vault:media:T1/erp/2026-11-01.dump',
      dataset: 'erp-db',
      location: 'vault',
      locationType: 'offline-log',
      path: 'media:T1/erp/2026-11-01.dump',
      name: '2026-11-01.dump',
      kind: 'media-file',
      role: 'backup',
      bytes: 5000,
      modifiedAt: '2026-11-01T00:00:00.000Z',
      medium: 'tape',
      device: 'media:T1',
      offline: true,
      restore: {
        retrievalMs: 21_600_000,
        retrievalNote: 'vault transport / loading',
        throughputBytesPerSec: 300e6,
        throughputSource: 'configured',
      },
      recorded: {
        value: SHA_A,
        source: 'media-log',
        ref: `${path}:1`,
        at: '2026-11-09T00:00:00.000Z',
      },
      // The verified event read the tape back: a read of its content at that time.
      verifiedAt: '2026-11-09T00:00:00.000Z',
    },
  ]);
});

t.test(
  'datasets: names match exactly, the id is the default name, others are ignored, none found is warned',
  async (t) => {
    const ctx = realContext([backup('erp-db'), backup('mail', 'mail-store'), backup('crm')]);
    const { copies, status } = await inventory(
      t,
      [
        ev('written', day(1), 'T1'),
        ev('written', day(1), 'T1', {
          dataset: 'mail-store',
          file: 'mail.tar',
        }),
        ev('written', day(1), 'T1', {
          dataset: 'Mail-Store',
          file: 'other.tar',
        }),
        ev('written', day(1), 'T2', {
          dataset: 'crm',
          file: 'crm.dump',
          sha256: undefined,
        }),
        ev('retired', day(2), 'T2'),
      ],
      ctx,
    );
    t.same(
      copies.map((c) => `${c.dataset} ${c.path}`),
      ['erp-db media:T1/erp/x.dump', 'mail media:T1/mail.tar'],
    );
    t.match(status.issues, [
      { code: 'B321_NO_CHECKSUM', line: 4 },
      {
        code: 'B321_NO_MATCH',
        dataset: 'crm',
        message: /nothing matches "crm" among the media that are not retired/,
      },
    ]);
    t.equal(status.status, 'degraded');
    t.match(status.facts, { media: 1, mediaRetired: 1 });
  },
);

t.test(
  'a media that is attached now does not count as offline, and is the block device it is attached as (FAKE device list)',
  async (t) => {
    // The only fake in this file: the positive "is attached" case needs a device carrying the id.
    const devices = [
      {
        name: 'sdb1',
        path: '/dev/sdb1',
        type: 'part',
        removable: true,
        label: 'usb-0042',
      },
      {
        name: 'sdc',
        path: '/dev/sdc',
        type: 'disk',
        removable: false,
        serial: 'LTO-SERIAL-9',
      },
      {
        name: 'sdd1',
        path: '/dev/sdd1',
        type: 'part',
        removable: true,
        uuid: 'ABCD-1234',
      },
      { name: 'sr0', path: '/dev/sr0', type: 'rom', removable: true },
      { name: 'sde', path: '/dev/sde', type: 'disk', removable: true, serial: 'DISK-SERIAL-5' },
      { name: 'sde1', path: '/dev/sde1', type: 'part', removable: true, label: 'USB-0099', parent: 'sde' },
    ];
    const ctx = realContext([backup('erp-db')], { host: fakeHost(devices) });
    const ids = ['USB-0042', 'lto-serial-9', 'abcd-1234', 'SR0', 'USB-0099', 'USB-0043'];
    const lines = ids.flatMap((media) => [ev('written', day(1), media), ev('offline', day(2), media)]);
    const { copies, status } = await inventory(t, lines, ctx);
    // No real device has these ids. Attached, a media's copies carry the id the disk source gives that
    // block device (src/host/classify.ts), so a disk location on the same USB disk is the same device.
    t.same(
      copies.map((c) => [c.device, c.offline, c.offlineReason]),
      [
        ['label:usb-0042', false, 'attached-now'],
        ['serial:LTO-SERIAL-9', false, 'attached-now'],
        ['uuid:ABCD-1234', false, 'attached-now'],
        ['blockdev:sr0', false, 'attached-now'],
        ['serial:DISK-SERIAL-5', false, 'attached-now'],
        ['media:USB-0043', true, undefined],
      ],
    );
    t.match(status.facts, {
      mediaOffline: 1,
      mediaAttached: 5,
      attached:
        /USB-0042=sdb1\(label\), lto-serial-9=sdc\(serial\), abcd-1234=sdd1\(uuid\), SR0=sr0\(name\), USB-0099=sde1\(label\)/,
    });
  },
);

const notRoot = process.getuid?.() !== 0 ? 'not root: cannot create a loop device (losetup needs root)' : false;
t.test('a REAL loop device with filesystem label = media id is detected as attached', { skip: notRoot }, async (t) => {
  const dir = t.testdir({});
  const image = join(dir, 'usb.img');
  const label = `USB-${process.pid % 100000}`;
  execFileSync('truncate', ['-s', '16M', image]);
  execFileSync('mkfs.ext4', ['-q', '-L', label, image]);
  const device = execFileSync('losetup', ['-f', '--show', image], {
    encoding: 'utf8',
  }).trim();
  t.teardown(() => {
    execFileSync('losetup', ['-d', device]);
  });
  const { copies, status } = await inventory(t, [ev('written', day(1), label), ev('offline', day(2), label)]);
  t.match(
    copies,
    [
      {
        // A loop device is named by its image, as the disk source names files on it.
        device: /^loop:.*usb\.img/,
        offline: false,
        offlineReason: 'attached-now',
      },
    ],
    `${device} labelled ${label}`,
  );
  t.match(status.facts, {
    mediaAttached: 1,
    attached: new RegExp(`${label}=${device.replace('/dev/', '')}\\(label\\)`),
  });
});

t.test('when block devices cannot be listed, no copy counts as offline', async (t) => {
  const ctx = realContext([backup('erp-db')], {
    host: {
      resolve: () => Promise.reject(new Error('unused')),
      prefetch: async () => undefined,
      blockDevices: () => Promise.reject(new Error('lsblk failed')),
    },
  });
  const { copies, status } = await inventory(t, [ev('written', day(1), 'T1'), ev('offline', day(2), 'T1')], ctx);
  t.match(copies, [{ offline: false, offlineReason: 'attachment-unknown' }]);
  t.match(status.issues, [
    {
      code: 'B321_DEVICES_UNKNOWN',
      severity: 'warning',
      message: /lsblk failed/,
    },
  ]);
  t.equal(status.facts.mediaOffline, 0);
});

t.test('a missing log is a log with no media yet: no copies, a warning (B321_LOG_MISSING)', async (t) => {
  const path = join(t.testdir({}), 'nope.jsonl');
  const { copies, status } = await createOfflineLogSource(offlineLocation(path)).inventory(
    realContext([backup('erp-db')]),
  );
  t.same(copies, []);
  t.match(status, {
    id: 'vault',
    type: 'offline-log',
    status: 'degraded',
    copies: 0,
    issues: [{ severity: 'warning', code: 'B321_LOG_MISSING', path }],
  });
});

t.test('an unreadable log is B321_EACCES; a directory in its place is B321_READ_ERROR', async (t) => {
  const dir = t.testdir({
    'media.jsonl': `${ev('written', day(1), 'T1')}\n`,
    'adir.jsonl': {},
  });
  const source = (name: string) => createOfflineLogSource(offlineLocation(join(dir, name)));
  const asDir = await source('adir.jsonl').inventory(realContext([backup('erp-db')]));
  t.match(asDir.status, {
    status: 'unreadable',
    issues: [{ code: 'B321_READ_ERROR', severity: 'error' }],
  });
  const child = unprivilegedChild();
  if (process.getuid?.() === 0 && typeof child === 'string') t.pass('the permission case', { skip: child });
  else if (process.getuid?.() === 0 && typeof child !== 'string') {
    // Root reads any file, so the permission case runs in a child that file modes apply to.
    chmodSync(dir, 0o755);
    chmodSync(join(dir, 'media.jsonl'), 0o000);
    const script = `const { createOfflineLogSource } = await import(${JSON.stringify(new URL('../../../src/sources/offline-log/source.ts', import.meta.url).href)});
      const r = await createOfflineLogSource({ id: 'v', type: 'offline-log', path: ${JSON.stringify(join(dir, 'media.jsonl'))}, format: 'jsonl', retrievalMs: 0, readTimeoutMs: 300000 })
        .inventory({ datasets: [], host: { blockDevices: async () => [] }, logger: { debug() {} } });
      console.log(JSON.stringify(r.status.issues));`;
    // From a file: the log is read on a thread, and a thread cannot start from an -e script's arguments.
    writeFileSync(join(dir, 'child.ts'), script);
    const out = child.runTypeScript([join(dir, 'child.ts')]);
    t.equal(out.status, 0, out.stderr);
    t.match(JSON.parse(out.stdout), [{ code: 'B321_EACCES', severity: 'error' }]);
  } else {
    chmodSync(join(dir, 'media.jsonl'), 0o000);
    const denied = await source('media.jsonl').inventory(realContext([backup('erp-db')]));
    t.match(denied.status.issues, [{ code: 'B321_EACCES', severity: 'error' }]);
  }
});

t.test('a CSV log is read the same way', async (t) => {
  const csv = `ts,event,media,mediumType,dataset,file,sha256,bytes\n${day(1)},written,C1,optical,erp-db,erp.iso,${SHA_B},700\n${day(2)},offline,C1,,,,,\n`;
  const path = join(t.testdir({ 'media.csv': csv }), 'media.csv');
  const { copies, status } = await createOfflineLogSource(offlineLocation(path, { format: 'csv' })).inventory(
    realContext([backup('erp-db')]),
  );
  t.match(copies, [
    {
      medium: 'optical',
      offline: true,
      recorded: { value: SHA_B, ref: `${path}:2` },
      name: 'erp.iso',
    },
  ]);
  t.match(status.facts, { format: 'csv', events: 2 });
});

t.test('a half-written last line is noted in the facts, not as an issue', async (t) => {
  const dir = t.testdir({
    'media.jsonl': `${ev('written', day(1), 'T1')}\n{"ts":"2026-11-02T`,
  });
  const { status } = await createOfflineLogSource(offlineLocation(join(dir, 'media.jsonl'))).inventory(
    realContext([backup('erp-db')]),
  );
  t.equal(status.status, 'ok');
  t.equal(status.facts.pendingLine, 2);
});

t.test('reading never modifies the log: content and mtime identical after inventory', async (t) => {
  const dir = t.testdir({
    'media.jsonl': `${ev('written', day(1), 'T1')}\n${ev('offline', day(2), 'T1')}\n`,
  });
  const path = join(dir, 'media.jsonl');
  const old = new Date('2026-01-01T00:00:00Z');
  utimesSync(path, old, old);
  const before = {
    content: readFileSync(path, 'base64'),
    mtimeMs: statSync(path).mtimeMs,
    size: statSync(path).size,
  };
  await createOfflineLogSource(offlineLocation(path)).inventory(realContext([backup('erp-db')]));
  await createOfflineLogSource(offlineLocation(path)).inventory(realContext([backup('erp-db')]));
  t.same(
    {
      content: readFileSync(path, 'base64'),
      mtimeMs: statSync(path).mtimeMs,
      size: statSync(path).size,
    },
    before,
  );
});

t.test('a tape read back with another checksum than it was written with is corrupt: integrity fails', async (t) => {
  // The run's clock is 2026-11-24: written 4 days before, well within offlineMaxAge.
  const { path, copies, status } = await inventory(t, [
    ev('written', day(20), 'T1'),
    ev('offline', day(20), 'T1'),
    ev('online', day(21), 'T1'),
    ev('verified', day(21), 'T1', { dataset: 'erp-db', file: 'erp/x.dump', sha256: SHA_B }),
    ev('offline', day(21), 'T1'),
  ]);
  t.match(copies, [
    {
      hashError: 'content-mismatch',
      recorded: { value: SHA_A, source: 'media-log', ref: `${path}:1`, at: '2026-11-20T00:00:00.000Z' },
    },
  ]);
  t.match(status.issues, [
    {
      severity: 'warning',
      code: 'B321_VERIFY_MISMATCH',
      line: 4,
      message: new RegExp(`read back with sha256 ${SHA_B}, but line 1 wrote it with sha256 ${SHA_A}`),
    },
  ]);
  // The real policy, on the copy as the source gives it: the only copy is corrupt, never "verified".
  const evaluation = evaluateDataset(input(copies, { now: new Date('2026-11-24T00:00:00Z'), locations: ['vault'] }));
  t.match(evaluation.copies, [{ assessment: { usable: false, notes: ['corrupt'] } }]);
  const integrity = evaluation.outcomes.find((o) => o.check === 'integrity');
  t.match(integrity, { status: 'fail', reason: 'corrupt', params: { corrupt: 1 } });
  t.same([...(integrity?.evidence.notCounted ?? [])], [{ copy: copies[0]?.id, note: 'corrupt' }]);
  t.same([...(integrity?.evidence.counted ?? [])], []);
});

t.test('a copy carries the dataTime its "written" event recorded; a log without it still reads', async (t) => {
  const { copies, status } = await inventory(t, [
    ev('written', day(20), 'T1', { dataTime: '2026-11-04T08:00:00+07:00' }),
    ev('written', day(20), 'T1', { file: 'erp/old-style.dump' }),
    ev('offline', day(20), 'T1'),
  ]);
  t.equal(status.status, 'ok');
  t.same(
    copies.map((c) => [c.name, c.modifiedAt, c.dataTime]),
    [
      ['x.dump', '2026-11-20T00:00:00.000Z', '2026-11-04T01:00:00.000Z'],
      ['old-style.dump', '2026-11-20T00:00:00.000Z', undefined],
    ],
  );
  t.notOk('dataTime' in (copies[1] ?? {}), 'no dataTime key at all when the log has none');
});

t.test(
  'an impossible dataTime or ts is a bad line naming the field, not a date shifted to another month',
  async (t) => {
    const { copies, status } = await inventory(t, [
      ev('written', day(20), 'T1', { dataTime: '2026-02-30T00:00:00Z' }),
      ev('written', '2026-11-31T00:00:00Z', 'T1', { file: 'erp/y.dump' }),
      ev('written', day(20), 'T1', { file: 'erp/z.dump' }),
    ]);
    t.same(
      copies.map((c) => c.name),
      ['z.dump'],
    );
    t.match(status.issues, [
      {
        code: 'B321_BAD_LINE',
        line: 1,
        message: '"dataTime" "2026-02-30T00:00:00Z" is not a date: 2026-02 has 28 days; line skipped',
      },
      {
        code: 'B321_BAD_LINE',
        line: 2,
        message: '"ts" "2026-11-31T00:00:00Z" is not a date: 2026-11 has 30 days; line skipped',
      },
    ]);
  },
);

t.test('the media log judges future dates by the run clock and the skew it is given', async (t) => {
  const lines = [ev('written', day(1), 'T1'), ev('offline', day(2), 'T1'), ev('online', '2026-11-24T00:30:00Z', 'T1')];
  // realContext's clock is 2026-11-24T00:00Z: an "online" 30 minutes ahead.
  const strict = await inventory(t, lines);
  t.match(strict.copies, [{ offline: true }], 'past the default 5 min: the online decides nothing');
  t.match(strict.status.issues, [{ code: 'B321_FUTURE_TIME', line: 3, severity: 'warning' }]);
  t.equal(strict.status.status, 'degraded');
  const lenient = await inventory(t, lines, realContext([backup('erp-db')], { clockSkewMs: 3_600_000 }));
  t.match(lenient.copies, [{ offline: false, offlineReason: 'state-online' }], 'within a 1 h skew it counts');
  t.same(lenient.status.issues, []);
});

t.test('one unterminated CSV quote no longer hides the rest of the log: the retired tape stops counting', async (t) => {
  const csv = [
    'ts,event,media,mediumType,dataset,file,sha256,bytes,location,notes,operator',
    `${day(1)},written,T1,tape,erp-db,a.dump,${SHA_A},100,,,ops`,
    `${day(1)},written,T2,tape,erp-db,b.dump,${SHA_A},100,,,ops`,
    `${day(2)},offline,T1,,,,,,,"courier 7,ops`,
    `${day(2)},offline,T2,,,,,,,,ops`,
    `${day(3)},retired,T2,,,,,,"shredder, room 2",,ops`,
    '',
  ].join('\n');
  const path = join(t.testdir({ 'media.csv': csv }), 'media.csv');
  const { copies, status } = await createOfflineLogSource(offlineLocation(path, { format: 'csv' })).inventory(
    realContext([backup('erp-db')]),
  );
  t.same(
    copies.map((c) => c.path),
    ['media:T1/a.dump'],
    'T2 is retired',
  );
  t.equal(status.status, 'degraded');
  t.match(status.issues, [
    {
      code: 'B321_BAD_LINE',
      line: 4,
      message: /the header has 11 fields, this row 10; a quote opened in column "notes" is not closed on its line/,
    },
  ]);
  t.equal(status.facts.mediaRetired, 1);
});
