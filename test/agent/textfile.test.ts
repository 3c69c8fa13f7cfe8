// --textfile DIR: the page for node_exporter's textfile collector, written whole (temp file, rename),
// readable by another user, no temp file left behind, not even when the write fails.
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { createAgentMetrics } from '../../src/agent/metrics.js';
import { TEXTFILE_NAME, writeTextfile } from '../../src/agent/textfile.js';
import { promtool } from './promtool.js';

t.test('the page lands as backup321.prom, equal to the page, mode 0644, nothing else left', async (t) => {
  const dir = t.testdir();
  const metrics = createAgentMetrics();
  metrics.setOutbox({ reports: 1, bytes: 10 });
  const page = await metrics.page();
  const old = process.umask(0o077);
  try {
    t.equal(await writeTextfile(dir, page), join(dir, TEXTFILE_NAME));
  } finally {
    process.umask(old);
  }
  t.same(readdirSync(dir), ['backup321.prom']);
  t.equal(readFileSync(join(dir, TEXTFILE_NAME), 'utf8'), page);
  t.equal(statSync(join(dir, TEXTFILE_NAME)).mode & 0o777, 0o644, 'node_exporter can read it whatever the umask');
  const check = promtool(['check', 'metrics'], readFileSync(join(dir, TEXTFILE_NAME), 'utf8'));
  t.equal(check.code, 0, check.output);
});

t.test('a new page replaces the old one by rename: the old inode is never written', async (t) => {
  const dir = t.testdir();
  const target = join(dir, TEXTFILE_NAME);
  writeFileSync(target, 'backup321_old 1\n');
  const before = statSync(target).ino;
  await writeTextfile(dir, '# HELP backup321_new n\n# TYPE backup321_new gauge\nbackup321_new 2\n');
  t.not(statSync(target).ino, before, 'another file took its name');
  t.equal(readFileSync(target, 'utf8'), '# HELP backup321_new n\n# TYPE backup321_new gauge\nbackup321_new 2\n');
  t.same(readdirSync(dir), ['backup321.prom']);
});

t.test('a failed rename leaves no temp file and the old page in place', async (t) => {
  const dir = t.testdir();
  // A directory in the way: the rename fails (EISDIR) after the temp file was written.
  mkdirSync(join(dir, TEXTFILE_NAME));
  writeFileSync(join(dir, TEXTFILE_NAME, 'keep'), '');
  await t.rejects(writeTextfile(dir, 'x 1\n'), { code: /^(EISDIR|ENOTEMPTY|EEXIST)$/ });
  t.same(readdirSync(dir), ['backup321.prom']);
});

t.test('a directory that does not exist: the error, nothing created', async (t) => {
  const dir = t.testdir();
  await t.rejects(writeTextfile(join(dir, 'missing'), 'x 1\n'), { code: 'ENOENT' });
  t.same(readdirSync(dir), []);
});
