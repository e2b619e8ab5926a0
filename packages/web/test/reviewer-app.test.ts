import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditRecord, RequestDetail } from '../src/api/api-types.js';
import { expectStatus } from './support/api-caller.js';
import {
  cspViolations,
  launchBrowser,
  openPage,
  saveScreenshot,
  seriousAxeViolations,
  signIn,
} from './support/browser.js';
import {
  BROWSER_TEST_POLICY,
  type Harness,
  startHarness,
  USER_PASSWORD,
} from './support/gatehouse-harness.js';
import { DIST_DIR, ensureWebBuild } from './support/web-build.js';

// The reviewer app in headless Chromium against a real Gatehouse (SQLite, port 0). The
// scenarios run in order and share one server: requests made by one are seen by the next.

const NEW_ADMIN_PASSWORD = 'a much longer admin passphrase';
const WEB_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
  "font-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

let harness: Harness;
let browser: Browser;
let mod: Page;

async function submitAsAgent(
  action: string,
  params: Record<string, unknown>,
  reason: string,
  extra: Record<string, unknown> = {},
): Promise<string> {
  const body = expectStatus(
    await harness.agent<{ request: { id: string; status: string } }>('POST', '/v1/requests', {
      action,
      params,
      reason,
      ...extra,
    }),
    201,
    `submit ${action}`,
  );
  expect(body.request.status).toBe('pending');
  return body.request.id;
}

async function auditOf(subject: string, type: string): Promise<AuditRecord[]> {
  const page = expectStatus(
    await harness.admin<{ records: AuditRecord[] }>(
      'GET',
      `/v1/audit?subject=${encodeURIComponent(subject)}&type=${encodeURIComponent(type)}`,
    ),
    200,
    'read the audit log',
  );
  return page.records;
}

async function expectAccessible(page: Page): Promise<void> {
  expect(await seriousAxeViolations(page)).toEqual([]);
  expect(await cspViolations(page)).toEqual([]);
}

beforeAll(async () => {
  await ensureWebBuild();
  harness = await startHarness();
  browser = await launchBrowser();
  mod = await openPage(browser, harness.appUrl);
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await harness?.close();
});

