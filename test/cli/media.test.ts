// `backup321 media …` through the built binary: correct events appended, bad input refused, atomic under load.
import t from 'tap';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pino } from 'pino';
import { createHostMedia } from '../../src/host/index.js';
import { parseMediaLog } from '../../src/sources/offline-log/parse.js';
import { createOfflineLogSource } from '../../src/sources/offline-log/source.js';
import { backup, offlineLocation, realContext } from '../sources/offline-log/helpers.js';
import { runBinary } from './run-binary.js';

const sha = (text: string) => createHash('sha256').update(text).digest('hex');
const jsonLines = (text: string) =>
  text
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);

t.test(
  'write hashes each file and appends one "written" event per file; offline makes them offline copies',
  async (t) => {
    const dir = t.testdir({ 'erp-1.dump': 'one', 'erp-2.dump': 'two!' });
    const log = join(dir, 'logs', 'media.jsonl');
    const write = await runBinary([
      'media',
      'write',
      '--log',
      log,
      '--media',
      'B321CLI-T1',
      '--type',
      'tape',
      '--dataset',
      'erp-db',
      '--prefix',
      'erp',
      '--operator',
      'lan',
      join(dir, 'erp-1.dump'),
      join(dir, 'erp-2.dump'),
    ]);
    t.equal(write.code, 0, write.stderr);
    const printed = jsonLines(write.stdout);
    t.match(printed, [
      {
        event: 'written',
        media: 'B321CLI-T1',
        mediumType: 'tape',
        dataset: 'erp-db',
        file: 'erp/erp-1.dump',
        sha256: sha('one'),
        bytes: 3,
        operator: 'lan',
      },
      {
        event: 'written',
        file: 'erp/erp-2.dump',
        sha256: sha('two!'),
        bytes: 4,
      },
    ]);
    t.same(jsonLines(readFileSync(log, 'utf8')), printed, 'stdout shows exactly what was appended');

    const offline = await runBinary([
      'media',
      'offline',
      '--log',
      log,
      '--media',
      'B321CLI-T1',
      '--where',
      'vault B',
      '--notes',
      'courier 7',
    ]);
    t.equal(offline.code, 0, offline.stderr);
    t.match(jsonLines(offline.stdout), [
      {
        event: 'offline',
        media: 'B321CLI-T1',
        mediumType: 'tape',
        location: 'vault B',
        notes: 'courier 7',
      },
    ]);

    const parsed = parseMediaLog(readFileSync(log, 'utf8'), 'jsonl', log);
    t.same(parsed.issues, [], 'the agent reads every appended line without a warning');
    const logger = pino({ level: 'silent' });
    const { copies } = await createOfflineLogSource(offlineLocation(log)).inventory({
      datasets: [backup('erp-db')],
      now: new Date(),
      deep: false,
      stateDir: dir,
      logger,
      checksums: {
        cached: () => undefined,
        cacheReady: true,
        cacheReadyFor: () => true,
        untilCacheReady: () => Promise.resolve(),
        hashFile: () => Promise.reject(new Error('unused')),
        recordHashed: () => {
          throw new Error('unused');
        },
        stats: () => ({ filesHashed: 0, bytesHashed: 0, cacheHits: 0 }),
        close: async () => {},
      },
      host: createHostMedia({ logger }),
    });
    t.match(copies, [
      { path: 'media:B321CLI-T1/erp/erp-1.dump', offline: true },
      { path: 'media:B321CLI-T1/erp/erp-2.dump', offline: true },
    ]);
  },
);

t.test('verify re-hashes files (dataset taken from the log) and exits 1 when the content changed', async (t) => {
  const dir = t.testdir({ 'a.dump': 'original' });
  const log = join(dir, 'media.jsonl');
  const file = join(dir, 'a.dump');
  t.equal(
    (
      await runBinary([
        'media',
        'write',
        '--log',
        log,
        '--media',
        'U1',
        '--type',
        'removable-disk',
        '--dataset',
        'mail',
        file,
      ])
    ).code,
    0,
  );
  const same = await runBinary(['media', 'verify', '--log', log, '--media', 'U1', file]);
  t.equal(same.code, 0, same.stderr);
  t.match(jsonLines(same.stdout), [
    {
      event: 'verified',
      dataset: 'mail',
      file: 'a.dump',
      sha256: sha('original'),
      bytes: 8,
      mediumType: 'removable-disk',
    },
  ]);

  writeFileSync(file, 'bit rot');
  const changed = await runBinary(['media', 'verify', '--log', log, '--media', 'U1', file]);
  t.equal(changed.code, 1);
  t.match(changed.stderr, `a.dump on U1 now reads ${sha('bit rot')}, but was written as ${sha('original')}`);
  t.match(jsonLines(changed.stdout), [{ event: 'verified', sha256: sha('bit rot') }], 'the finding is still recorded');

  const given = await runBinary([
    'media',
    'verify',
    '--log',
    log,
    '--media',
    'U1',
    '--file',
    'a.dump',
    '--sha256',
    sha('original').toUpperCase(),
  ]);
  t.equal(given.code, 0, given.stderr);
  t.match(jsonLines(given.stdout), [{ event: 'verified', file: 'a.dump', sha256: sha('original') }]);
});

