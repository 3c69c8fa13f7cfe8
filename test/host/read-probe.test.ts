// The read probe stops when its run is aborted: dd is killed, the buffered fallback stops between blocks.
import { execFileSync } from 'node:child_process';
import { closeSync, openSync, ftruncateSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { probeReadSpeed } from '../../src/host/read-probe.js';

const GiB = 2 ** 30;

function ddChildren(): string {
  try {
    return execFileSync('pgrep', ['-P', String(process.pid), '-x', 'dd'], { encoding: 'utf8' }).trim();
  } catch {
    return '';
  }
}

async function abortedAfter(ms: number, run: (signal: AbortSignal) => Promise<unknown>) {
  const controller = new AbortController();
  setTimeout(() => controller.abort(), ms);
  const started = Date.now();
  const error = await run(controller.signal).then(
    () => undefined,
    (e: unknown) => e,
  );
  return { error, ms: Date.now() - started };
}

t.test('an aborted probe of a large file kills dd and rejects at once', async (t) => {
  // A sparse 64 GiB file: dd reads it with O_DIRECT for far longer than the test waits.
  const file = join(t.testdir(), 'sparse.img');
  const fd = openSync(file, 'w');
  ftruncateSync(fd, 64 * GiB);
  closeSync(fd);
  const { error, ms } = await abortedAfter(300, (signal) => probeReadSpeed(file, 64 * GiB, signal));
  t.match(error, { name: 'AbortError' });
  t.ok(ms < 2_300, `stopped ${ms} ms after it started (aborted at 300)`);
  t.equal(ddChildren(), '', 'no dd left running');
});

t.test('the buffered fallback (where O_DIRECT is refused) stops between blocks when aborted', async (t) => {
  // /dev/zero refuses O_DIRECT, so dd fails at once and the buffered read takes over: endless input.
  const { error, ms } = await abortedAfter(300, (signal) => probeReadSpeed('/dev/zero', 1024 * GiB, signal));
  t.match(error, { name: 'AbortError' });
  t.ok(ms < 2_300, `stopped ${ms} ms after it started (aborted at 300)`);
});

t.test('a probe whose run is already aborted reads nothing', async (t) => {
  await t.rejects(probeReadSpeed('/dev/zero', GiB, AbortSignal.abort()), { name: 'AbortError' });
});
