// POST /api/v1/reports against a real collector and store: what each answer means, who may send,
// what bodies are refused and how (the same assertions on SQLite and PostgreSQL).
import { gzipSync } from 'node:zlib';
import type { Test } from 'tap';
import type { SummaryReport } from '../../src/report-schema/types.js';
import { exchange, startApi } from './api-fixture.js';
import type { Backend } from './store-backends.js';
import { type Variation, vary } from './store-fixture.js';

export function ingestSuite(t: Test, backend: Backend, base: () => SummaryReport): void {
  const make = (v: Variation = {}) => vary(base(), { agentId: 'agent-1', ...v });

  t.test(`${backend.name}: 201 stored, 200 the same again (gzip, other key order), 409 another body`, async (t) => {
    const api = await startApi(t, backend);
    const report = make({ seq: 1 });
    const first = await api.post(report);
    t.equal(first.status, 201);
    t.same(first.json(), { outcome: 'stored', reportId: report.reportId });
    t.equal((await api.post(report)).status, 200);
    t.equal((await api.post(report, { gzip: true })).status, 200, 'gzip is the same body');
    const reordered = JSON.stringify(Object.fromEntries(Object.entries(report).reverse()), null, 2);
    t.equal((await api.post(reordered)).status, 200, 'key order and spacing are the same body');
    const conflict = await api.post({ ...report, trigger: 'manual' } as SummaryReport);
    t.equal(conflict.status, 409);
    t.equal(conflict.json().error, 'conflict');
    const stored = await api.get(`/api/v1/agents/agent-1/reports/${encodeURIComponent(report.reportId)}`);
    t.equal(stored.json().trigger, 'schedule', 'never overwritten');
    const gz = await api.post(make({ seq: 2 }), { gzip: true });
    t.equal(gz.status, 201, 'a gzip body is stored');
  });

  t.test(
    `${backend.name}: 401 without a known token, 403 for a revoked one, a reader's or another agent's`,
    async (t) => {
      const api = await startApi(t, backend);
      const report = make({ seq: 1 });
      const none = await api.post(report, { token: null });
      t.equal(none.status, 401);
      t.match(none.headers['www-authenticate'], /^Bearer/);
      t.equal((await api.post(report, { token: `b321a_${'A'.repeat(43)}` })).status, 401, 'unknown token');
      t.equal((await api.post(report, { token: 'not-a-token' })).status, 401, 'not our shape');
      t.equal((await api.post(report, { headers: { authorization: 'Basic dXNlcjpwYXNz' } })).status, 401);
      const reader = await api.post(report, { token: api.tokens.reader });
      t.equal(reader.status, 403, 'a reader token sends nothing');
      const other = await api.post(report, { token: api.tokens.otherAgent });
      t.equal(other.status, 403, "another agent's token");
      t.match(other.json(), { error: 'forbidden', path: '/agent/id' });
      const cookie = await api.post(report, { token: null, headers: { cookie: `b321_session=${api.tokens.agent}` } });
      t.equal(cookie.status, 401, 'the session cookie never authorises a POST');
      await api.store.revokeToken({ id: api.tokenIds.agent });
      t.equal((await api.post(report)).status, 403, 'revoked');
      t.equal((await api.store.reports('agent-1', { limit: 10 })).reports.length, 0, 'nothing stored');
      const logs = api.logText();
      for (const token of Object.values(api.tokens)) t.notOk(logs.includes(token), 'no token in the log');
      t.ok(logs.length > 0, 'the log has lines');
    },
  );

  t.test(
    `${backend.name}: 400 names the JSON path; malformed JSON and gzip are 400; other media types 415`,
    async (t) => {
      const api = await startApi(t, backend);
      const wrongType = make({ seq: 1 }) as unknown as { datasets: Array<{ verdict: unknown }> };
      (wrongType.datasets[0] as { verdict: unknown }).verdict = 42;
      const invalid = await api.post(wrongType as unknown as SummaryReport);
      t.equal(invalid.status, 400);
      t.match(invalid.json(), { error: 'invalid', in: 'body', path: '/datasets/0/verdict' });
      const { reportId: _dropped, ...noId } = make({ seq: 2 });
      t.match((await api.post(JSON.stringify(noId))).json(), { error: 'invalid', path: '/reportId' });
      const badTime = await api.post({ ...make({ seq: 3 }), finishedAt: 'yesterday' } as SummaryReport);
      t.match(badTime.json(), { error: 'invalid', path: '/finishedAt' });
      t.match((await api.post(JSON.stringify([1, 2]))).json(), { error: 'invalid', path: '' });
      const malformed = await api.post('{"kind": "summary", ');
      t.equal(malformed.status, 400);
      t.equal(malformed.json().error, 'malformed');
      t.equal((await api.post('')).status, 400, 'an empty body');
      const notGzip = await api.post(Buffer.from(JSON.stringify(make({ seq: 4 }))), {
        headers: { 'content-encoding': 'gzip' },
      });
      t.match(notGzip, { status: 400 });
      t.equal(notGzip.json().error, 'malformed');
      const text = await api.post(make({ seq: 5 }), { headers: { 'content-type': 'text/plain' } });
      t.equal(text.status, 415);
      t.equal(text.json().error, 'unsupported-media-type');
      t.equal((await api.post(make({ seq: 6 }), { headers: { 'content-encoding': 'br' } })).status, 415);
      const utf8 = await api.post(make({ seq: 7 }), { headers: { 'content-type': 'application/json; charset=utf-8' } });
      t.equal(utf8.status, 201, 'a charset parameter is fine');
      t.equal((await api.store.reports('agent-1', { limit: 10 })).reports.length, 1, 'only the valid one stored');
    },
  );

  t.test(`${backend.name}: 413 while reading: a long body, a chunked one, a gzip bomb`, async (t) => {
    const limits = { wireBytes: 64 * 1024, inflatedBytes: 256 * 1024 };
    const api = await startApi(t, backend, { bodyLimits: limits });
    const report = make({ seq: 1 });
    const padded = { ...report, padding: 'x'.repeat(100 * 1024) };
    const long = await api.post(padded as SummaryReport);
    t.equal(long.status, 413);
    t.match(long.json(), { error: 'too-large', limit: 'wire', limitBytes: limits.wireBytes });
    // Fits on the wire gzipped, not once inflated.
    const inflated = await api.post({ ...report, padding: 'x'.repeat(300 * 1024) } as SummaryReport, { gzip: true });
    t.match(inflated.json(), { error: 'too-large', limit: 'inflated', limitBytes: limits.inflatedBytes });
    const chunked = await exchange(`${api.collector.url}/api/v1/reports`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${api.tokens.agent}` },
      chunks: (async function* () {
        for (let i = 0; i < 200; i++) yield Buffer.from(`${i === 0 ? '[' : ','}"${'y'.repeat(1020)}"`);
      })(),
    });
    t.match(chunked, { status: 413 }, 'no Content-Length: counted while reading');
    t.equal(chunked.json().limit, 'wire');
    // 16 MiB of zeros make a gzip member of ~16 KB: those that fit the wire limit inflate to ~190× the limit.
    const member = gzipSync(Buffer.alloc(16 * 1024 * 1024));
    const bomb = Buffer.concat(Array.from({ length: Math.floor(limits.wireBytes / member.length) }, () => member));
    t.ok(bomb.length <= limits.wireBytes, `the bomb (${bomb.length} bytes) fits the wire limit`);
    const bombed = await api.post(bomb, { headers: { 'content-encoding': 'gzip' } });
    t.equal(bombed.status, 413);
    t.match(bombed.json(), { limit: 'inflated' });
    t.equal((await api.post(report, { gzip: true })).status, 201, 'the collector goes on');
  });
}
