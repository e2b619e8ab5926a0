import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { cspViolations, launchBrowser, openPage, seriousAxeViolations, signIn } from './support/browser.js';
import { type Harness, startHarness } from './support/gatehouse-harness.js';
import { ensureWebBuild } from './support/web-build.js';

let harness: Harness;
let browser: Browser;
beforeAll(async () => {
  await ensureWebBuild();
  harness = await startHarness();
  browser = await launchBrowser();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await harness?.close();
});

it('explores the other screens', async () => {
  await harness.admin('PUT', '/v1/policy', {
    source:
      'version: 1\ndefaults: { decision: allow }\nrules:\n  - name: all-shell\n    match: { action: shell.execute }\n    require:\n      stages:\n        - { approvers: { role: moderator }, min: 1 }\n',
  });
  const page = await openPage(browser, harness.appUrl);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console ${m.text()}`);
  });
  await page.goto('/');
  await signIn(page, 'admin', harness.adminPassword);
  await page.getByRole('heading', { name: 'Welcome to Gatehouse' }).waitFor();
  const visit = async (path: string, text: string) => {
    await page.goto(path);
    try {
      await page.getByText(text).first().waitFor({ timeout: 8000 });
    } catch (e) {
      console.log('VISIT FAIL', path, page.url(), (await page.locator('body').innerText()).slice(0, 600));
      throw e;
    }
    const v = await seriousAxeViolations(page);
    console.log('VISIT', path, JSON.stringify(v), JSON.stringify(await cspViolations(page)));
    await page.screenshot({ path: `/tmp/shot-${path.replace(/\//g, '_')}.png`, fullPage: true });
  };
  await visit('/policy/versions', 'Compare two versions');
  await visit('/policy/simulator', 'Try an action');
  await page.getByLabel('Params (JSON)').fill('{ nope');
  await page.getByRole('button', { name: 'Explain the decision' }).click();
  await page.getByText('not valid JSON').waitFor();
  await visit('/admin/teams', 'New team');
  await page.getByLabel('Team name').fill('infra');
  await page.getByRole('button', { name: 'Create team' }).click();
  await page.getByRole('heading', { name: 'infra' }).waitFor();
  await page.getByLabel('Add user').selectOption('bob');
  await page.getByRole('button', { name: 'Add', exact: true }).click();
  await page.getByText('bob').first().waitFor();
  console.log('VISIT teams after', JSON.stringify(await seriousAxeViolations(page)));
  await page.screenshot({ path: '/tmp/shot-teams2.png', fullPage: true });
  await visit('/admin/groups', 'New approval group');
  await page.getByLabel('Group name').fill('operators');
  await page.getByRole('button', { name: 'Create group' }).click();
  await page.getByRole('heading', { name: 'operators' }).waitFor();
  await page.getByLabel('Member name').fill('infra');
  await page.getByLabel('Member type').selectOption('team');
  await page.getByRole('button', { name: 'Add', exact: true }).click();
  await page.locator('.member-list li').first().or(page.getByRole('alert')).waitFor();
  console.log(
    'VISIT group member',
    (await page.locator('main').innerText()).slice(0, 800).replace(/\n/g, ' | '),
  );
  await visit('/admin/tokens', 'Your API tokens');
  await page.getByRole('button', { name: 'New token for yourself' }).click();
  await page.getByTestId('new-token').waitFor();
  console.log('VISIT tokens after', JSON.stringify(await seriousAxeViolations(page)));
  await page.screenshot({ path: '/tmp/shot-tokens2.png', fullPage: true });
  await visit('/account', 'Your account');
  await visit('/nowhere', 'Nothing here');
  await page.goto('/');
  await page.keyboard.press('?');
  await page.getByRole('dialog', { name: 'Keyboard shortcuts' }).waitFor();
  console.log('VISIT help', JSON.stringify(await seriousAxeViolations(page)));
  await page.keyboard.press('Escape');
  await page.getByLabel('Theme').first().selectOption('dark');
  console.log(
    'VISIT dark',
    JSON.stringify(await seriousAxeViolations(page)),
    await page.evaluate(() => document.documentElement.dataset.theme),
  );
  await page.screenshot({ path: '/tmp/shot-dark.png', fullPage: true });
  await page.goto('/policy');
  console.log('VISIT dark policy', JSON.stringify(await seriousAxeViolations(page)));
  console.log('ERRORS', JSON.stringify(errors));
  expect(true).toBe(true);
}, 120_000);
