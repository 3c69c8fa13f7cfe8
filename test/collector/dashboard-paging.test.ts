// The dataset page a page of agents at a time (issue 29), over HTTP with a real SQLite store: every
// agent shown once across the pages, links between them, a page past the end showing the last.
import t from 'tap';
import { dashboardApp, session } from './dashboard-fixture.js';
import { demoBase } from './store-fixture.js';

const base = demoBase(t);

const agentsIn = (html: string) => [...html.matchAll(/<tr data-agent="([^"]+)">/g)].map((m) => m[1]);

t.test('a dataset across the fleet, two agents a page', async (t) => {
  const { app, readerToken } = await dashboardApp(t, base, { pageSize: 2 });
  const get = (url: string) => app.inject({ url, headers: session(readerToken) });
  const first = (await get('/datasets/erp-db')).body;
  t.same(agentsIn(first), ['old-silent', 're-1']);
  t.match(first, /Agents 1–2 of 3/);
  t.match(first, /Page 1 of 2/);
  t.match(first, /<a rel="next" href="\/datasets\/erp-db\?page=2">/);
  t.notMatch(first, /rel="prev"/);
  const second = (await get('/datasets/erp-db?page=2')).body;
  t.same(agentsIn(second), ['web-ok'], 'the rest, none twice');
  t.match(second, /Agents 3–3 of 3/);
  t.match(second, /<a rel="prev" href="\/datasets\/erp-db">/);
  t.notMatch(second, /rel="next"/);
  t.same(agentsIn((await get('/datasets/erp-db?page=9')).body), ['web-ok'], 'past the end: the last page');
  t.same(agentsIn((await get('/datasets/erp-db?page=x')).body), ['old-silent', 're-1'], 'not a page: the first');
  t.equal((await get('/datasets/none?page=2')).statusCode, 404);
});
