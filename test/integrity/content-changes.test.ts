// Tests the record of changed content: kept while the content is the changed one, saved atomically,
// and a damaged file costs its findings, never the run.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pino } from 'pino';
import t from 'tap';
import {
  CONTENT_CHANGES_FILE_NAME,
  type ContentChangeEntry,
  createContentChanges,
  loadContentChanges,
  saveContentChanges,
} from '../../src/integrity/content-changes.js';
import { deviceKeyOf, legacyDeviceKey } from '../../src/integrity/device-key.js';

const A = 'a1'.repeat(32);
const B = 'b2'.repeat(32);
const DAY = 24 * 3600 * 1000;
const T0 = Date.UTC(2026, 10, 24);
/** The key of the files' filesystem (device-key.ts), and the st_dev an older release kept instead. */
const DEV = deviceKeyOf('uuid:4f1c2a3e-0b7d-4c55-9a0e-3d2b1c0f9e88');
const ST_DEV = 64769;

const entry = (ino: number, extra: Partial<ContentChangeEntry> = {}): ContentChangeEntry => ({
  device: DEV,
  ino,
  sha256: B,
  previousSha256: A,
  previousHashedAt: T0 - DAY,
  detectedAt: T0,
  lastSeen: T0,
  ...extra,
});

function capturingLogger(): { logger: pino.Logger; lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => lines.push(JSON.parse(line)) });
  return { logger, lines };
}

t.test('an entry applies while the content still hashes to the changed value, and ends when it does not', async (t) => {
  const changes = createContentChanges([entry(1), entry(2)]);
  t.equal(changes.size, 2);
  t.notOk(changes.dirty, 'as loaded');
  t.match(changes.applying(DEV, 1, B, T0 + DAY / 2), { previousSha256: A });
  t.notOk(changes.dirty, 'seen half a day after the last time: not worth a rewrite');
  t.ok(changes.applying(DEV, 1, B, T0 + 2 * DAY));
  t.ok(changes.dirty, 'seen a day later: lastSeen is refreshed');
  t.equal(changes.applying(DEV, 2, A, T0), undefined, 'other content: written again since');
  t.equal(changes.get(DEV, 2), undefined, 'and the entry is gone');
  t.equal(changes.applying(deviceKeyOf('uuid:another'), 1, B, T0), undefined, 'another filesystem: another file');
  changes.delete(DEV, 1);
  t.equal(changes.size, 0);
});

t.test('saved atomically and private, loaded back; entries not seen for the prune age are left out', async (t) => {
  const dir = t.testdir();
  const path = join(dir, CONTENT_CHANGES_FILE_NAME);
  const changes = createContentChanges();
  changes.set(entry(1));
  changes.set(entry(2, { lastSeen: T0 - 200 * DAY }));
  await saveContentChanges(path, changes.seenSince(T0 - 180 * DAY));
  t.same(readdirSync(dir), [CONTENT_CHANGES_FILE_NAME], 'no temp file left');
  t.equal(statSync(path).mode & 0o777, 0o600);
  const { logger, lines } = capturingLogger();
  t.same(await loadContentChanges(path, logger), [entry(1)], 'the one seen lately, every field as it was');
  t.same(lines, []);
});

t.test('a missing file is no finding; a damaged one is logged as an error and its findings are lost', async (t) => {
  const dir = t.testdir({
    'garbage.json': '{"version": 1, "changes": [',
    'other-version.json': '{"version": 3, "changes": []}',
    'bad-entry.json': JSON.stringify({
      version: 2,
      changes: [
        {
          device: 1,
          ino: 2,
          sha256: 'not hex',
          previousSha256: A,
          previousHashedAt: 'x',
          detectedAt: 'y',
          lastSeen: 'z',
        },
        {
          device: DEV,
          ino: 1,
          sha256: B,
          previousSha256: A,
          previousHashedAt: new Date(T0 - DAY).toISOString(),
          detectedAt: new Date(T0).toISOString(),
          lastSeen: new Date(T0).toISOString(),
        },
        null,
      ],
    }),
    directory: {},
  });
  const { logger, lines } = capturingLogger();
  t.same(await loadContentChanges(join(dir, 'missing.json'), logger), []);
  t.same(lines, [], 'a first run says nothing');
  t.same(await loadContentChanges(join(dir, 'garbage.json'), logger), []);
  t.same(await loadContentChanges(join(dir, 'other-version.json'), logger), []);
  t.same(await loadContentChanges(join(dir, 'bad-entry.json'), logger), [entry(1)], 'the good entry is kept');
  t.same(await loadContentChanges(join(dir, 'directory'), logger), []);
  t.match(lines, [
    { level: 50, msg: /unreadable; earlier findings are lost/ },
    { level: 50, msg: /unknown format/ },
    { level: 50, bad: 2, msg: /those findings are lost/ },
    { level: 50, err: /EISDIR/ },
  ]);
  writeFileSync(join(dir, 'garbage.json'), 'null');
  t.same(await loadContentChanges(join(dir, 'garbage.json'), logger), [], 'JSON, but not the record');
});

t.test('a version-1 file (keyed by st_dev) is read, and each entry re-keyed when its st_dev is met', async (t) => {
  const written = (ino: number) => ({
    dev: ST_DEV,
    ino,
    sha256: B,
    previousSha256: A,
    previousHashedAt: new Date(T0 - DAY).toISOString(),
    detectedAt: new Date(T0).toISOString(),
    lastSeen: new Date(T0).toISOString(),
  });
  const dir = t.testdir({ 'v1.json': JSON.stringify({ version: 1, changes: [written(1), written(2)] }) });
  const { logger, lines } = capturingLogger();
  const loaded = await loadContentChanges(join(dir, 'v1.json'), logger);
  t.same(lines, []);
  t.same(loaded, [entry(1, { device: legacyDeviceKey(ST_DEV) }), entry(2, { device: legacyDeviceKey(ST_DEV) })]);

  const changes = createContentChanges(loaded);
  t.equal(changes.applying(DEV, 1, B, T0), undefined, 'under its st_dev it is no filesystem');
  // Saved before its filesystem is met: it keeps its st_dev.
  const path = join(dir, CONTENT_CHANGES_FILE_NAME);
  await saveContentChanges(path, changes.seenSince(0));
  t.same(await loadContentChanges(path, logger), loaded, 'written and read back as it was');

  changes.set(entry(2, { sha256: A, previousSha256: B }));
  changes.adoptLegacy(ST_DEV, DEV);
  t.ok(changes.dirty);
  t.equal(changes.size, 2, 'one adopted; the other the filesystem has a newer entry for');
  t.match(changes.applying(DEV, 1, B, T0), { previousSha256: A });
  t.match(changes.get(DEV, 2), { sha256: A, previousSha256: B });
  await saveContentChanges(path, changes.seenSince(0));
  const saved = JSON.parse(readFileSync(path, 'utf8'));
  t.match(saved, {
    version: 2,
    changes: [
      { device: DEV, ino: 2 },
      { device: DEV, ino: 1 },
    ],
  });
  t.notOk('dev' in saved.changes[0], 'by its key only');
});
