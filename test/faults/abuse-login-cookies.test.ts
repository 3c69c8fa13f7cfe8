// Fault suite, abuse of the collector: the dashboard's sign-in and cookies, on the real collector.
// Wrong tokens from one address get 429 with Retry-After after a few (a valid token too, until the
// bucket refills), counted per client behind a trusted proxy and never evaded by a forged
// X-Forwarded-For; cookies are HttpOnly and SameSite=Strict, and Secure when a TLS-terminating proxy
// the collector trusts (--trust-proxy) says the request came over https, never on a forged header.
import t from 'tap';
import { dashboardPlugin, LOGIN_FAILURES } from '../../src/collector/dashboard/plugin.js';
import type { CollectorPlugin } from '../../src/collector/server.js';
import { type Api, exchange, startApi } from '../collector/api-fixture.js';
import { sqliteBackend } from '../collector/store-backends.js';

const plugins = [dashboardPlugin as CollectorPlugin];

/** GET /login then POST /login with its form token, as the browser does; the POST's answer. */
async function signIn(api: Api, token: string, headers: Record<string, string> = {}) {
  const form = await exchange(`${api.collector.url}/login`, { method: 'GET', headers });
  const csrf = /name="csrf" value="([^"]+)"/.exec(form.text)?.[1] ?? '';
  const setCookie = ([] as string[]).concat(form.headers['set-cookie'] ?? []);
  const answer = await exchange(`${api.collector.url}/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `b321_form=${csrf}`, ...headers },
    body: Buffer.from(new URLSearchParams({ token, csrf }).toString()),
  });
  return { form: setCookie, answer, cookies: ([] as string[]).concat(answer.headers['set-cookie'] ?? []) };
}

const attributes = (cookie: string) =>
  cookie
    .split(';')
    .slice(1)
    .map((part) => part.trim().toLowerCase());

t.test('wrong sign-ins from one address get 429; the limit counts per client and refills', async (t) => {
  const api = await startApi(t, sqliteBackend, { plugins });
  const statuses: number[] = [];
  const wrong = 3 * LOGIN_FAILURES.burst;
  for (let i = 0; i < wrong; i++)
    statuses.push((await signIn(api, `b321r_${String(i).padStart(43, 'x')}`)).answer.status);
  const first429 = statuses.indexOf(429);
  t.equal(first429, LOGIN_FAILURES.burst, `the first ${LOGIN_FAILURES.burst} wrong tokens are 401, then 429`);
  t.ok(statuses.slice(0, first429).every((s) => s === 401));
  t.ok(
    statuses.slice(first429).every((s) => s === 429),
    'every later one 429',
  );
  const blocked = await signIn(api, api.tokens.reader);
  t.equal(blocked.answer.status, 429, 'while blocked, even a valid token waits (the address is limited)');
  t.match(blocked.answer.headers['retry-after'], /^[1-9]\d*$/);
  t.notOk(
    blocked.cookies.some((c) => c.startsWith('b321_session=')),
    'and gets no session',
  );
  t.match(blocked.answer.text, /Too many wrong tokens/);
  // A forged X-Forwarded-For from an untrusted client is no new address.
  const forged = await signIn(api, api.tokens.reader, { 'x-forwarded-for': '203.0.113.9' });
  t.equal(forged.answer.status, 429, 'X-Forwarded-For from an untrusted client is ignored');
  api.clock.at += 1000 / LOGIN_FAILURES.perSecond;
  const after = await signIn(api, api.tokens.reader);
  t.equal(after.answer.status, 303, 'one try earned back: the valid token signs in');
  const counts = { 401: statuses.filter((s) => s === 401).length, 429: statuses.filter((s) => s === 429).length };
  t.comment(
    `${wrong} wrong sign-ins from one address: ${counts[401]} × 401, then ${counts[429]} × 429 (Retry-After ${blocked.answer.headers['retry-after']} s); a forged X-Forwarded-For still 429; signed in after ${1 / LOGIN_FAILURES.perSecond} s`,
  );
});

t.test('behind a trusted proxy the limit is per client address', async (t) => {
  const api = await startApi(t, sqliteBackend, { plugins, trustProxy: ['127.0.0.1'] });
  const from = (ip: string) => ({ 'x-forwarded-for': ip, 'x-forwarded-proto': 'https' });
  for (let i = 0; i <= LOGIN_FAILURES.burst; i++) await signIn(api, 'b321r_wrong', from('198.51.100.7'));
  t.equal((await signIn(api, 'b321r_wrong', from('198.51.100.7'))).answer.status, 429, 'the guesser is limited');
  t.equal((await signIn(api, 'b321r_wrong', from('198.51.100.8'))).answer.status, 401, 'another client is not');
  t.equal((await signIn(api, api.tokens.reader, from('198.51.100.8'))).answer.status, 303, 'and signs in');
});

t.test('cookies: HttpOnly and SameSite=Strict; Secure over TLS via a trusted proxy only', async (t) => {
  const plain = await startApi(t, sqliteBackend, { plugins });
  const overHttp = await signIn(plain, plain.tokens.reader);
  t.equal(overHttp.answer.status, 303);
  const checked: string[] = [];
  const check = (cookies: string[], secure: boolean, where: string) => {
    t.ok(cookies.length > 0, `${where}: cookies set`);
    for (const cookie of cookies) {
      const attrs = attributes(cookie);
      const name = cookie.split('=')[0] ?? '';
      if (name !== 'b321_lang') t.ok(attrs.includes('httponly'), `${where}: ${name} HttpOnly`);
      t.ok(attrs.includes('samesite=strict'), `${where}: ${name} SameSite=Strict`);
      t.equal(attrs.includes('secure'), secure, `${where}: ${name} ${secure ? 'Secure' : 'not Secure'}`);
      checked.push(`${where}: ${name}`);
    }
  };
  check([...overHttp.form, ...overHttp.cookies], false, 'plain http');
  // A client claiming https itself is not believed: it could be anyone on the plain port.
  const claimed = await signIn(plain, plain.tokens.reader, { 'x-forwarded-proto': 'https' });
  check([...claimed.form, ...claimed.cookies], false, 'untrusted X-Forwarded-Proto');

  // The collector has no TLS listener (docs/collector.md): TLS ends at the proxy, which says so.
  const proxied = await startApi(t, sqliteBackend, { plugins, trustProxy: ['127.0.0.1'] });
  const overTls = await signIn(proxied, proxied.tokens.reader, { 'x-forwarded-proto': 'https' });
  t.equal(overTls.answer.status, 303);
  check([...overTls.form, ...overTls.cookies], true, 'behind the trusted TLS proxy');
  const lang = await exchange(`${proxied.collector.url}/login?lang=vi`, {
    method: 'GET',
    headers: { 'x-forwarded-proto': 'https' },
  });
  check(([] as string[]).concat(lang.headers['set-cookie'] ?? []), true, 'language cookie behind TLS');
  const elsewhere = await startApi(t, sqliteBackend, { plugins, trustProxy: ['10.9.9.9'] });
  const notThatProxy = await signIn(elsewhere, elsewhere.tokens.reader, { 'x-forwarded-proto': 'https' });
  check([...notThatProxy.form, ...notThatProxy.cookies], false, 'a proxy address that is not ours');
  t.comment(`cookies checked: ${checked.length} (${[...new Set(checked)].join('; ')})`);
});
