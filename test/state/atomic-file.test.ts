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
