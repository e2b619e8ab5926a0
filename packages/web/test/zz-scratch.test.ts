import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, it } from 'vitest';
import { launchBrowser, openPage, signIn } from './support/browser.js';
import { type Harness, startHarness, USER_PASSWORD } from './support/gatehouse-harness.js';

let harness: Harness;
let browser: Browser;
beforeAll(async () => {
  harness = await startHarness();
  browser = await launchBrowser();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await harness?.close();
});

it('debug phone', async () => {
  const t = Date.now();
  const lap = (what: string) => console.log('LAP', what, Date.now() - t);
  await harness.agent('POST', '/v1/requests', {
    action: 'shell.execute',
    params: { command: 'kubectl rollout restart deploy/web' },
    reason: 'x',
  });
  lap('submitted');
  const page = await openPage(browser, harness.appUrl, { viewport: { width: 390, height: 844 } });
  lap('page');
  page.on('request', (r) => console.log('REQ', Date.now() - t, r.method(), r.url()));
  page.on('requestfinished', (r) => console.log('FIN', Date.now() - t, r.url()));
  await page.goto('/', { waitUntil: 'commit' });
  lap('commit');
  await page.getByLabel('Username').waitFor();
  lap('form');
  await signIn(page, 'mod', USER_PASSWORD);
  await page.locator('li[data-request-id]').first().waitFor();
  lap('queue');
  const wide = await page.evaluate(() => {
    const out: string[] = [];
    for (const el of Array.from(document.querySelectorAll('body *'))) {
      const r = el.getBoundingClientRect();
      if (r.right > window.innerWidth + 0.5)
        out.push(`${el.tagName}.${el.className} right=${Math.round(r.right)} w=${Math.round(r.width)}`);
    }
    return out.slice(0, 15);
  });
  console.log(wide.join('\n'));
  await page.screenshot({ path: '/tmp/phone.png' });
}, 60_000);
