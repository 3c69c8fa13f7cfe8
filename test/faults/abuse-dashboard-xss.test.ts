// Fault suite, abuse of the collector: the dashboard escapes every string a report carries. Every
// string field of a real summary report that the schema lets be free text is set to markup, reports
// go through the real API, and real headless Chromium signs in and opens every page, with the
// Content-Security-Policy bypassed so escaping alone must hold: the markup is shown as text, no
// dialog opens, window.__pwned stays undefined, and no element comes from a report's string.
import t from 'tap';
import type { Page } from 'playwright-core';
import { dashboardPlugin } from '../../src/collector/dashboard/plugin.js';
import type { CollectorPlugin } from '../../src/collector/server.js';
import { reportValidator } from '../../src/collector/validate-report.js';
import type { SummaryReport } from '../../src/report-schema/types.js';
import { startApi } from '../collector/api-fixture.js';
import { sqliteBackend } from '../collector/store-backends.js';
import { demoBase, vary } from '../collector/store-fixture.js';
import { chromiumFor } from '../helpers/faults-abuse-chromium.js';

const base = demoBase(t);
const SCRIPT = '<script>window.__pwned=1</script>';
const IMG = '<img src=x onerror=alert(1)>';
const BOTH = `${SCRIPT}${IMG}`;

/** Sets every string leaf the schema accepts as free text to markup (numbered); how many were set. */
function markupEverywhere(report: SummaryReport): number {
  const validate = reportValidator();
  let set = 0;
  const walk = (node: unknown, parent: Record<string, unknown> | unknown[], key: string | number) => {
    if (typeof node === 'string') {
      const holder = parent as Record<string | number, unknown>;
      holder[key] = `${BOTH}#${set}`;
      if (!('status' in (validate(report) as object))) set++;
      else holder[key] = node;
      return;
    }
    if (node && typeof node === 'object') {
      for (const [k, v] of Object.entries(node))
        walk(v, node as Record<string, unknown>, Array.isArray(node) ? Number(k) : k);
    }
  };
  for (const [k, v] of Object.entries(report)) {
    if (k !== 'agent' && k !== 'reportId') walk(v, report as unknown as Record<string, unknown>, k);
  }
  const host = report.agent.host as unknown as Record<string, unknown>;
  for (const [k, v] of Object.entries(host)) walk(v, host, k);
  return set;
}

async function probe(page: Page): Promise<{ pwned: unknown; scripts: number; injected: number; text: string }> {
  return page.evaluate(() => ({
    pwned: (window as unknown as { __pwned?: unknown }).__pwned,
    scripts: document.querySelectorAll('script').length,
    injected: document.querySelectorAll('img[src="x"], [onerror]').length,
    text: document.body.textContent ?? '',
  }));
}

t.test('markup in every string of a report is text on every dashboard page', async (t) => {
  const browser = await chromiumFor(t);
  if (!browser) return;
  const api = await startApi(t, sqliteBackend, { plugins: [dashboardPlugin as CollectorPlugin] });
  const agentId = `${SCRIPT}agent`;
  const { token } = await api.store.createToken({ kind: 'agent', subject: agentId });
  const report = vary(base(), { agentId, seq: 1, reportId: 'xss-1' });
  const fields = markupEverywhere(report);
  const [first, second] = report.datasets;
  if (!first || !second) throw new Error('the demo report has two datasets');
  first.id = SCRIPT;
  second.id = IMG;
  t.equal((await api.post(report, { token })).status, 201, 'the report with markup is stored');
  const other = vary(base(), { agentId: IMG, seq: 1, reportId: 'xss-2' });
  const imgToken = await api.store.createToken({ kind: 'agent', subject: IMG });
  t.equal((await api.post(other, { token: imgToken.token })).status, 201);

  // The policy forbids every script: bypassed here, so only the escaping stands between.
  const context = await browser.newContext({ bypassCSP: true });
  const page = await context.newPage();
  const dialogs: string[] = [];
  page.on('dialog', async (dialog) => {
    dialogs.push(dialog.message());
    await dialog.dismiss();
  });
  await page.goto(`${api.collector.url}/login`);
  await page.fill('#token', api.tokens.reader);
  await page.click('form[action="/login"] button[type=submit]');
  await page.waitForURL(`${api.collector.url}/`);

  const pages: Array<[string, string[]]> = [
    ['/', [SCRIPT, IMG, agentId]],
    [`/?name=${encodeURIComponent(BOTH)}`, [BOTH]],
    [`/agents/${encodeURIComponent(agentId)}`, [SCRIPT, IMG, `${BOTH}#`]],
    [`/agents/${encodeURIComponent(IMG)}`, [IMG]],
    [`/datasets/${encodeURIComponent(SCRIPT)}`, [SCRIPT]],
    [`/datasets/${encodeURIComponent(IMG)}`, [IMG]],
    ['/print', [SCRIPT, IMG]],
    [`/agents/${encodeURIComponent(BOTH)}`, []],
    [`/login?lang=${encodeURIComponent(BOTH)}`, []],
  ];
  let shown = 0;
  for (const [path, expected] of pages) {
    const response = await page.goto(`${api.collector.url}${path}`);
    t.ok(response && response.status() < 500, `${path}: answered`);
    const seen = await probe(page);
    t.equal(seen.pwned, undefined, `${path}: window.__pwned undefined`);
    t.equal(seen.scripts, 0, `${path}: no script element`);
    t.equal(seen.injected, 0, `${path}: no element made from a string`);
    for (const text of expected) {
      t.ok(seen.text.includes(text), `${path}: ${JSON.stringify(text)} shown as text`);
      if (seen.text.includes(text)) shown++;
    }
  }
  t.same(dialogs, [], 'no dialog fired');
  t.comment(
    `dashboard XSS: ${fields} string fields of the report set to markup, 2 datasets and 2 agents named with it; ${pages.length} pages opened in Chromium with the CSP bypassed: ${shown} markup strings shown as text, ${dialogs.length} dialogs, window.__pwned undefined`,
  );
});
