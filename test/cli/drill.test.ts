// `backup321 drill record` through the built binary: a valid record appended, bad input refused with exit 3.
import t from 'tap';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readDrillLog } from '../../src/drills/log.js';
import { commandClock } from '../../src/sources/common/timestamp.js';
import { runBinary } from './run-binary.js';

const good = [
  '--dataset',
  'erp-db',
  '--started',
  '2026-11-20T08:00:00+07:00',
  '--finished',
  '2026-11-20T14:30:00+07:00',
  '--result',
  'success',
];

t.test('a drill is appended as one JSON line, printed, and read back by the drill reader', async (t) => {
  const log = join(t.testdir({}), 'state', 'restore-drills.jsonl');
  const run = await runBinary([
    'drill',
    'record',
    '--log',
    log,
    ...good,
    '--location',
    'vault',
    '--notes',
    'restored from tape T1, ticket 42',
  ]);
  t.equal(run.code, 0, run.stderr);
  t.same(JSON.parse(run.stdout), {
    dataset: 'erp-db',
    startedAt: '2026-11-20T01:00:00.000Z',
    finishedAt: '2026-11-20T07:30:00.000Z',
    result: 'success',
    location: 'vault',
    notes: 'restored from tape T1, ticket 42',
  });
  t.equal(readFileSync(log, 'utf8'), run.stdout);
  const second = await runBinary(['drill', 'record', '--log', log, ...good.slice(0, -1), 'failure']);
  t.equal(second.code, 0, second.stderr);
  const read = await readDrillLog(log, commandClock());
  t.same(read.issues, []);
  t.same(
    read.records.map((r) => [r.result, r.ref]),
    [
      ['success', `${log}:1`],
      ['failure', `${log}:2`],
    ],
  );
});

t.test('bad dates, a bad result, finished before started, missing flags: exit 3, nothing written', async (t) => {
  const log = join(t.testdir({}), 'drills.jsonl');
  const cases: { args: string[]; stderr: RegExp }[] = [
    {
      args: [
        '--dataset',
        'erp-db',
        '--started',
        'yesterday',
        '--finished',
        '2026-11-20T14:30:00Z',
        '--result',
        'success',
      ],
      stderr: /--started must be an ISO 8601 time with a zone \(got "yesterday"\)/,
    },
    {
      args: [
        '--dataset',
        'erp-db',
        '--started',
        '2026-11-20T08:00:00',
        '--finished',
        '2026-11-20T14:30:00Z',
        '--result',
        'success',
      ],
      stderr: /--started must be an ISO 8601 time with a zone/,
    },
    {
      args: [
        '--dataset',
        'erp-db',
        '--started',
        '2026-11-20T08:00:00Z',
        '--finished',
        '2026-13-40T14:30:00Z',
        '--result',
        'success',
      ],
      stderr: /--finished "2026-13-40T14:30:00Z" has no month 13/,
    },
    {
      // an impossible date is refused, not rolled over to March 2
      args: [
        '--dataset',
        'erp-db',
        '--started',
        '2026-02-30T08:00:00Z',
        '--finished',
        '2026-03-02T09:00:00Z',
        '--result',
        'success',
      ],
      stderr: /--started "2026-02-30T08:00:00Z" is not a date: 2026-02 has 28 days/,
    },
    {
      args: [
        '--dataset',
        'erp-db',
        '--started',
        '2026-11-20T08:00:00Z',
        '--finished',
        '2026-11-20T14:30:00Z',
        '--result',
        'ok',
      ],
      stderr: /--result must be "success" or "failure" \(got "ok"\)/,
    },
    {
      args: [
        '--dataset',
        'erp-db',
        '--started',
        '2026-11-20T08:00:00Z',
        '--finished',
        '2026-11-20T07:00:00Z',
        '--result',
        'success',
      ],
      stderr: /--finished 2026-11-20T07:00:00.000Z is before --started 2026-11-20T08:00:00.000Z/,
    },
    {
      // a year typed wrong: a drill cannot have finished in the future
      args: [
        '--dataset',
        'erp-db',
        '--started',
        '2062-11-20T08:00:00Z',
        '--finished',
        '2062-11-20T09:00:00Z',
        '--result',
        'success',
      ],
      stderr: /--finished 2062-11-20T09:00:00.000Z is more than 5 min ahead of this machine's clock/,
    },
    {
      args: ['--started', '2026-11-20T08:00:00Z', '--finished', '2026-11-20T09:00:00Z', '--result', 'success'],
      stderr: /--dataset is required/,
    },
    {
      args: ['--dataset', 'erp-db', '--started', '2026-11-20T08:00:00Z', '--result', 'success'],
      stderr: /--finished is required/,
    },
  ];
  const runs = await Promise.all(cases.map(({ args }) => runBinary(['drill', 'record', '--log', log, ...args])));
  cases.forEach(({ stderr }, i) => {
    t.equal(runs[i]?.code, 3);
    t.match(runs[i]?.stderr, stderr);
    t.equal(runs[i]?.stdout, '');
  });
  t.notOk(existsSync(log), 'no log was created');
});

