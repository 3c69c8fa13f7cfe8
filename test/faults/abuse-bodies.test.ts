// Fault suite, abuse of the collector: bodies. A body far over the limit, streamed a chunk at a time,
// is answered 413 and its socket closed long before it was all sent, and memory does not grow by its
// size; a gzip bomb stops at the inflated limit; JSON nested deep, a huge array and wrong types get
// 400 with the JSON pointer of the fault (never a 5xx), and the collector goes on storing reports.
import { gzipSync } from 'node:zlib';
import t from 'tap';
import { DEFAULT_BODY_LIMITS } from '../../src/collector/server.js';
import { MAX_DEPTH } from '../../src/collector/validate-report.js';
import { startApi } from '../collector/api-fixture.js';
import { sqliteBackend } from '../collector/store-backends.js';
import { demoBase, vary } from '../collector/store-fixture.js';
import { MiB, peakRssGrowth, streamOverLimit } from '../helpers/faults-abuse-stream.js';

const base = demoBase(t);
const make = (seq: number) => vary(base(), { agentId: 'agent-1', seq });
const { wireBytes, inflatedBytes } = DEFAULT_BODY_LIMITS;

/** The value a JSON pointer names, or undefined when it names nothing. */
function atPointer(document: unknown, pointer: string): unknown {
  if (pointer === '') return document;
  let value: unknown = document;
  for (const raw of pointer.slice(1).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (value === null || typeof value !== 'object' || !(key in value)) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

t.test('a body streamed far over the limit: 413 and closed early, memory not grown by it', async (t) => {
  const api = await startApi(t, sqliteBackend);
  const totalBytes = 512 * MiB;
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${api.tokens.agent}` };
  const {
    value: streamed,
    baseline,
    peak,
  } = await peakRssGrowth(() =>
    streamOverLimit(`${api.collector.url}/api/v1/reports`, { headers, chunkBytes: 64 * 1024, totalBytes, pauseMs: 1 }),
  );
  t.equal(streamed.status, 413);
  t.match(JSON.parse(streamed.text), { error: 'too-large', limit: 'wire', limitBytes: wireBytes });
  t.ok(streamed.closedEarly, 'the server closed the socket before the body was all sent');
  t.ok(streamed.sentBeforeAnswer <= wireBytes + 4 * MiB, 'answered within a few MiB past the limit');
  t.ok(streamed.sentTotal < totalBytes / 8, 'closed long before the whole body');
  t.ok(peak - baseline < totalBytes / 4, 'resident memory did not grow by the body size');
  t.comment(
    `streamed chunked body of ${totalBytes / MiB} MiB (limit ${wireBytes / MiB} MiB): answered 413 after ${(streamed.sentBeforeAnswer / MiB).toFixed(1)} MiB, socket closed after ${(streamed.sentTotal / MiB).toFixed(1)} MiB; peak RSS growth ${((peak - baseline) / MiB).toFixed(1)} MiB`,
  );

  // A Content-Length over the limit is refused from the header: no body byte needs to be read.
  const declared = await streamOverLimit(`${api.collector.url}/api/v1/reports`, {
    headers: { ...headers, 'content-length': String(totalBytes) },
    chunkBytes: 64 * 1024,
    totalBytes,
    pauseMs: 1,
  });
  t.equal(declared.status, 413);
  t.ok(declared.closedEarly && declared.sentTotal < totalBytes / 8, 'closed long before the declared body');
  t.comment(
    `declared Content-Length ${totalBytes / MiB} MiB: answered 413 after ${(declared.sentBeforeAnswer / MiB).toFixed(1)} MiB sent, closed after ${(declared.sentTotal / MiB).toFixed(1)} MiB`,
  );
  t.equal((await api.post(make(1))).status, 201, 'the collector goes on');
});

t.test('a gzip bomb is refused at the inflated limit, without inflating it', async (t) => {
  const api = await startApi(t, sqliteBackend);
  // Gzip members back to back are one valid gzip stream: 64 of 16 MiB of zeros inflate to 1 GiB.
  const member = gzipSync(Buffer.alloc(16 * MiB));
  const bomb = Buffer.concat(Array.from({ length: 64 }, () => member));
  const inflatesTo = 64 * 16 * MiB;
  t.ok(bomb.length <= wireBytes, `the bomb (${bomb.length} bytes) fits the wire limit`);
  const {
    value: answer,
    baseline,
    peak,
  } = await peakRssGrowth(() => api.post(bomb, { headers: { 'content-encoding': 'gzip' } }));
  t.equal(answer.status, 413);
  t.match(answer.json(), { error: 'too-large', limit: 'inflated', limitBytes: inflatedBytes });
  t.ok(peak - baseline < inflatesTo / 8, 'memory did not grow by the inflated size');
  t.comment(
    `gzip bomb of ${(bomb.length / 1024).toFixed(0)} KiB inflating to ${inflatesTo / MiB} MiB: 413 at the ${inflatedBytes / MiB} MiB inflated limit; peak RSS growth ${((peak - baseline) / MiB).toFixed(1)} MiB`,
  );
  t.equal((await api.post(make(1), { gzip: true })).status, 201, 'the collector goes on');
});

t.test('JSON nested deep, a huge array and wrong types: 400 naming the path, never 5xx', async (t) => {
  const api = await startApi(t, sqliteBackend);
  const refused: Array<[string, string]> = [];
  const expect400 = async (what: string, document: string, path: RegExp | string, gzip = false) => {
    const answer = await api.post(Buffer.from(document), { gzip });
    t.equal(answer.status, 400, `${what}: 400`);
    const body = answer.json();
    t.equal(body.error, 'invalid', what);
    if (typeof path === 'string') t.equal(body.path, path, `${what}: the path`);
    else t.match(body.path, path, `${what}: the path`);
    // A missing field's path names it in its parent, which is there.
    const parsed = JSON.parse(document);
    const parent = body.path.slice(0, Math.max(0, body.path.lastIndexOf('/')));
    const named = atPointer(parsed, body.path) !== undefined || atPointer(parsed, parent) !== undefined;
    t.ok(named, `${what}: the path names a place in the body`);
    t.ok(String(body.message).startsWith(body.path || '(document)'), `${what}: the message starts with the path`);
    refused.push([
      what,
      body.path.length > 40 ? `${body.path.slice(0, 40)}… (${body.path.split('/').length - 1} steps)` : body.path,
    ]);
  };
  const json = (report: unknown) => JSON.stringify(report);
  const depth = 100_000;
  const deep = `${'['.repeat(depth)}${']'.repeat(depth)}`;
  // A field the schema does not name is let through unchecked (a newer agent's): nested deep there
  // it overflowed the store's canonical JSON, answered 503 "cannot reach its database".
  await expect400(
    `${depth} arrays deep in an unknown field`,
    json(make(2)).replace(/^\{/, `{"extra":${deep},`),
    new RegExp(`^/extra(/0){${MAX_DEPTH - 1}}$`),
    true,
  );
  await expect400(
    `${depth} arrays deep in datasets`,
    json(make(3)).replace('"datasets":[', `"datasets":[${deep},`),
    /^\/datasets\/0\//,
    true,
  );
  const objects = `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
  await expect400(`${depth} objects deep as the body`, objects, new RegExp(`^(/a){${MAX_DEPTH}}$`), true);
  const huge = 2_000_000;
  await expect400(
    `datasets of ${huge} numbers`,
    json({ ...make(4), datasets: Array(huge).fill(0) }),
    '/datasets/0',
    true,
  );
  const hugeAnswer = await api.post(Buffer.from(json({ ...make(4), datasets: Array(huge).fill(0) })), { gzip: true });
  t.ok(hugeAnswer.json().problems.length <= 20, 'the problems listed are bounded');
  const wrong: Array<[string, (r: Record<string, unknown>) => void, string]> = [
    ['seq a string', (r) => (r.seq = '1'), '/seq'],
    ['agent.id a number', (r) => ((r.agent as Record<string, unknown>).id = 5), '/agent/id'],
    ['datasets an object', (r) => (r.datasets = { a: 1 }), '/datasets'],
    ['finishedAt a number', (r) => (r.finishedAt = 12), '/finishedAt'],
    [
      'a dataset verdict null',
      (r) => (((r.datasets as Array<Record<string, unknown>>)[0] as Record<string, unknown>).verdict = null),
      '/datasets/0/verdict',
    ],
    ['kind missing', (r) => delete r.kind, '/kind'],
  ];
  for (const [what, change, path] of wrong) {
    const report = make(5) as unknown as Record<string, unknown>;
    change(report);
    await expect400(what, json(report), path);
  }
  await expect400('the body an array', '[1,2]', '');
  await expect400('the body a string', '"summary"', '');
  t.equal((await api.post(make(6))).status, 201, 'the collector goes on');
  t.equal((await api.store.reports('agent-1', { limit: 10 })).reports.length, 1, 'only the valid report was stored');
  t.comment(`bodies refused with 400 and a path: ${refused.length}`);
  for (const [what, path] of refused) t.comment(`  ${what} → ${path || '(document)'}`);
});
