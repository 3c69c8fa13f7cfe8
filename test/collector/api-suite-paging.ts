// The lists at fleet scale, over HTTP on a real collector and store: GET /api/v1/agents and
// /api/v1/datasets a keyset page at a time (every row once, in a stable order even while agents
// report, a Link to the next page, 400 for a bad limit or cursor), their filters, and the printable
// report of more agents than the 200 it used to stop at, whole, plain or gzipped.
import { gunzipSync } from 'node:zlib';
import type { Test } from 'tap';
import { dashboardPlugin } from '../../src/collector/dashboard/plugin.js';
import type { CollectorPlugin } from '../../src/collector/server.js';
import type { SummaryReport } from '../../src/report-schema/types.js';
import { type Answer, type Api, startApi } from './api-fixture.js';
import type { Backend } from './store-backends.js';
import { HOUR, T0, vary } from './store-fixture.js';
import { send } from './store-suite-state.js';

const FLEET = 250;
const idOf = (i: number) => `p-${String(i).padStart(3, '0')}`;
/** Every 5th agent at risk, every 7th silent (nothing for 3 h; silent after 2 h), the rest compliant. */
const atRisk = (i: number) => i % 5 === 0;
const silent = (i: number) => i % 7 === 0;

interface Row {
  id?: string;
  agentId?: string;
  datasetId?: string;
}

/** The fleet, stored in a shuffled order, so the lists' order is theirs and not the arrival's. */
async function seed(api: Api, base: SummaryReport): Promise<void> {
  const order = Array.from({ length: FLEET }, (_, i) => (i * 97) % FLEET);
  for (const i of order) {
    const report = vary(base, { agentId: idOf(i), seq: 1, verdict: atRisk(i) ? 'at-risk' : 'compliant' });
    await send(api.store, report, new Date(T0.getTime() - (silent(i) ? 3 * HOUR : 0)));
  }
}

/** Follows the pages from `first` by their Link headers; every page's rows, and what each page said. */
async function walk(api: Api, first: string, key: 'agents' | 'datasets') {
  const rows: Row[] = [];
  const pages: Answer[] = [];
  let path: string | undefined = first;
  while (path !== undefined && pages.length < 100) {
    const answer = await api.get(path);
    pages.push(answer);
    if (answer.status !== 200) break;
    rows.push(...(answer.json()[key] as Row[]));
    path = /^<([^>]+)>; rel="next"$/.exec(String(answer.headers.link ?? ''))?.[1];
  }
  return { rows, pages };
}

const ids = (rows: Row[]) => rows.map((row) => row.id ?? `${row.agentId} ${row.datasetId}`);
const sorted = (list: string[]) => [...list].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
const agentSections = (html: string) => [...html.matchAll(/<section class="agent-print" data-agent="([^"]+)">/g)];