t.test('help exits 0; no action at all exits 3 with the help', async (t) => {
  const help = await runBinary(['media', '--help']);
  t.equal(help.code, 0);
  t.match(help.stdout, /Usage: backup321 media <action>/);
  t.equal((await runBinary(['media', 'write', '--help'])).code, 0);
  t.equal((await runBinary(['media'])).code, 3);
});

t.test('a CSV log gets a header once and rows in its own column order', async (t) => {
  const dir = t.testdir({
    'a.dump': 'x',
    'custom.csv': 'media,event,ts,mediumType,dataset,file,sha256,bytes\n',
  });
  const log = join(dir, 'media.csv');
  await runBinary([
    'media',
    'write',
    '--log',
    log,
    '--media',
    'C1',
    '--type',
    'optical',
    '--dataset',
    'd',
    '--notes',
    'disc "1", box A',
    join(dir, 'a.dump'),
  ]);
  const off = await runBinary(['media', 'offline', '--log', log, '--media', 'C1']);
  t.equal(off.code, 0, off.stderr);
  const text = readFileSync(log, 'utf8');
  t.equal(text.split('\n')[0], 'ts,event,media,mediumType,dataset,file,sha256,bytes,dataTime,location,notes,operator');
  t.match(text, /,"disc ""1"", box A",/);
  t.same(parseMediaLog(text, 'csv', log).issues, []);
  t.equal(parseMediaLog(text, 'csv', log).events.length, 2);

  const custom = join(dir, 'custom.csv');
  const ok = await runBinary([
    'media',
    'write',
    '--log',
    custom,
    '--media',
    'C2',
    '--type',
    'optical',
    '--dataset',
    'd',
    '--operator',
    '',
    join(dir, 'a.dump'),
  ]);
  t.equal(ok.code, 3, 'the custom header has no operator column');
  t.match(ok.stderr, /no column for operator/);
});

t.test('--config FILE --location ID picks the log from the config', async (t) => {
  const dir = t.testdir({ 'a.dump': 'x' });
  const config = join(dir, 'agent.json');
  const doc = (locations: object[]) =>
    JSON.stringify({
      agent: { id: 'a', stateDir: dir },
      locations,
      datasets: [
        {
          id: 'erp-db',
          copies: Object.fromEntries(locations.map((l) => [(l as { id: string }).id, 'erp-db'])),
        },
      ],
    });
  writeFileSync(config, doc([{ id: 'vault', type: 'offline-log', path: 'vault.jsonl' }]));
  const one = await runBinary([
    'media',
    'write',
    '--config',
    config,
    '--media',
    'T1',
    '--type',
    'tape',
    '--dataset',
    'erp-db',
    join(dir, 'a.dump'),
  ]);
  t.equal(one.code, 0, one.stderr);
  t.equal(readFileSync(join(dir, 'vault.jsonl'), 'utf8'), one.stdout);

  writeFileSync(
    config,
    doc([
      { id: 'vault', type: 'offline-log', path: 'vault.jsonl' },
      { id: 'safe', type: 'offline-log', path: 'safe.csv' },
    ]),
  );
  const ambiguous = await runBinary(['media', 'offline', '--config', config, '--media', 'T1']);
  t.equal(ambiguous.code, 3);
  t.match(ambiguous.stderr, /pass --location ID .*offline-log locations: vault, safe/);
  t.match(
    (await runBinary(['media', 'offline', '--config', config, '--location', 'nas', '--media', 'T1'])).stderr,
    /no offline-log location "nas"/,
  );
  t.match(
    (await runBinary(['media', 'offline', '--log', 'x', '--location', 'vault', '--media', 'T1'])).stderr,
    /do not combine it with --log/,
  );
  const chosen = await runBinary(['media', 'offline', '--config', config, '--location', 'vault', '--media', 'T1']);
  t.equal(chosen.code, 0, chosen.stderr);
});

