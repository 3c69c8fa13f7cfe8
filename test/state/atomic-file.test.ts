// Writing reports and state: whole files or nothing, and never replacing a device, FIFO or symlink.
import t from 'tap';
import { lstatSync, readdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../../src/state/atomic-file.js';

t.test('a regular file is replaced whole, with no temp file left', async (t) => {
  const dir = t.testdir({ 'report.json': 'old' });
  const file = join(dir, 'report.json');
  const inodeBefore = lstatSync(file).ino;
  writeFileAtomic(file, 'new report');
  t.equal(readFileSync(file, 'utf8'), 'new report');
  t.not(lstatSync(file).ino, inodeBefore, 'renamed into place, not rewritten');
  t.same(readdirSync(dir), ['report.json']);
});

t.test('/dev/null stays a character device', async (t) => {
  writeFileAtomic('/dev/null', 'discarded');
  t.ok(lstatSync('/dev/null').isCharacterDevice());
});

t.test('a symlink stays a symlink and its target gets the text', async (t) => {
  const dir = t.testdir({ 'real.json': 'old' });
  symlinkSync(join(dir, 'real.json'), join(dir, 'link.json'));
  writeFileAtomic(join(dir, 'link.json'), 'through the link');
  t.ok(lstatSync(join(dir, 'link.json')).isSymbolicLink());
  t.equal(readFileSync(join(dir, 'real.json'), 'utf8'), 'through the link');
});

t.test('a new file is created', async (t) => {
  const dir = t.testdir({});
  writeFileAtomic(join(dir, 'fresh.txt'), 'hello');
  t.equal(readFileSync(join(dir, 'fresh.txt'), 'utf8'), 'hello');
});

t.test('a text in pieces is written whole, in batches', async (t) => {
  const dir = t.testdir({ 'report.json': 'old' });
  const file = join(dir, 'report.json');
  // 3 MiB in pieces of 1 KiB: more than one batch of a MiB.
  const pieces = Array.from({ length: 3 * 1024 }, (_, i) => `${String(i).padStart(1023, '.')}\n`);
  writeFileAtomic(file, pieces);
  t.equal(readFileSync(file, 'utf8'), pieces.join(''));
  t.same(readdirSync(dir), ['report.json']);
  writeFileAtomic(join(dir, 'link-target.json'), ['a', 'b']);
  symlinkSync(join(dir, 'link-target.json'), join(dir, 'link.json'));
  writeFileAtomic(join(dir, 'link.json'), ['through ', 'the ', 'link']);
  t.equal(readFileSync(join(dir, 'link-target.json'), 'utf8'), 'through the link', 'in place through a symlink');
});

t.test('a piece that fails leaves the old file and no temp file', async (t) => {
  const dir = t.testdir({ 'report.json': 'old' });
  const file = join(dir, 'report.json');
  function* failing(): Generator<string> {
    yield 'x'.repeat(2 << 20); // a first batch is already written to the temp file
    throw new Error('rendering failed');
  }
  t.throws(() => writeFileAtomic(file, failing()), /rendering failed/);
  t.equal(readFileSync(file, 'utf8'), 'old');
  t.same(readdirSync(dir), ['report.json']);
});
