// Headless Chromium (Debian's /usr/bin/chromium, driven by playwright-core; nothing downloaded) for
// the fault suite's browser tests, or why it cannot run here: a skip with its reason, a failure in CI.
import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';
import type { Test } from 'tap';

export const CHROMIUM = '/usr/bin/chromium';

/** The browser (closed at teardown), or null after declaring the skip (or the CI failure). */
export async function chromiumFor(t: Test): Promise<Browser | null> {
  let why: string | undefined;
  if (!existsSync(CHROMIUM)) why = `needs Chromium at ${CHROMIUM} (apt-get install chromium)`;
  let browser: Browser | null = null;
  if (!why) {
    try {
      browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    } catch (error) {
      why = `Chromium at ${CHROMIUM} did not start: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`;
    }
  }
  if (why) {
    if (process.env.CI) t.fail(`CI runs every browser test: ${why}`);
    else t.test('headless Chromium', { skip: why }, async () => {});
    return null;
  }
  const started = browser as Browser;
  t.teardown(() => started.close());
  return started;
}