t.test('two `media write` processes with 1,000 files each at once: 2,000 whole lines, all read back', async (t) => {
  const files: Record<string, string> = {};
  for (let i = 0; i < 1000; i++) files[`f${String(i).padStart(4, '0')}.dump`] = `content ${i}`;
  const dir = t.testdir({ files });
  const paths = Object.keys(files).map((name) => join(dir, 'files', name));
  const log = join(dir, 'media.jsonl');
  const runs = await Promise.all(
    ['LOAD-A', 'LOAD-B'].map((media) =>
      runBinary(['media', 'write', '--log', log, '--media', media, '--type', 'tape', '--dataset', 'erp-db', ...paths]),
    ),
  );
  t.same(
    runs.map((r) => r.code),
    [0, 0],
    runs.map((r) => r.stderr).join(''),
  );
  const text = readFileSync(log, 'utf8');
  t.equal(text.split('\n').length - 1, 2000, 'exactly 2,000 lines');
  const parsed = parseMediaLog(text, 'jsonl', log);
  t.equal(parsed.events.length, 2000);
  t.same(parsed.issues, []);
  for (const media of ['LOAD-A', 'LOAD-B']) {
    const mine = parsed.events.filter((e) => e.media === media);
    t.equal(mine.length, 1000, `${media}: 1,000 events`);
    t.equal(new Set(mine.map((e) => e.file)).size, 1000);
  }
});

const notRoot = process.getuid?.() !== 0 ? 'not root: cannot create a loop device (losetup needs root)' : false;
t.test(
  'logging offline a USB disk that is still plugged in (a REAL labelled loop device) warns',
  { skip: notRoot },
  async (t) => {
    const dir = t.testdir({ 'a.dump': 'x' });
    const label = `USBC-${process.pid % 100000}`;
    const image = join(dir, 'usb.img');
    execFileSync('truncate', ['-s', '16M', image]);
    execFileSync('mkfs.ext4', ['-q', '-L', label, image]);
    const device = execFileSync('losetup', ['-f', '--show', image], { encoding: 'utf8' }).trim();
    t.teardown(() => {
      execFileSync('losetup', ['-d', device]);
    });
    const log = join(dir, 'media.jsonl');
    await runBinary([
      'media',
      'write',
      '--log',
      log,
      '--media',
      label,
      '--type',
      'removable-disk',
      '--dataset',
      'd',
      join(dir, 'a.dump'),
    ]);
    const run = await runBinary(['media', 'offline', '--log', log, '--media', label]);
    t.equal(run.code, 0, 'still recorded: the operator may unplug it right after');
    t.match(run.stderr, `${label} is still attached as ${device}; it counts as offline only once detached`);
  },
);

t.test("write records the file's mtime as dataTime beside the event time, in JSON Lines and CSV", async (t) => {
  const dir = t.testdir({
    'old.dump': 'made 16 days ago',
    // The standard header before dataTime existed.
    'old-header.csv': 'ts,event,media,mediumType,dataset,file,sha256,bytes,location,notes,operator\n',
  });
  const file = join(dir, 'old.dump');
  const made = new Date(Date.now() - 16 * 86_400_000);
  made.setMilliseconds(0);
  utimesSync(file, made, made);
  const before = Date.now();
  const args = ['--media', 'U7', '--type', 'removable-disk', '--dataset', 'erp-db', file];
  const jsonl = join(dir, 'media.jsonl');
  const csv = join(dir, 'media.csv');
  const oldHeader = join(dir, 'old-header.csv');
  const runs = await Promise.all(
    [jsonl, csv, oldHeader].map((log) => runBinary(['media', 'write', '--log', log, ...args])),
  );
  t.same(
    runs.map((r) => r.code),
    [0, 0, 0],
    runs.map((r) => r.stderr).join(''),
  );
  const [event] = jsonLines(runs[0]?.stdout ?? '');
  t.equal(event?.dataTime, made.toISOString(), "dataTime is the file's mtime");
  t.ok(Date.parse(String(event?.ts)) >= before - 1000, 'ts is when it was written to the media: now');
  t.same(jsonLines(readFileSync(jsonl, 'utf8')), [event], 'appended as printed');

  const fromCsv = parseMediaLog(readFileSync(csv, 'utf8'), 'csv', csv);
  t.same(fromCsv.issues, []);
  t.equal(fromCsv.events[0]?.dataTime, made.toISOString(), 'a new CSV log has the dataTime column');

  // A CSV log begun before the column existed: the row is written without it, and the operator is told.
  t.match(
    runs[2]?.stderr,
    `${oldHeader} has no dataTime column, so old.dump's data time (${made.toISOString()}) is not recorded`,
  );
  t.notOk('dataTime' in (jsonLines(runs[2]?.stdout ?? '')[0] ?? {}), 'what is printed is what was appended');
  const fromOld = parseMediaLog(readFileSync(oldHeader, 'utf8'), 'csv', oldHeader);
  t.same(fromOld.issues, []);
  t.match(fromOld.events, [{ event: 'written', dataTime: undefined }]);

  // And the offline-log source hands it on as the copy's dataTime.
  const { copies } = await createOfflineLogSource(offlineLocation(jsonl)).inventory(
    realContext([backup('erp-db')], { now: new Date() }),
  );
  t.match(copies, [{ dataTime: made.toISOString(), modifiedAt: event?.ts }]);
});