export function pagingSuite(t: Test, backend: Backend, base: () => SummaryReport): void {
  t.test(`${backend.name}: GET /api/v1/agents, ${FLEET} agents 100 a page: each once, by id`, async (t) => {
    const api = await startApi(t, backend);
    await seed(api, base());
    const { rows, pages } = await walk(api, '/api/v1/agents?limit=100', 'agents');
    t.same(
      pages.map((page) => page.json().agents.length),
      [100, 100, 50],
      'three pages',
    );
    const all = Array.from({ length: FLEET }, (_, i) => idOf(i));
    t.same(ids(rows), all, 'every agent exactly once, by id');
    t.equal(pages[2]?.json().next, null, 'the last page has no next');
    t.notOk(pages[2]?.headers.link, 'nor a Link');
    const link = new URL(/^<([^>]+)>/.exec(String(pages[0]?.headers.link))?.[1] ?? '', api.collector.url);
    t.equal(link.pathname, '/api/v1/agents');
    t.equal(link.searchParams.get('after'), pages[0]?.json().next, 'the Link is this request with after = next');
    t.equal(link.searchParams.get('limit'), '100');
    const again = await walk(api, '/api/v1/agents?limit=100', 'agents');
    t.same(ids(again.rows), all, 'the same pages a second time');
    const first = await api.get('/api/v1/agents');
    t.equal(first.json().agents.length, 100, 'no limit: 100');
    t.ok(first.json().next, 'and a next');
    t.same(ids((await walk(api, '/api/v1/agents?limit=1000', 'agents')).rows), all, 'limit=1000: one page');
    for (const limit of ['0', '1001', '-1', 'x', '1.5']) {
      const refused = await api.get(`/api/v1/agents?limit=${limit}`);
      t.equal(refused.status, 400, `limit=${limit}`);
      t.match(refused.json(), { error: 'invalid', in: 'query', path: '/limit' }, `limit=${limit} names the parameter`);
    }
    for (const after of [
      'nonsense',
      Buffer.from('[1]').toString('base64url'),
      Buffer.from('["a","b"]').toString('base64url'),
    ]) {
      const refused = await api.get(`/api/v1/agents?after=${after}`);
      t.equal(refused.status, 400, `after=${after}`);
      t.match(refused.json(), { error: 'invalid', in: 'query', path: '/after' });
    }
  });

  t.test(`${backend.name}: agents that report during the walk do not shift it`, async (t) => {
    const api = await startApi(t, backend);
    await seed(api, base());
    const first = await api.get('/api/v1/agents?limit=100');
    const last = first.json().agents.at(-1).id as string;
    // One new agent sorting before the page just read, one after it; an agent of the first page reports again.
    for (const agentId of ['a-new', 'z-new', idOf(3)])
      await send(api.store, vary(base(), { agentId, seq: 2, at: 5 }), T0);
    const link = /^<([^>]+)>/.exec(String(first.headers.link))?.[1] as string;
    const rest = await walk(api, link, 'agents');
    const seen = [...ids(first.json().agents), ...ids(rest.rows)];
    t.equal(new Set(seen).size, seen.length, 'no agent twice');
    t.same(
      seen.filter((id) => id.startsWith('p-')),
      Array.from({ length: FLEET }, (_, i) => idOf(i)),
      'every agent there from the start, once',
    );
    t.ok(last < 'z-new' && 'a-new' < last);
    t.ok(
      seen.includes('z-new') && !seen.includes('a-new'),
      'a new agent after the cursor is read, one before it is not',
    );
  });

  t.test(`${backend.name}: GET /api/v1/agents filters: verdict, silent, name, across pages`, async (t) => {
    const api = await startApi(t, backend);
    await seed(api, base());
    const all = Array.from({ length: FLEET }, (_, i) => i);
    const expect = (keep: (i: number) => boolean) => all.filter(keep).map(idOf);
    const cases: Array<[string, string[]]> = [
      ['verdict=at-risk', expect(atRisk)],
      ['verdict=compliant', expect((i) => !atRisk(i))],
      ['verdict=non-compliant', []],
      ['silent=true', expect(silent)],
      ['silent=false', expect((i) => !silent(i))],
      ['verdict=at-risk&silent=true', expect((i) => atRisk(i) && silent(i))],
      ['name=P-1', expect((i) => idOf(i).startsWith('p-1'))],
      ['name=p-1&verdict=at-risk', expect((i) => idOf(i).startsWith('p-1') && atRisk(i))],
    ];
    for (const [filter, expected] of cases) {
      const { rows, pages } = await walk(api, `/api/v1/agents?limit=20&${filter}`, 'agents');
      t.same(ids(rows), expected, `${filter}: ${expected.length} agents`);
      t.equal(pages.length, Math.max(1, Math.ceil(expected.length / 20)), `${filter}: ${pages.length} pages`);
      const next = /^<([^>]+)>/.exec(String(pages[0]?.headers.link ?? ''))?.[1] ?? '';
      if (expected.length > 20)
        t.ok(next.includes(filter.split('&')[0] as string), `${filter}: the Link keeps the filter`);
    }
    const statuses = (await walk(api, '/api/v1/agents?limit=1000&silent=true', 'agents')).rows as Array<{
      status?: string;
    }>;
    t.ok(
      statuses.every((agent) => agent.status === 'silent'),
      'silent=true: each says silent',
    );
    t.match((await api.get('/api/v1/agents?verdict=fine')).json(), { error: 'invalid', path: '/verdict' });
    t.match((await api.get('/api/v1/agents?silent=maybe')).json(), { error: 'invalid', path: '/silent' });
  });

  t.test(`${backend.name}: GET /api/v1/datasets a page at a time, and ?dataset=`, async (t) => {
    const api = await startApi(t, backend);
    await seed(api, base());
    const datasetIds = base().datasets.map((d) => d.id);
    const all = await walk(api, '/api/v1/datasets?limit=1000', 'datasets');
    const keys = Array.from({ length: FLEET }, (_, i) => sorted(datasetIds).map((d) => `${idOf(i)} ${d}`)).flat();
    t.same(ids(all.rows), keys, `every dataset of every agent once, by agent then dataset (${keys.length})`);
    t.equal(all.pages.length, Math.ceil(keys.length / 1000));
    const one = datasetIds[1] as string;
    const byId = await walk(api, `/api/v1/datasets?dataset=${encodeURIComponent(one)}&limit=100`, 'datasets');
    t.same(
      byId.pages.map((page) => page.json().datasets.length),
      [100, 100, 50],
      `dataset=${one}: three pages`,
    );
    t.same(
      ids(byId.rows),
      Array.from({ length: FLEET }, (_, i) => `${idOf(i)} ${one}`),
      'one per agent, by agent',
    );
    const risky = await walk(
      api,
      `/api/v1/datasets?dataset=${encodeURIComponent(one)}&verdict=at-risk&limit=7`,
      'datasets',
    );
    t.same(
      ids(risky.rows),
      Array.from({ length: FLEET }, (_, i) => i)
        .filter(atRisk)
        .map((i) => `${idOf(i)} ${one}`),
      'dataset and verdict together, 7 a page',
    );
    t.same((await api.get('/api/v1/datasets?dataset=no-such')).json(), { datasets: [], next: null });
    const agentCursor = (await api.get('/api/v1/agents?limit=1')).json().next;
    t.match(
      (await api.get(`/api/v1/datasets?after=${agentCursor}`)).json(),
      { error: 'invalid', in: 'query', path: '/after' },
      "an agents' cursor is not a datasets' one",
    );
    t.match((await api.get('/api/v1/datasets?limit=1001')).json(), { error: 'invalid', path: '/limit' });
  });

  t.test(`${backend.name}: the printable report lists all ${FLEET} agents, streamed, gzipped when asked`, async (t) => {
    const api = await startApi(t, backend, { plugins: [dashboardPlugin as CollectorPlugin] });
    await seed(api, base());
    const cookie = { cookie: `b321_session=${api.tokens.reader}` };
    const plain = await api.get('/print', '', cookie);
    t.equal(plain.status, 200);
    t.match(plain.headers['content-type'], /^text\/html/);
    const all = Array.from({ length: FLEET }, (_, i) => idOf(i));
    t.same(
      agentSections(plain.text).map((m) => m[1]),
      all,
      'every agent once, by id: no cap at 200',
    );
    t.match(plain.text, `Agents the filters keep: ${FLEET}, listed by id.`);
    t.match(plain.text, `End of the report: ${FLEET} agents listed.`);
    t.match(plain.text, /<\/main>\n<\/body>\n<\/html>\n$/, 'the page is whole');
    const zipped = await api.get('/print', '', { ...cookie, 'accept-encoding': 'gzip, deflate' });
    t.equal(zipped.headers['content-encoding'], 'gzip');
    const html = gunzipSync(zipped.bytes).toString('utf8');
    t.same(
      agentSections(html).map((m) => m[1]),
      all,
      'gzipped: the same agents',
    );
    t.ok(zipped.bytes.length * 5 < plain.bytes.length, `gzip: ${zipped.bytes.length} bytes for ${plain.bytes.length}`);
    const risky = await api.get('/print?verdict=at-risk&lang=vi', '', cookie);
    const kept = all.filter((_, i) => atRisk(i));
    t.same(
      agentSections(risky.text).map((m) => m[1]),
      kept,
      "the fleet page's filters",
    );
    t.match(risky.text, `Hết báo cáo: đã liệt kê ${kept.length} tác tử.`);
    t.equal((await api.get('/print', '')).status, 303, 'readers only');
    t.comment(
      `printable report of ${FLEET} agents: ${plain.bytes.length} bytes of HTML, ${zipped.bytes.length} gzipped`,
    );
  });
}
