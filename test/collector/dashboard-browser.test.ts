// The dashboard in real headless Chromium (Debian's, driven by playwright-core; nothing downloaded):
// a reader signs in through the form, sees the seeded agents with their statuses, filters, opens an
// agent's chart, switches to Vietnamese; a dataset named like markup is text and no dialog opens.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Page } from 'playwright-core';
import t from 'tap';
import { dashboardApp, XSS } from './dashboard-fixture.js';
import { demoBase } from './store-fixture.js';

const base = demoBase(t);
const SCREENSHOTS = join(process.cwd(), '.tap', 'screenshots');

async function statuses(page: Page): Promise<Record<string, string>> {
  const rows = await page
    .locator('tbody.agent')
    .evaluateAll((bodies) =>
      bodies.map((body) => [
        body.getAttribute('data-agent') ?? '',
        body.querySelector('th + td .badge')?.textContent?.trim() ?? '',
      ]),
    );
  return Object.fromEntries(rows);
}

t.test('a reader uses the dashboard in Chromium', async (t) => {
  const { app, readerToken } = await dashboardApp(t, base);
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
  t.teardown(() => browser.close());
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  const dialogs: string[] = [];
  page.on('dialog', async (dialog) => {
    dialogs.push(dialog.message());
    await dialog.dismiss();
  });
  const cspViolations: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) cspViolations.push(message.text());
  });

  await page.goto(`${address}/`);
  t.equal(new URL(page.url()).pathname, '/login', 'no session: the login form');
  await page.fill('#token', 'b321r_not-a-token');
  await page.click('button[type=submit]');
  t.match(await page.locator('.error').textContent(), /not a valid reader token/);
  await page.fill('#token', readerToken);
  await page.click('form[action="/login"] button[type=submit]');
  await page.waitForURL(`${address}/`);
  const cookies = await page.context().cookies();
  t.match(
    cookies.find((c) => c.name === 'b321_session'),
    { httpOnly: true, sameSite: 'Strict', path: '/' },
  );
  t.equal(await page.evaluate(() => document.cookie.includes('b321_session')), false, 'no page can read it');

  t.same(await statuses(page), {
    'old-silent': 'silent',
    'db-offline': 'non-compliant',
    'gap-1': 'at risk',
    're-1': 'compliant',
    'web-ok': 'compliant',
    'xss-1': 'compliant',
  });
  t.equal(
    await page.locator('tbody[data-agent="db-offline"] td[data-check="offline"]').getAttribute('class'),
    'chk cs-fail',
    'the failing offline check',
  );
  t.match(await page.locator('tbody[data-agent="gap-1"] .mark').textContent(), '2 reports missing');
  t.match(await page.locator('tbody[data-agent="re-1"] .mark').textContent(), 'reinstalled');
  t.equal(await page.locator('[data-compliance="non-compliant"]').textContent(), '2', 'silence counts as a failure');

  const xssCell = page.locator('tbody[data-agent="xss-1"] td.ds a');
  t.equal(await xssCell.textContent(), XSS, 'the dataset name is shown as text');
  t.equal(await page.locator('main img').count(), 0, 'and made no element');
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, 'dashboard-fleet.png'), fullPage: true });

  await page.selectOption('select[name=check]', 'offline');
  await page.selectOption('select[name=checkStatus]', 'fail');
  await page.click('form.filters button[type=submit]');
  await page.waitForURL(/check=offline/);
  t.same(Object.keys(await statuses(page)), ['db-offline'], 'the filter keeps the agent whose offline check fails');
  await page.click('form.filters a[href="/"]');
  await page.check('input[name=silent]');
  await page.click('form.filters button[type=submit]');
  await page.waitForURL(/silent=1/);
  t.same(Object.keys(await statuses(page)), ['old-silent']);

  await page.goto(`${address}/agents/web-ok`);
  const chart = page.locator('svg.chart');
  t.equal(await chart.count(), 1, 'the verdict chart');
  t.equal(await chart.locator('circle.dot').count(), 4);
  t.ok(((await chart.boundingBox())?.width ?? 0) > 300, 'drawn at its size');
  await page.goto(`${address}/agents/gap-1`);
  t.equal(await page.locator('li.gap').textContent(), '2 reports missing, seq 3–4');

  await page.click('a.lang');
  t.match(await page.locator('li.gap').textContent(), 'Thiếu 2 báo cáo, số thứ tự 3–4');
  await page.goto(`${address}/`);
  t.equal(await page.locator('html').getAttribute('lang'), 'vi', 'the language is remembered');
  t.equal(await page.locator('tbody[data-agent="old-silent"] th + td .badge').textContent(), 'im lặng');
  await page.screenshot({ path: join(SCREENSHOTS, 'dashboard-fleet-vi.png'), fullPage: true });

  await page.goto(`${address}/datasets/${encodeURIComponent(XSS)}`);
  t.match(await page.locator('h1').textContent(), XSS);
  await page.goto(`${address}/agents/xss-1`);
  t.equal(await page.locator('article.dataset h3 a').textContent(), XSS);
  await page.screenshot({ path: join(SCREENSHOTS, 'dashboard-agent.png'), fullPage: true });
  t.same(dialogs, [], 'no dialog fired');
  t.same(cspViolations, [], 'nothing the policy had to block');

  await page.click('form.signout button');
  await page.waitForURL(/\/login$/);
  await page.goto(`${address}/`);
  t.match(page.url(), /\/login$/, 'signed out');
});
