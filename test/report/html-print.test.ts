// The HTML report as a real browser prints it (headless Chromium, print media): the policy, whole
// hashes and local times are on the printed page, not only in the markup.
import { existsSync } from 'node:fs';
import t from 'tap';
import { renderHtml } from '../../src/report/render/html.js';
import { SHA_A, sampleReport } from './fixture.js';

const CHROMIUM = '/usr/bin/chromium';
// Debian's browser, driven by playwright-core: `npx playwright install` cannot download a browser here.
const skip = existsSync(CHROMIUM)
  ? false
  : `needs ${CHROMIUM} (apt-get install -y chromium): only a real browser shows what printing hides`;

t.test('printed in Chromium, the page shows each policy, whole hashes and local times', { skip }, async (t) => {
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
    ],
  });
  t.teardown(() => browser.close());
  const page = await browser.newPage();
  await page.setContent(renderHtml(sampleReport(), { lang: 'en', timeZone: 'Asia/Ho_Chi_Minh' }));
  await page.emulateMedia({ media: 'print' });
  const policies = page.getByText('minimum copies', { exact: true });
  t.equal(await policies.count(), 4, 'a policy table per dataset');
  for (let i = 0; i < 4; i++) t.ok(await policies.nth(i).isVisible(), `policy ${i + 1} is on the printed page`);
  // Visible on the printed page, not only present: a title attribute or a collapsed element would not do.
  const sha = page.locator('code.sha').first();
  t.ok(await sha.isVisible(), 'a sha256 is printed');
  t.equal(await sha.textContent(), SHA_A, 'whole, even wrapped over lines');
  t.ok(await page.getByText('2026-11-24 19:00:00+07:00').isVisible(), 'the time in Hanoi, with its offset');
  const pdf = await page.pdf({ format: 'A4' });
  t.ok(pdf.subarray(0, 5).toString() === '%PDF-', 'Chromium prints it to a PDF');
});