describe('the reviewer web app', () => {
  it('is served with the strict CSP, cache headers, and no inline script or style', async () => {
    const html = await readFile(path.join(DIST_DIR, 'index.html'), 'utf8');
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(html).not.toMatch(/<style[\s>]/);
    expect(html).not.toMatch(/\sstyle=/);
    expect(html).not.toMatch(/https?:\/\//);

    const page = await fetch(`${harness.appUrl}/requests/anything`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toBe(WEB_CSP);
    expect(page.headers.get('cache-control')).toBe('no-cache');
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    const script = /<script[^>]*src="(\/assets\/[^"]+)"/.exec(await page.text())?.[1];
    expect(script).toBeDefined();
    const asset = await fetch(`${harness.appUrl}${script}`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    await asset.body?.cancel();
    const api = await fetch(`${harness.appUrl}/v1/nope`);
    expect(api.status).toBe(401);
    await api.body?.cancel();
  });

  it('signs a moderator in (and sends a signed-out visitor to sign-in first)', async () => {
    await mod.goto('/');
    await expect.poll(() => new URL(mod.url()).pathname).toBe('/sign-in');
    await mod.getByRole('heading', { name: 'Gatehouse' }).waitFor();
    await mod.getByText('No single sign-on provider is configured').waitFor();
    await expectAccessible(mod);
    await saveScreenshot(mod, 'sign-in');

    await signIn(mod, 'mod', 'wrong password, surely');
    await mod.getByRole('alert').getByText('do not match').waitFor();
    await signIn(mod, 'mod', USER_PASSWORD);
    await mod.getByRole('heading', { name: 'Queue' }).waitFor();
    expect(new URL(mod.url()).pathname).toBe('/');
    await mod.getByText('No requests yet').waitFor();
  });

  it('shows a request the agent submits through the API live, without a reload', async () => {
    await mod.locator('[data-live-status="live"]').waitFor();
    await mod.evaluate(() => {
      (window as unknown as { __sameDocument: boolean }).__sameDocument = true;
    });
    const id = await submitAsAgent(
      'shell.execute',
      { command: 'cd app && git push --force origin main' },
      'The release branch is broken; this restores it',
    );
    const row = mod.locator(`li[data-request-id="${id}"]`);
    await row.waitFor();
    await expect.poll(() => row.textContent()).toContain('Awaiting your vote');
    expect(await row.textContent()).toContain('shell.execute');
    expect(await mod.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument)).toBe(
      true,
    );
    await expectAccessible(mod);
    await saveScreenshot(mod, 'queue');
  });

  it('approves in the UI, and the agent’s waiting long-poll returns approved with a grant', async () => {
    const id = await submitAsAgent(
      'deploy.production',
      {
        service: 'billing',
        before: 'image: billing:4.1.0\nreplicas: 2\n',
        after: 'image: billing:4.2.0\nreplicas: 2\n',
      },
      'Weekly release',
      { onBehalfOf: 'bob', context: { environment: 'prod', ticket: 'REL-7', risk: 'low' } },
    );
    const waiting = harness.agent<RequestDetail & { grantToken?: string }>(
      'GET',
      `/v1/requests/${encodeURIComponent(id)}/wait?timeout=25`,
    );
    await mod.locator(`li[data-request-id="${id}"] a`).click();
    await mod.locator(`article[data-request-id="${id}"]`).waitFor();
    await mod.getByText('Claimed by the agent, not verified.').waitFor();
    await mod.getByText('Weekly release').waitFor();
    // Three labelled sections; what the agent wrote appears under Claimed and nowhere else.
    const verified = mod.getByRole('region', { name: 'Verified Verified by Gatehouse' });
    const bound = mod.getByRole('region', { name: 'Bound Bound by the grant' });
    const claimed = mod.getByRole('region', { name: 'Claimed Claimed by the agent — not verified' });
    const verifiedText = (await verified.textContent()) ?? '';
    expect(verifiedText).toMatch(/agent\s*deploy-bot/);
    expect(verifiedText).toContain('on the agent’s actsFor list');
    for (const claim of ['Weekly release', 'REL-7', 'low', 'billing', 'prod'])
      expect(verifiedText).not.toContain(claim);
    const boundText = (await bound.textContent()) ?? '';
    expect(boundText).toContain('deploy.production');
    expect(boundText).toContain('billing');
    expect(boundText).toMatch(/environment\s*prod/);
    expect(boundText).not.toContain('Weekly release');
    expect(boundText).not.toContain('REL-7');
    const claimedText = (await claimed.textContent()) ?? '';
    expect(claimedText).toContain('Weekly release');
    expect(claimedText).toContain('REL-7');
    expect(claimedText).not.toContain('deploy.production');
    expect(await mod.locator('.diff-removed').textContent()).toContain('image: billing:4.1.0');
    expect(await mod.locator('.diff-added').textContent()).toContain('image: billing:4.2.0');
    await expectAccessible(mod);
    await saveScreenshot(mod, 'request-detail');

    await mod.getByRole('button', { name: 'Approve', exact: true }).click();
    const dialog = mod.getByRole('dialog', { name: 'Approve this request' });
    await dialog.getByLabel('Comment (optional)').fill('Release checklist done');
    await dialog.getByRole('button', { name: 'Approve', exact: true }).click();
    await mod.locator(`article[data-request-id="${id}"][data-status="approved"]`).waitFor();

    const answer = await waiting;
    expect(answer.status).toBe(200);
    expect(answer.body.status).toBe('approved');
    expect(answer.body.grantToken).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(answer.body.reviews).toEqual([
      expect.objectContaining({ reviewer: 'mod', decision: 'approve', comment: 'Release checklist done' }),
    ]);
  });

  it('denies from the queue with the keyboard, and the reason is required and kept', async () => {
    const id = await submitAsAgent('deploy.staging', { service: 'search' }, 'Try the new index');
    await mod.getByRole('link', { name: '← Queue' }).click();
    const row = mod.locator(`li[data-request-id="${id}"]`);
    await row.waitFor();
    await mod.getByRole('heading', { name: 'Queue' }).click();
    await mod.keyboard.press('j');
    await expect.poll(() => row.getAttribute('class')).toContain('request-row-selected');
    await mod.keyboard.press('d');
    const dialog = mod.getByRole('dialog', { name: 'Deny this request' });
    const reason = dialog.getByLabel('Reason (required)');
    await expect.poll(() => reason.evaluate((element) => element === document.activeElement)).toBe(true);
    await mod.keyboard.type('Staging is frozen until Monday');
    await dialog.getByRole('button', { name: 'Deny', exact: true }).click();
    await expect.poll(() => row.textContent()).toContain('Denied');

    const stored = expectStatus(
      await harness.admin<RequestDetail>('GET', `/v1/requests/${id}`),
      200,
      'read it',
    );
    expect(stored.status).toBe('denied');
    expect(stored.reviews[0]).toMatchObject({
      reviewer: 'mod',
      decision: 'deny',
      comment: 'Staging is frozen until Monday',
    });
  });

  it('security: an ineligible reviewer sees disabled buttons with the reason, and a forced vote is refused (403) and audited', async () => {
    const id = await submitAsAgent('shell.execute', { command: 'systemctl restart api' }, 'It is stuck');
    const bob = await openPage(browser, harness.appUrl);
    try {
      await bob.goto(`/requests/${id}`);
      await signIn(bob, 'bob', USER_PASSWORD);
      await bob.locator(`article[data-request-id="${id}"]`).waitFor();
      expect(new URL(bob.url()).pathname).toBe(`/requests/${id}`);
      await expect
        .poll(() => bob.getByRole('button', { name: 'Approve', exact: true }).isDisabled())
        .toBe(true);
      expect(await bob.getByRole('button', { name: 'Deny', exact: true }).isDisabled()).toBe(true);
      const whyNot = await bob.getByTestId('why-not').textContent();
      expect(whyNot).toContain('owns the requesting agent');

      const forced = await bob.evaluate(async (requestId) => {
        const csrf = /(?:^|; )gatehouse_csrf=([^;]+)/.exec(document.cookie)?.[1] ?? '';
        const response = await fetch(`/v1/requests/${requestId}/reviews`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-csrf-token': decodeURIComponent(csrf) },
          body: JSON.stringify({ decision: 'approve' }),
        });
        return { status: response.status, body: (await response.json()) as { reason?: string } };
      }, id);
      expect(forced.status).toBe(403);
      expect(forced.body.reason).toBe('self-approval');
      const refusals = await auditOf(`request:${id}`, 'review.refused');
      expect(refusals).toHaveLength(1);
      expect(refusals[0]).toMatchObject({ actor: 'user:bob' });
      const stored = expectStatus(
        await harness.admin<RequestDetail>('GET', `/v1/requests/${id}`),
        200,
        'read it',
      );
      expect(stored.status).toBe('pending');
      expect(stored.reviews).toEqual([]);
    } finally {
      await bob.context().close();
    }
  });

  it('sends a reviewer whose session ended to sign-in, and back to the request afterwards', async () => {
    const id = await submitAsAgent('shell.execute', { command: 'df -h' }, 'Disk check');
    await mod.goto(`/requests/${id}`);
    await mod.locator(`article[data-request-id="${id}"]`).waitFor();
    // The live stream would notice the ended session too (and also lead to sign-in); hold it
    // off so that this test sees the 401 of an ordinary call, the reviewer's own click.
    await mod.route('**/v1/events', (route) => route.abort());
    // End the session on the server, as an expiry or a revocation would.
    const cookies = await mod.context().cookies();
    const header = cookies.map((cookie) => `${cookie.name}=${cookie.value}`).join('; ');
    const csrf = cookies.find((cookie) => cookie.name === 'gatehouse_csrf')?.value ?? '';
    const logout = await fetch(`${harness.apiUrl}/v1/auth/logout`, {
      method: 'POST',
      headers: { cookie: header, 'x-csrf-token': csrf },
    });
    expect(logout.status).toBeLessThan(300);

    await mod.getByRole('button', { name: 'Approve', exact: true }).click();
    await mod
      .getByRole('dialog', { name: 'Approve this request' })
      .getByRole('button', { name: 'Approve', exact: true })
      .click();
    await expect.poll(() => new URL(mod.url()).pathname).toBe('/sign-in');
    await mod.getByText('Your session ended').waitFor();
    await mod.unroute('**/v1/events');
    await signIn(mod, 'mod', USER_PASSWORD);
    await mod.locator(`article[data-request-id="${id}"]`).waitFor();
    expect(new URL(mod.url()).pathname).toBe(`/requests/${id}`);
    // Nothing was voted while signed out.
    const stored = expectStatus(
      await harness.admin<RequestDetail>('GET', `/v1/requests/${id}`),
      200,
      'read it',
    );
    expect(stored.reviews).toEqual([]);
  });

  describe('as the admin', () => {
    let admin: Page;

    beforeAll(async () => {
      admin = await openPage(browser, harness.appUrl);
    });

    afterAll(async () => {
      await admin?.context().close();
    });

    it('walks the admin through the first run: the generated password must be changed', async () => {
      await admin.goto('/');
      await signIn(admin, 'admin', harness.adminPassword);
      await admin.getByRole('heading', { name: 'Welcome to Gatehouse' }).waitFor();
      expect(new URL(admin.url()).pathname).toBe('/first-run');
      await admin.getByLabel('Current password').fill(harness.adminPassword);
      await admin.getByLabel('New password', { exact: true }).fill(NEW_ADMIN_PASSWORD);
      await admin.getByLabel('New password again').fill(NEW_ADMIN_PASSWORD);
      await admin.getByRole('button', { name: 'Change password' }).click();
      await admin.getByText('Your password was changed').waitFor();
      await signIn(admin, 'admin', NEW_ADMIN_PASSWORD);
      await admin.getByRole('heading', { name: 'Queue' }).waitFor();
      expect(await admin.getByText('one-time admin password').count()).toBe(0);
      expect(await auditOf('user:admin', 'user.password.changed')).toHaveLength(1);
    });

    it('overrides with a justification, behind a dialog naming the consequences', async () => {
      const id = await submitAsAgent(
        'shell.execute',
        { command: 'psql -c "vacuum full"' },
        'Database is bloated',
      );
      await admin.goto(`/requests/${id}`);
      await admin.getByTestId('shell-parts').getByText('vacuum full').waitFor();
      await admin.getByRole('button', { name: 'Emergency override…' }).click();
      const dialog = admin.getByRole('dialog', { name: 'Emergency override' });
      await dialog.getByText('issue a grant, so the agent can run the action').waitFor();
      await dialog.getByText('It cannot be undone.').waitFor();
      await dialog.getByRole('button', { name: 'Override and approve' }).click();
      await dialog.getByText('An override needs a justification').waitFor();
      await dialog.getByLabel('Justification (required)').fill('Outage: the database is out of disk');
      await dialog.getByRole('button', { name: 'Override and approve' }).click();
      await admin.locator(`article[data-request-id="${id}"][data-status="approved"]`).waitFor();
      await admin.getByText('Overridden', { exact: true }).first().waitFor();

      const stored = expectStatus(
        await harness.admin<RequestDetail>('GET', `/v1/requests/${id}`),
        200,
        'read it',
      );
      expect(stored.override).toMatchObject({
        by: 'admin',
        justification: 'Outage: the database is out of disk',
      });
      expect(await auditOf(`request:${id}`, 'request.overridden')).toHaveLength(1);
    });

    it('shows the policy, and an invalid new version’s error at its line', async () => {
      await admin.goto('/policy');
      await admin.getByTestId('rules-table').getByText('shell-review').waitFor();
      await admin.locator('[data-testid="active-source"] [data-line="1"]').waitFor();
      await expectAccessible(admin);
      await saveScreenshot(admin, 'policy');

      await admin.getByRole('link', { name: 'Simulator' }).click();
      await admin.getByRole('button', { name: 'Explain the decision' }).click();
      const explanation = admin.getByTestId('explanation');
      await explanation.getByText('Needs human approval').waitFor();
      expect(await explanation.textContent()).toContain('shell-review');
      expect(await explanation.textContent()).toContain('git push --force');

      await admin.getByRole('link', { name: 'Edit' }).click();
      const bad = BROWSER_TEST_POLICY.replace('risk: high', 'risk: extreme');
      const line = bad.split('\n').findIndex((text) => text.includes('risk: extreme')) + 1;
      await admin.getByLabel('Policy YAML').fill(bad);
      await admin.getByRole('button', { name: 'Apply as the new version' }).click();
      const issue = admin.locator(`[data-issue-line="${line}"]`);
      await issue.waitFor();
      expect(await issue.textContent()).toContain(`Line ${line}, column`);
      expect(await issue.textContent()).toContain('extreme');
      expect(await admin.locator(`.source-line-error[data-line="${line}"]`).textContent()).toContain(
        'risk: extreme',
      );
      await admin.getByText('Not applied').waitFor();
      const active = expectStatus(
        await harness.admin<{ source: string }>('GET', '/v1/policy'),
        200,
        'read the policy',
      );
      expect(active.source).toBe(BROWSER_TEST_POLICY);
    });

    it('shows the audit log, verifies the chain, and offers the export', async () => {
      await admin.goto('/audit');
      await admin.getByTestId('audit-table').getByText('request.overridden').first().waitFor();
      await admin.getByRole('button', { name: 'Verify the chain' }).click();
      await admin.getByTestId('verify-result').getByText('Chain intact.').waitFor();
      expect(await admin.getByRole('link', { name: 'Export (JSON Lines)' }).getAttribute('href')).toBe(
        '/v1/audit/export',
      );
      await expectAccessible(admin);
      await saveScreenshot(admin, 'audit');
    });

    it('shows the administration screens and a new agent token once', async () => {
      await admin.goto('/admin/users');
      await admin.getByTestId('users-table').getByText('carol').waitFor();
      await admin.getByText('There is exactly one admin').waitFor();
      await expectAccessible(admin);
      await saveScreenshot(admin, 'admin');

      await admin.goto('/admin/agents');
      const agent = admin.locator('[data-agent="deploy-bot"]');
      await agent.getByRole('button', { name: 'Tokens' }).click();
      await agent.getByRole('button', { name: 'New token for deploy-bot' }).click();
      const token = await agent.getByTestId('new-token').textContent();
      expect(token).toMatch(/\S{20,}/);
      await agent.getByRole('button', { name: 'Copy token' }).waitFor();
      await expectAccessible(admin);
    });

    it('opens an emergency window behind a dialog naming its consequences, and closes it', async () => {
      await admin.goto('/admin/emergency');
      await admin.getByText('No emergency window has been opened.').waitFor();
      await admin.getByRole('button', { name: 'Open an emergency window…' }).click();
      const dialog = admin.getByRole('dialog', { name: 'Open an emergency window' });
      await dialog.getByText('approved at once, without any reviewer').waitFor();
      await dialog.getByLabel(/^Actions/).fill('deploy.hotfix');
      await dialog.getByLabel('Reason (required)').fill('Incident 42: hotfix rollout');
      await dialog.getByLabel('Closes after').selectOption('30m');
      await dialog.getByRole('button', { name: 'Open the window' }).click();
      await admin.getByTestId('emergency-banner').getByText('deploy.hotfix').waitFor();
      await expectAccessible(admin);

      const submitted = expectStatus(
        await harness.agent<{ request: { id: string; status: string } }>('POST', '/v1/requests', {
          action: 'deploy.hotfix',
          params: { service: 'billing' },
        }),
        201,
        'submit during the window',
      );
      expect(submitted.request.status).toBe('approved');
      expect(await auditOf(`request:${submitted.request.id}`, 'request.emergency-approved')).toHaveLength(1);

      await admin.getByRole('button', { name: 'Close now' }).click();
      await admin.getByTestId('emergency-banner').waitFor({ state: 'detached' });
      await admin.getByTestId('emergency-windows').getByText('closed', { exact: true }).waitFor();
    });
  });

  it('fits a phone (390×844): the queue without sideways scrolling, in light and dark', async () => {
    await mod.setViewportSize({ width: 390, height: 844 });
    await mod.goto('/');
    await mod.locator('li[data-request-id]').first().waitFor();
    const overflow = await mod.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await expectAccessible(mod);
    await saveScreenshot(mod, 'queue-phone');
    await mod.emulateMedia({ colorScheme: 'dark' });
    expect(await mod.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe('rgb(15, 17, 21)');
    await expectAccessible(mod);
    await mod.emulateMedia({ colorScheme: 'light' });
  });
});
