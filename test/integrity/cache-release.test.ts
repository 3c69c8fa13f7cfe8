// Tests that a released checksum cache hands its record memory back and forgets every entry.
import t from 'tap';
import { createChecksumCache } from '../../src/integrity/cache-store.js';

t.test('release() empties the cache and detaches its record buffer', async (t) => {
  const cache = createChecksumCache();
  const key = { ino: 2, size: 3, mtimeMs: 4, ctimeMs: 4 };
  cache.store(1, key, 'ab'.repeat(32), 5, 5);
  const { words } = cache.liveRecords(0);
  t.ok(words.buffer.byteLength > 0);
  cache.release();
  t.equal(words.buffer.byteLength, 0, 'the old buffer is detached: its memory went with the transfer');
  t.equal(cache.size, 0);
  t.equal(cache.lookup(1, key, 5), undefined);
});
