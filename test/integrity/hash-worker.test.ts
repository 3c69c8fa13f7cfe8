// A hash thread as the checksum service starts it: a batch of jobs in, their results out.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import type { HashJobResult, HashThreadData } from '../../src/integrity/hash-job.js';
import { endThread, startThread } from '../../src/threads.js';

t.test('a hash thread, as the checksum service starts it, hashes the batch it is sent', async (t) => {
  const root = t.testdir({ 'a.dump': 'aaaa' });
  const path = join(root, 'a.dump');
  fs.utimesSync(path, 1_700_000_000.123456, 1_700_000_000.987654);
  const data: HashThreadData = { bufferSize: 1024, control: new SharedArrayBuffer(12), epochMs: Date.now() };
  const pool = new URL('../../src/integrity/worker-pool.ts', import.meta.url).href;
  const results = await new Promise<HashJobResult[]>((resolve, reject) => {
    const thread = startThread('hash-worker', pool, data, resolve);
    t.teardown(() => endThread(thread));
    thread.worker.once('error', reject);
    thread.worker.postMessage([{ id: 1, path, expect: null }]);
  });
  t.match(results, [{ id: 1, ok: true, sha256: createHash('sha256').update('aaaa').digest('hex'), bytesRead: 4 }]);
});
