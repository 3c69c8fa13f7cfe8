// Appending to operator logs: whole lines under concurrent writers, never a rewrite, a truncated line closed first.
import t from 'tap';
import { spawn } from 'node:child_process';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { appendLine } from '../src/log-append.js';

const TS_LOADER = new URL('../node_modules/@tapjs/typescript/dist/esm/import.mjs', import.meta.url).href;
const CHILD = fileURLToPath(new URL('./log-append-child.ts', import.meta.url));

function runChild(path: string, tag: string, count: number, size: number): Promise<number | null> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', TS_LOADER, CHILD, path, tag, String(count), String(size)], {
      stdio: 'inherit',
    });
    child.on('error', reject);
    child.on('exit', resolve);
  });
}

t.test('two processes appending 1,000 lines each at once: exactly 2,000 whole, parseable lines', async (t) => {
  const path = join(t.testdir({}), 'media.jsonl');
  const codes = await Promise.all([runChild(path, 'A', 1000, 5000), runChild(path, 'B', 1000, 7000)]);
  t.same(codes, [0, 0]);
  const text = readFileSync(path, 'utf8');
  t.ok(text.endsWith('\n'));
  const lines = text.slice(0, -1).split('\n');
  t.equal(lines.length, 2000);
  const seen: Record<string, number[]> = { A: [], B: [] };
  let bad = 0;
  for (const line of lines) {
    try {
      const record = JSON.parse(line) as { tag: string; seq: number };
      seen[record.tag]?.push(record.seq);
    } catch {
      bad++;
    }
  }
  t.equal(bad, 0, 'no interleaved or torn line');
  const all = Array.from({ length: 1000 }, (_, i) => i);
  t.same(seen.A, all, "A's lines all there, in A's order");
  t.same(seen.B, all, "B's lines all there, in B's order");
});

t.test('creates the file and its parent directories when missing', async (t) => {
  const path = join(t.testdir({}), 'var', 'lib', 'backup321', 'drills.jsonl');
  t.same(appendLine(path, '{"a":1}'), {
    firstLine: true,
    closedTruncatedLine: false,
  });
  t.equal(readFileSync(path, 'utf8'), '{"a":1}\n');
});

t.test('after a truncated last line, the new line starts on a line of its own', async (t) => {
  const path = join(t.testdir({ 'media.jsonl': '{"a":1}\n{"ts":"2026-11-0' }), 'media.jsonl');
  t.same(appendLine(path, '{"b":2}'), {
    firstLine: false,
    closedTruncatedLine: true,
  });
  t.equal(readFileSync(path, 'utf8'), '{"a":1}\n{"ts":"2026-11-0\n{"b":2}\n');
});

t.test('never rewrites: what was there stays byte for byte, the file only grows', async (t) => {
  const before = '{"a":1}\n{"a":2}\n';
  const path = join(t.testdir({ 'log.jsonl': before }), 'log.jsonl');
  const inode = statSync(path).ino;
  appendLine(path, '{"a":3}');
  t.equal(readFileSync(path, 'utf8'), `${before}{"a":3}\n`);
  t.equal(statSync(path).ino, inode, 'same file, not a replacement');
});

t.test('a header (CSV) is written once: when the file is created, or into an empty file', async (t) => {
  const dir = t.testdir({ 'empty.csv': '' });
  const path = join(dir, 'new.csv');
  appendLine(path, '1,2', { header: 'a,b' });
  appendLine(path, '3,4', { header: 'a,b' });
  t.equal(readFileSync(path, 'utf8'), 'a,b\n1,2\n3,4\n');
  appendLine(join(dir, 'empty.csv'), '5,6', { header: 'a,b' });
  t.equal(readFileSync(join(dir, 'empty.csv'), 'utf8'), 'a,b\n5,6\n');
});

t.test('a line must come without its line break', async (t) => {
  const path = join(t.testdir({}), 'x.jsonl');
  t.throws(() => appendLine(path, '{}\n'), /without its line break/);
  writeFileSync(path, '');
  t.equal(readFileSync(path, 'utf8'), '');
});
