// The dashboard over HTTP (fastify's inject, a real SQLite store of real summary reports): who sees
// what, its headers, its escaping, its filters, sorting, paging and languages.
import type { FastifyInstance } from 'fastify';
import t from 'tap';
import { CONTENT_SECURITY_POLICY } from '../../src/collector/dashboard/http.js';
import { dashboardApp, session, XSS } from './dashboard-fixture.js';
import { demoBase } from './store-fixture.js';

const base = demoBase(t);

/** The agents in the fleet table, in order, with their status. */
function agentsIn(html: string): { id: string; status: string }[] {
  return [...html.matchAll(/<tbody class="agent" data-agent="([^"]*)" data-status="([^"]*)">/g)].map((m) => ({
    id: m[1] as string,
    status: m[2] as string,
  }));
}

t.test('without a reader every page redirects to the login form and shows no data', async (t) => {
  const { app, agentToken } = await dashboardApp(t, base);
  for (const url of ['/', '/agents/web-ok', '/datasets/erp-db', '/print', '/?verdict=compliant']) {
    for (const headers of [{}, session(agentToken), { authorization: `Bearer ${agentToken}` }, session('b321r_nope')]) {
      const res = await app.inject({ url, headers });
      t.equal(res.statusCode, 303, `${url} ${JSON.stringify(Object.keys(headers))}`);
      t.equal(res.headers.location, '/login');
      t.notMatch(res.body, /web-ok|erp-db/);
      t.equal(res.headers['content-security-policy'], CONTENT_SECURITY_POLICY);
    }
  }
  const login = await app.inject({ url: '/login' });
  t.equal(login.statusCode, 200);
  t.match(login.body, /<form method="post" action="\/login">/);
  t.equal(login.headers['content-security-policy'], CONTENT_SECURITY_POLICY);
  t.equal(login.headers['x-content-type-options'], 'nosniff');
  t.equal(login.headers['referrer-policy'], 'no-referrer');
  t.notMatch(login.body, /<script|<[^>]*\son\w+=/i, 'no script and no event handler in the page');
});

/** The form token a browser got with the login form: its cookie and the form's hidden field. */
async function formOf(app: FastifyInstance): Promise<{ cookie: string; csrf: string }> {
  const page = await app.inject({ url: '/login' });
  const cookie = /^(b321_form=[A-Za-z0-9_-]{24}); HttpOnly; SameSite=Strict; Path=\/$/.exec(
    String(page.headers['set-cookie']),
  )?.[1];
  const csrf = /name="csrf" value="([^"]+)"/.exec(page.body)?.[1];
  if (!cookie || !csrf) throw new Error('the login form has no form token');
  return { cookie, csrf };
}