t.test('--config takes the log from restoreDrills and checks the dataset and location ids', async (t) => {
  const dir = t.testdir({});
  const config = join(dir, 'agent.json');
  const doc = (extra: object) =>
    JSON.stringify({
      agent: { id: 'a', stateDir: dir },
      locations: [{ id: 'vault', type: 'offline-log', path: 'vault.jsonl' }],
      datasets: [{ id: 'erp-db', copies: { vault: 'erp-db' } }],
      ...extra,
    });
  writeFileSync(config, doc({}));
  const none = await runBinary(['drill', 'record', '--config', config, ...good]);
  t.equal(none.code, 3);
  t.match(none.stderr, /no "restoreDrills" log is configured/);

  writeFileSync(config, doc({ restoreDrills: 'drills.jsonl' }));
  const [ok, badDataset, badLocation] = await Promise.all([
    runBinary(['drill', 'record', '--config', config, ...good, '--location', 'vault']),
    runBinary(['drill', 'record', '--config', config, ...good.slice(0, 1), 'crm', ...good.slice(2)]),
    runBinary(['drill', 'record', '--config', config, ...good, '--location', 'nas']),
  ]);
  t.equal(ok.code, 0, ok.stderr);
  t.equal(readFileSync(join(dir, 'drills.jsonl'), 'utf8'), ok.stdout);
  t.match(badDataset, { code: 3, stderr: /no dataset "crm"/ });
  t.match(badLocation, { code: 3, stderr: /no location "nas"/ });
});

t.test('help and unknown actions', async (t) => {
  const [help, bare, unknown] = await Promise.all([
    runBinary(['drill', '--help']),
    runBinary(['drill']),
    runBinary(['drill', 'list']),
  ]);
  t.match(help, { code: 0, stdout: /Usage: backup321 drill record/ });
  t.match(bare, { code: 3, stdout: /Usage: backup321 drill record/ });
  t.match(unknown, { code: 3, stderr: /unknown action "list"/ });
  t.match(await runBinary(['drill', 'record', '--help']), {
    code: 0,
    stdout: /--finished ISO/,
  });
});

t.test('--bytes records how much the drill restored, as a size; a bad size is refused', async (t) => {
  const log = join(t.testdir({}), 'drills.jsonl');
  const run = await runBinary(['drill', 'record', '--log', log, ...good, '--bytes', '180GB']);
  t.equal(run.code, 0, run.stderr);
  t.equal(JSON.parse(run.stdout).bytes, 180_000_000_000);
  const read = await readDrillLog(log, commandClock());
  t.equal(read.records[0]?.bytes, 180_000_000_000, 'the reader gives the restore-time check the size');
  const bad = await runBinary(['drill', 'record', '--log', log, ...good, '--bytes', 'lots']);
  t.equal(bad.code, 3);
  t.match(bad.stderr, /--bytes "lots" is not a size/);
  t.equal(readFileSync(log, 'utf8').trim().split('\n').length, 1, 'nothing written for the refused drill');
});
