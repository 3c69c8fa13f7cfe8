// A warm run whose checksum cache file is still loading while the walk starts: the files met meanwhile
// are answered from the cache once it has loaded, never hashed again, and never held without bound.
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { pino } from 'pino';
import t, { type Test } from 'tap';
import { createChecksumService } from '../../../src/integrity/service.js';
import type { ChecksumService } from '../../../src/integrity/types.js';
import { createDiskSource } from '../../../src/sources/disk/source.js';
import type { SourceContext } from '../../../src/sources/source.js';
import { settleTree } from '../../helpers/settled.js';
import { backup, diskLocation, sourceContext } from './context.js';

const sha = (text: string): string => createHash('sha256').update(text).digest('hex');

/**
 * The real service over `stateDir`, loading its cache file in the background, but reporting the cache
 * as loaded only once `open()` is called: the test decides when the load "finishes".
 */
async function gatedService(t: Test, stateDir: string) {
  const real = await createChecksumService({
    stateDir,
    workers: 1,
    logger: pino({ level: 'silent' }),
    loadInBackground: true,
  });
  t.teardown(() => real.close());
  let open = (): void => undefined;
  const gate = new Promise<void>((resolve) => {
    open = resolve;
  });
  let opened = false;
  const hashed: string[] = [];
  const service: ChecksumService = {
    get cacheReady() {
      return opened && real.cacheReady;
    },
    cacheReadyFor: (file) => real.cacheReadyFor(file) && opened,
    untilCacheReady: async () => {
      await gate;
      await real.untilCacheReady();
    },
    cached: (file) => (opened ? real.cached(file) : undefined),
    hashFile: (file, options) => {
      hashed.push(file.path);
      return real.hashFile(file, options);
    },
    recordHashed: (file, sha256) => real.recordHashed(file, sha256),
    stats: () => real.stats(),
    close: () => real.close(),
  };
  return {
    service,
    hashed,
    open: () => {
      opened = true;
      open();
    },
  };
}

t.test('files met before the cache file has loaded are answered from it once it has', async (t) => {
  const root = settleTree(t.testdir({ erp: { 'a.dump': 'aaaa', 'b.dump': 'bb', 'c.dump': 'cc' } }));
  const first = await sourceContext(t, [backup('erp-db', 'erp/*.dump')]);
  await createDiskSource(diskLocation(root)).inventory(first);
  await first.checksums.close();
  // Changed since: the cache no longer answers for it.
  writeFileSync(join(root, 'erp/c.dump'), 'c changed');

  const { service, hashed, open } = await gatedService(t, first.stateDir);
  const ctx: SourceContext = { ...first, checksums: service };
  const inventory = createDiskSource(diskLocation(root)).inventory(ctx);
  await sleep(50);
  t.same(hashed, [], 'nothing is sent to be hashed while the cache is loading');
  open();
  const { copies, status } = await inventory;

  t.same(status.issues, [], 'no issue');
  t.equal(status.status, 'ok');
  t.same(Object.fromEntries(copies.map((copy) => [copy.name, copy.sha256])), {
    'a.dump': sha('aaaa'),
    'b.dump': sha('bb'),
    'c.dump': sha('c changed'),
  });
  t.same(hashed, [join(root, 'erp/c.dump')], 'only the changed file is hashed');
  t.match(service.stats(), { filesHashed: 1, cacheHits: 2 });
  t.ok(
    copies.every((copy) => /^\d{4}-\d\d-\d\dT/.test(copy.hashedAt ?? '')),
    'cached copies keep the time they were hashed',
  );
});

t.test('a walk that meets thousands of files before the cache has loaded waits for it', async (t) => {
  // 120 directories of 100 files: past 8,192 files met before the load, the walk must stop and wait.
  const root = mkdtempSync(join(tmpdir(), 'b321-before-cache-'));
  t.teardown(() => rmSync(root, { recursive: true, force: true }));
  for (let d = 0; d < 120; d++) {
    mkdirSync(join(root, `d${d}`));
    for (let f = 0; f < 100; f++) writeFileSync(join(root, `d${d}`, `f${f}.dump`), '');
  }
  const stateDir = mkdtempSync(join(tmpdir(), 'b321-state-'));
  t.teardown(() => rmSync(stateDir, { recursive: true, force: true }));
  const { service, hashed, open } = await gatedService(t, stateDir);
  let listed = 0;
  const ctx = await sourceContext(t, [backup('many', '**/*.dump')], {
    checksums: service,
    progress: (event) => {
      if (event.phase === 'walk') listed = event.done;
    },
  });
  const inventory = createDiskSource(diskLocation(root)).inventory(ctx);
  // Until the walk stands still (it would finish all 121 directories if it did not wait).
  let seen = -1;
  while (listed !== seen || listed === 0) {
    seen = listed;
    await sleep(100);
  }
  t.ok(listed < 121, `the walk waits for the cache (stopped after ${listed} of 121 directories)`);
  t.same(hashed, [], 'and sends nothing to be hashed meanwhile');
  open();
  const { copies, status } = await inventory;
  t.same(status.issues, [], 'no issue');
  t.equal(copies.length, 12_000, 'then goes on to the end');
  t.equal(hashed.length, 12_000, 'an empty cache answers for none: every file is hashed once');
  t.ok(
    copies.every((copy) => copy.sha256 === sha('')),
    'each with its checksum',
  );
});
