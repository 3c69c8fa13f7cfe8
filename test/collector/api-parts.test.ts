// The collector's parts on their own: the body reader stops a gzip bomb at the limit (never inflating
// it whole), CSV cells are RFC 4180 and never formulas, the retention prunes on the injected clock.
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import pino from 'pino';
import t from 'tap';
import { readLimitedBody, type TooLarge } from '../../src/collector/body.js';
import { csvCell } from '../../src/collector/export-csv.js';
import { startRetention } from '../../src/collector/retention.js';
import { sqliteBackend } from './store-backends.js';
import { demoBase, HOUR, T0, vary } from './store-fixture.js';
import { send } from './store-suite-state.js';

const base = demoBase(t);

t.test('a gzip bomb is refused once the inflated bytes pass the limit, at most a zlib chunk beyond', async (t) => {
  const member = gzipSync(Buffer.alloc(64 * 1024 * 1024));
  // 40 members: ~2.5 GiB once inflated, more than a Buffer this reader could ever hold at once.
  const bomb = Buffer.concat(Array.from({ length: 40 }, () => member));
  const limits = { wireBytes: 16 * 1024 * 1024, inflatedBytes: 1024 * 1024 };
  const refused = (await readLimitedBody(Readable.from([bomb]), {
    encoding: 'gzip',
    contentLength: bomb.length,
    limits,
  }).catch((error: unknown) => error)) as TooLarge;
  t.equal(refused.status, 413);
  t.equal(refused.limit, 'inflated');
  t.ok(refused.inflatedBytesRead > limits.inflatedBytes);
  t.ok(refused.inflatedBytesRead <= limits.inflatedBytes + 64 * 1024, `stopped at ${refused.inflatedBytesRead} bytes`);
  const plain = await readLimitedBody(Readable.from([Buffer.from('{"a":1}')]), {
    encoding: undefined,
    contentLength: undefined,
    limits,
  });
  t.equal(plain.data.toString(), '{"a":1}');
  const tooLong = (await readLimitedBody(Readable.from([Buffer.alloc(10)]), {
    encoding: 'identity',
    contentLength: limits.wireBytes + 1,
    limits,
  }).catch((error: unknown) => error)) as TooLarge;
  t.match(tooLong, { status: 413, limit: 'wire', wireBytesRead: 0 }, 'refused from Content-Length, unread');
});

t.test('CSV cells: quoted when needed, quotes doubled, formulas defused', async (t) => {
  t.equal(csvCell('plain'), 'plain');
  t.equal(csvCell('a,b'), '"a,b"');
  t.equal(csvCell('say "hi"'), '"say ""hi"""');
  t.equal(csvCell('two\r\nlines'), '"two\r\nlines"');
  for (const start of ['=', '+', '-', '@', '\t', '\r'])
    t.equal(csvCell(`${start}1+1`).replace(/^"/, '')[0], "'", JSON.stringify(start));
  t.equal(csvCell(3.5), '3.5');
  t.equal(csvCell(null), '');
});

t.test('the retention prunes reports received before now − keep, on the injected clock, not the latest', async (t) => {
  const { store } = await sqliteBackend.fresh(t);
  for (const seq of [1, 2, 3]) {
    await send(store, vary(base(), { agentId: 'web-1', seq, at: seq }), new Date(T0.getTime() + seq * HOUR));
  }
  let now = T0.getTime() + 10 * HOUR;
  const deleted: number[] = [];
  const retention = startRetention(
    store,
    { keepMs: 8 * HOUR + 30 * 60_000, everyMs: 24 * HOUR },
    {
      now: () => now,
      logger: pino({ level: 'silent' }),
      pruned: (n) => deleted.push(n),
      failed: () => t.fail('failed'),
    },
  );
  t.teardown(() => retention.stop());
  // The round started at once; this one waits for it (rounds never overlap), then runs again.
  await retention.runOnce();
  t.same(
    (await store.reports('web-1', { limit: 10 })).reports.map((r) => r.seq),
    [3, 2],
    'the report received at T0+1h is gone',
  );
  now += 10 * HOUR;
  t.same((await retention.runOnce())?.deleted, 1, 'seq 2 goes; seq 3 is the latest and stays');
  t.same(
    (await store.reports('web-1', { limit: 10 })).reports.map((r) => r.seq),
    [3],
  );
  await retention.stop();
});