t.test(
  'the login form: a reader token signs in with an HttpOnly SameSite=Strict cookie; others are refused',
  async (t) => {
    const { app, readerToken, agentToken } = await dashboardApp(t, base, { seed: false });
    const form = await formOf(app);
    t.equal(`b321_form=${form.csrf}`, form.cookie, 'the field repeats the cookie');
    const post = (token: string, headers: Record<string, string> = {}, csrf = form.csrf, cookie = form.cookie) =>
      app.inject({
        method: 'POST',
        url: '/login',
        headers: { 'content-type': 'application/x-www-form-urlencoded', host: 'localhost:80', cookie, ...headers },
        payload: new URLSearchParams({ token, csrf }).toString(),
      });
    for (const wrong of ['', 'b321r_wrong', agentToken, `${readerToken}x`]) {
      const res = await post(wrong);
      t.equal(res.statusCode, 401);
      t.match(res.body, /class="error" role="alert">That is not a valid reader token\./);
      t.notOk(String(res.headers['set-cookie'] ?? '').includes('b321_session'));
      t.notOk(wrong !== '' && res.body.includes(wrong), 'the token is not echoed back');
    }
    const refused = [
      post(readerToken, {}, ''),
      post(readerToken, {}, 'x'.repeat(24)),
      post(readerToken, {}, form.csrf, ''),
      post(readerToken, { origin: 'https://evil.example' }),
      post(readerToken, { 'sec-fetch-site': 'cross-site' }),
      post(readerToken, { 'sec-fetch-site': 'same-site' }),
    ];
    for (const res of await Promise.all(refused)) {
      t.equal(res.statusCode, 403, 'a form not from this dashboard is refused');
      t.notOk(String(res.headers['set-cookie'] ?? '').includes('b321_session'));
    }
    const browser = await post(readerToken, { origin: 'null', 'sec-fetch-site': 'same-origin' });
    t.equal(browser.statusCode, 303, 'as a browser sends it under no-referrer: Origin null, a same-origin fetch');

    const ok = await post(readerToken, { origin: 'http://localhost' });
    t.equal(ok.statusCode, 303);
    t.equal(ok.headers.location, '/');
    t.equal(ok.headers['set-cookie'], `b321_session=${readerToken}; HttpOnly; SameSite=Strict; Path=/`);
    t.equal((await app.inject({ url: '/', headers: session(readerToken) })).statusCode, 200);
    t.equal((await app.inject({ url: '/login', headers: session(readerToken) })).headers.location, '/');

    const logout = (cookie: string, csrf: string) =>
      app.inject({
        method: 'POST',
        url: '/logout',
        headers: { 'content-type': 'application/x-www-form-urlencoded', host: 'localhost:80', cookie },
        payload: new URLSearchParams({ csrf }).toString(),
      });
    const forged = await logout(`b321_session=${readerToken}`, form.csrf);
    t.equal(forged.statusCode, 403, 'a sign-out without the form cookie is refused');
    const out = await logout(`b321_session=${readerToken}; ${form.cookie}`, form.csrf);
    t.equal(out.statusCode, 303);
    t.equal(out.headers.location, '/login');
    t.match(out.headers['set-cookie'], /^b321_session=; HttpOnly; SameSite=Strict; Path=\/; Max-Age=0$/);
  },
);

t.test('over TLS the cookies are Secure', async (t) => {
  const { app, readerToken } = await dashboardApp(t, base, { seed: false, trustProxy: true });
  const page = await app.inject({ url: '/login', headers: { 'x-forwarded-proto': 'https' } });
  t.match(page.headers['set-cookie'], /; Secure$/);
  const csrf = /name="csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
  const res = await app.inject({
    method: 'POST',
    url: '/login',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-forwarded-proto': 'https',
      host: 'collector.example',
      origin: 'https://collector.example',
      cookie: `b321_form=${csrf}`,
    },
    payload: new URLSearchParams({ token: readerToken, csrf }).toString(),
  });
  t.equal(res.headers['set-cookie'], `b321_session=${readerToken}; HttpOnly; SameSite=Strict; Path=/; Secure`);
});

t.test('the fleet: counts (silence is non-compliant), every agent with its status, marks and headers', async (t) => {
  const { app, readerToken } = await dashboardApp(t, base);
  const res = await app.inject({ url: '/', headers: session(readerToken) });
  t.equal(res.statusCode, 200);
  t.equal(res.headers['content-security-policy'], CONTENT_SECURITY_POLICY);
  t.equal(res.headers['content-type'], 'text/html; charset=utf-8');
  const html = res.body;
  const count = (kind: string, status: string) =>
    Number(new RegExp(`data-${kind}="${status}">(\\d+)<`).exec(html)?.[1] ?? Number.NaN);
  t.same(
    ['compliant', 'at-risk', 'non-compliant', 'unknown', 'silent'].map((s) => count('status', s)),
    [3, 1, 1, 0, 1],
  );
  t.equal(count('compliance', 'non-compliant'), 2, 'the silent agent counts as non-compliant');
  t.same(agentsIn(html), [
    { id: 'old-silent', status: 'silent' },
    { id: 'db-offline', status: 'non-compliant' },
    { id: 'gap-1', status: 'at-risk' },
    { id: 're-1', status: 'compliant' },
    { id: 'web-ok', status: 'compliant' },
    { id: 'xss-1', status: 'compliant' },
  ]);
  t.match(html, /<div class="mark">2 reports missing<\/div>/);
  t.match(html, /<div class="mark">reinstalled \(1×\)<\/div>/);
  t.match(html, /data-check="offline" title="offline: fail">✗</);
  t.match(html, /2026-12-06 17:50 \+07:00/, 'times in the collector zone with their offset');
  t.notMatch(html, /<script|<[^>]*\son\w+=/i);
});

