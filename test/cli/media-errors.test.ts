// `backup321 media …` refusing bad input through the built binary: exit 3, a clear message, the log untouched.
import t from 'tap';
import { existsSync, readFileSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { runBinary } from './run-binary.js';

t.test('bad input is refused with exit 3 and the log is left untouched', async (t) => {
  const dir = t.testdir({ 'a.dump': 'x' });
  const log = join(dir, 'media.jsonl');
  const file = join(dir, 'a.dump');
  await runBinary(['media', 'write', '--log', log, '--media', 'T1', '--type', 'tape', '--dataset', 'erp-db', file]);
  await runBinary(['media', 'write', '--log', log, '--media', 'T-OLD', '--type', 'tape', '--dataset', 'erp-db', file]);
  await runBinary(['media', 'retire', '--log', log, '--media', 'T-OLD']);
  const before = readFileSync(log, 'utf8');
  const cases: { args: string[]; stderr: RegExp }[] = [
    {
      args: ['media', 'offline', '--log', log, '--media', 'T2'],
      stderr: /media T2 has no "written" event .* pass --type/,
    },
    {
      args: ['media', 'write', '--log', log, '--media', 'T3', '--dataset', 'erp-db', file],
      stderr: /media T3 is new .* pass --type/,
    },
    {
      args: ['media', 'write', '--log', log, '--media', 'T1', '--type', 'optical', '--dataset', 'erp-db', file],
      stderr: /T1 is a tape .* not optical/,
    },
    {
      args: ['media', 'write', '--log', log, '--media', 'T1', '--type', 'floppy', '--dataset', 'erp-db', file],
      stderr: /--type must be one of/,
    },
    {
      args: ['media', 'write', '--log', log, '--media', 'T1', file],
      stderr: /needs --dataset/,
    },
    {
      args: ['media', 'write', '--log', log, '--media', 'T1', '--dataset', 'erp-db'],
      stderr: /needs the FILE/,
    },
    {
      args: ['media', 'write', '--log', log, '--media', 'T1', '--dataset', 'erp-db', join(dir, 'missing.dump')],
      stderr: /ENOENT/,
    },
    {
      args: ['media', 'online', '--log', log, '--media', 'T-OLD'],
      stderr: /T-OLD was retired .*:3\); give reused media a new id/,
    },
    {
      args: ['media', 'online', '--log', log],
      stderr: /--media ID is required/,
    },
    {
      args: ['media', 'online', '--log', log, '--media', 'T1', file],
      stderr: /takes no files/,
    },
    {
      args: ['media', 'verify', '--log', log, '--media', 'T1'],
      stderr: /needs FILE\(s\) to re-hash/,
    },
    {
      args: ['media', 'verify', '--log', log, '--media', 'T1', '--sha256', 'abc', '--file', 'a.dump'],
      stderr: /64 hex digits/,
    },
    {
      args: ['media', 'verify', '--log', log, '--media', 'T1', '--sha256', 'a'.repeat(64)],
      stderr: /needs --file NAME/,
    },
    {
      args: ['media', 'verify', '--log', log, '--media', 'T1', '--sha256', 'a'.repeat(64), file],
      stderr: /--file NAME instead/,
    },
    {
      args: ['media', 'verify', '--log', log, '--media', 'T1', '--sha256', 'a'.repeat(64), '--file', 'other'],
      stderr: /no "written" event for other on T1; pass --dataset/,
    },
    {
      args: ['media', 'eject', '--log', log],
      stderr: /unknown action "eject"/,
    },
    {
      args: ['media', 'offline', '--log', log, '--media', 'T1', '--bogus'],
      stderr: /Unknown option '--bogus'/,
    },
  ];
  // Four at a time: each case is a whole process start, and these machines have two cores.
  for (let i = 0; i < cases.length; i += 4) {
    const batch = cases.slice(i, i + 4);
    const runs = await Promise.all(batch.map(({ args }) => runBinary(args)));
    batch.forEach(({ args, stderr }, j) => {
      t.equal(runs[j]?.code, 3, args.slice(1).join(' '));
      t.match(runs[j]?.stderr, stderr);
      t.equal(runs[j]?.stdout, '');
    });
  }
  t.equal(readFileSync(log, 'utf8'), before);
});

t.test('a file whose mtime lies in the future is refused before anything is recorded', async (t) => {
  const dir = t.testdir({ 'a.dump': 'x', 'b.dump': 'y' });
  const log = join(dir, 'media.jsonl');
  const future = new Date('2062-11-24T00:00:00Z');
  utimesSync(join(dir, 'b.dump'), future, future);
  const files = [join(dir, 'a.dump'), join(dir, 'b.dump')];
  const run = await runBinary([
    'media',
    'write',
    '--log',
    log,
    '--media',
    'T1',
    '--type',
    'tape',
    '--dataset',
    'x',
    ...files,
  ]);
  t.equal(run.code, 3);
  t.match(
    run.stderr,
    `${join(dir, 'b.dump')}: its modification time 2062-11-24T00:00:00.000Z is more than 5 min ahead of this machine's clock`,
  );
  t.equal(run.stdout, '');
  t.notOk(existsSync(log), 'not even the first file was recorded');
});