t.test('a report’s strings are escaped everywhere they are shown', async (t) => {
  const { app, readerToken } = await dashboardApp(t, base);
  const escaped = '&lt;img src=x onerror=alert(1)&gt;';
  for (const url of ['/', '/agents/xss-1', `/datasets/${encodeURIComponent(XSS)}`, '/print']) {
    const res = await app.inject({ url, headers: session(readerToken) });
    t.equal(res.statusCode, 200, url);
    t.ok(res.body.includes(escaped), `${url} shows the name as text`);
    t.notOk(res.body.includes('<img'), `${url} has no img element`);
    t.notMatch(res.body, /<script/i, `${url} has no script element`);
  }
  const fleet = await app.inject({ url: '/', headers: session(readerToken) });
  t.ok(fleet.body.includes('&lt;script&gt;alert(2)&lt;/script&gt;'), 'the host name too');
  t.ok(fleet.body.includes(`href="/datasets/${encodeURIComponent(XSS)}"`), 'links carry the id encoded');
});

t.test('filters: verdict, a check’s status, agent name, silent only', async (t) => {
  const { app, readerToken } = await dashboardApp(t, base);
  const ids = async (search: string) =>
    agentsIn((await app.inject({ url: `/${search}`, headers: session(readerToken) })).body).map((a) => a.id);
  t.same(await ids('?verdict=non-compliant'), ['db-offline']);
  t.same(await ids('?check=offline&checkStatus=fail'), ['db-offline']);
  t.same(await ids('?check=integrity&checkStatus=warn'), ['gap-1']);
  t.same(await ids('?name=GAP'), ['gap-1'], 'any case');
  t.same(await ids('?name=re-1.example'), ['re-1'], 'or its host name');
  t.same(await ids('?silent=1'), ['old-silent']);
  t.same(await ids('?verdict=compliant&silent=1'), ['old-silent'], 'its verdict is compliant, its status silent');
  t.same(await ids('?verdict=bogus&check=nope'), await ids(''), 'unknown values are no filter');
  const none = await app.inject({ url: '/?name=zzz', headers: session(readerToken) });
  t.match(none.body, /No agent matches these filters\./);
  const form = (await app.inject({ url: '/?verdict=at-risk&name=%22x', headers: session(readerToken) })).body;
  t.match(form, /<option value="at-risk" selected>/, 'the form shows the filters chosen');
  t.match(form, /name="name" value="&quot;x"/);
});

t.test('sorting and paging', async (t) => {
  const { app, readerToken } = await dashboardApp(t, base, { pageSize: 2 });
  const page = async (search: string) => (await app.inject({ url: `/${search}`, headers: session(readerToken) })).body;
  const ids = async (search: string) => agentsIn(await page(search)).map((a) => a.id);
  t.same(await ids(''), ['old-silent', 'db-offline'], 'worst first');
  t.same(await ids('?page=2'), ['gap-1', 're-1']);
  t.same(await ids('?page=3'), ['web-ok', 'xss-1']);
  t.same(await ids('?page=99'), ['web-ok', 'xss-1'], 'past the end: the last page');
  t.same(await ids('?sort=name'), ['db-offline', 'gap-1']);
  t.same(await ids('?sort=name&dir=desc'), ['xss-1', 'web-ok']);
  t.same(await ids('?sort=lastReport'), ['old-silent', 're-1'], 'the longest quiet first');
  t.same(await ids('?sort=missing'), ['gap-1', 're-1']);
  const first = await page('?sort=name');
  t.match(first, /Agents 1–2 of 6 \(fleet: 6\)/);
  t.match(first, /<a rel="next" href="\/\?sort=name&amp;page=2">/);
  t.notMatch(first, /rel="prev"/);
  const filtered = await page('?verdict=compliant&page=2');
  t.match(filtered, /Page 2 of 2/);
  t.match(filtered, /<a rel="prev" href="\/\?verdict=compliant">/);
});

t.test('Vietnamese with ?lang=vi, remembered in a cookie', async (t) => {
  const { app, readerToken } = await dashboardApp(t, base);
  const vi = await app.inject({ url: '/?lang=vi', headers: session(readerToken) });
  t.ok(
    ([] as string[])
      .concat(vi.headers['set-cookie'] ?? [])
      .includes('b321_lang=vi; Path=/; SameSite=Strict; Max-Age=31536000'),
    'the language is remembered',
  );
  t.match(vi.body, /<html lang="vi">/);
  t.match(vi.body, /Tác tử im lặng được tính là không tuân thủ/);
  t.match(vi.body, /<span class="badge st-silent">im lặng<\/span>/);
  t.match(vi.body, /thiếu 2 báo cáo/);
  const again = await app.inject({
    url: '/agents/gap-1',
    headers: { cookie: `b321_session=${readerToken}; b321_lang=vi` },
  });
  t.match(again.body, /Thiếu 2 báo cáo, số thứ tự 3–4/);
  t.match(again.body, /Kết luận trong 30 ngày qua/);
  const login = await app.inject({ url: '/login', headers: { cookie: 'b321_lang=vi' } });
  t.match(login.body, /Đăng nhập/);
  const back = await app.inject({ url: '/?lang=en', headers: { cookie: `b321_session=${readerToken}; b321_lang=vi` } });
  t.match(back.body, /<html lang="en">/);
});

t.test('an agent’s page: gaps, reinstalls, the verdict chart, findings and evidence', async (t) => {
  const { app, readerToken } = await dashboardApp(t, base);
  const get = async (id: string) => (await app.inject({ url: `/agents/${id}`, headers: session(readerToken) })).body;
  const gap = await get('gap-1');
  t.match(gap, /<li class="gap">2 reports missing, seq 3–4<\/li>/);
  const re = await get('re-1');
  t.match(re, /<h2>Reinstalls \(1\)<\/h2>/);
  t.match(
    re,
    /<li class="reinstall">Reinstalled: instance instance-2 first seen 2026-12-06 17:30 \+07:00 \(seq 1–1\)<\/li>/,
  );
  const web = await get('web-ok');
  t.match(web, /<svg class="chart" role="img"/);
  const dots = [...web.matchAll(/<circle class="dot st-([a-z-]+)"/g)].map((m) => m[1]);
  t.same(
    dots,
    ['non-compliant', 'at-risk', 'compliant', 'compliant'],
    'four reports in the last 30 days, oldest first',
  );
  t.match(web, /<path class="line" d="M [\d.]+ [\d.]+ H/);
  const offline = await get('db-offline');
  t.match(offline, /<tr data-check="offline">\s*<td>offline<\/td>\s*<td class="cs-fail">fail<\/td>/);
  t.match(
    offline,
    /<tr data-check="copies">[\s\S]*?<details open>\s*<summary>counted \(1\)<\/summary>\s*<ul>\s*<li><code>[^<]+<\/code>/,
    'a failing check shows its evidence open',
  );
  t.match(
    web,
    /<tr data-check="copies">[\s\S]*?<details>\s*<summary>not counted \(1\)<\/summary>[\s\S]*?<\/code> — too old<\/li>/,
    'notes in words',
  );
  t.equal((await app.inject({ url: '/agents/nobody', headers: session(readerToken) })).statusCode, 404);
});

t.test('a dataset across the fleet, and the printable report', async (t) => {
  const { app, readerToken } = await dashboardApp(t, base);
  const dataset = (await app.inject({ url: '/datasets/erp-db', headers: session(readerToken) })).body;
  t.same(
    [...dataset.matchAll(/<tr data-agent="([^"]+)">/g)].map((m) => m[1]),
    ['old-silent', 're-1', 'web-ok'],
  );
  t.equal((await app.inject({ url: '/datasets/none', headers: session(readerToken) })).statusCode, 404);
  const print = (await app.inject({ url: '/print', headers: session(readerToken) })).body;
  t.match(print, /Generated 2026-12-06 18:00:00 \+07:00 by collector collector-test \(backup321 \d/);
  t.match(print, /<code class="hash">sha256:[0-9a-f]{64}<\/code>/, 'full digests');
  t.match(print, /<code>rpoMs = 86400000<\/code>/, 'the policy in full, as sent');
  t.match(print, /2 reports missing, seq 3–4/);
  t.equal([...print.matchAll(/<section class="agent-print"/g)].length, 6);
  const one = (await app.inject({ url: '/print?name=gap-1', headers: session(readerToken) })).body;
  t.equal([...one.matchAll(/<section class="agent-print"/g)].length, 1, 'the same filters as the fleet page');
  const css = await app.inject({ url: '/assets/dashboard.css' });
  t.equal(css.statusCode, 200);
  t.match(css.headers['content-type'], /^text\/css/);
});
