import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ForbiddenError, NotFoundError, RefusedError, ValidationError } from '../domain-errors.js';
import {
  auditEvents,
  lastAudit,
  rejectionOf,
  seedAdmin,
  seedUser,
  sessionOf,
} from '../identity/identity-fixtures.test-support.js';
import { ENGINES } from '../storage/storage-test-engines.test-support.js';
import { listWebhookDeliveries } from '../storage/webhook-deliveries-dal.js';
import { listWebhookSubscriptions } from '../storage/webhooks-dal.js';
import {
  anAgent,
  type NotificationTestBed,
  openNotificationTestBed,
} from './notification-fixtures.test-support.js';
import { createWebhookDispatcher } from './webhook-dispatcher.js';
import { startWebhookReceiver, type WebhookReceiver } from './webhook-receiver.test-support.js';
import { createWebhookService, type WebhookService } from './webhook-service.js';
import type { ResolveHost, WebhookTargetPolicy } from './webhook-target-guard.js';

const POLICY = `
defaults: { decision: allow, expiresIn: 1h, onTimeout: deny, grantTtl: 5m }
rules:
  - name: gate-shell
    match: { action: shell.execute }
    require:
      stages:
        - { approvers: { role: moderator }, min: 1 }
`;

const admin = sessionOf('ada', 'admin');
const moderator = sessionOf('mo', 'moderator');
const STRICT: WebhookTargetPolicy = { allowPrivateTargets: false };

// The DNS port, answering for names the tests use (no real lookups, no traffic beyond loopback).
const dns: Record<string, string[]> = {
  'hooks.example.com': ['93.184.216.34'],
  'intranet.example.com': ['10.1.2.3'],
  'sneaky.example.com': ['93.184.216.34', '127.0.0.1'],
  localhost: ['127.0.0.1', '::1'],
  'mapped.example.com': ['::ffff:192.168.1.1'],
};
const resolve: ResolveHost = async (host) => {
  const addresses = dns[host];
  if (addresses === undefined) throw new Error('ENOTFOUND');
  return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
};

for (const engine of ENGINES) {
  describe(`webhook service (${engine})`, () => {
    let bed: NotificationTestBed;
    let strict: WebhookService;
    let receiver: WebhookReceiver;

    beforeAll(async () => {
      bed = await openNotificationTestBed(engine, POLICY);
      await seedAdmin(bed.storage.db, 'ada');
      await seedUser(bed.storage.db, 'mo', { role: 'moderator' });
      strict = createWebhookService({
        db: bed.storage.db,
        now: () => bed.clock.now,
        targets: STRICT,
        resolve,
      });
    });
    beforeEach(async () => {
      receiver = await startWebhookReceiver();
      for (const webhook of await strict.list(admin)) await strict.delete(admin, webhook.id);
    });
    afterEach(async () => {
      await receiver.close();
    });
    afterAll(async () => {
      await bed?.storage.dispose();
    });

    it('creates, lists and deletes subscriptions, showing the secret once and auditing each change', async () => {
      const created = await strict.create(admin, {
        url: 'https://hooks.example.com/gatehouse?token=abc',
        eventTypes: ['request.created', 'request.created', 'grant.consumed'],
      });
      expect(created.webhook).toMatchObject({
        url: 'https://hooks.example.com/gatehouse?token=abc',
        eventTypes: ['request.created', 'grant.consumed'],
        active: true,
        createdBy: 'user:ada',
      });
      const listed = await strict.list(admin);
      expect(listed).toEqual([created.webhook]);
      expect(JSON.stringify(listed)).not.toContain(created.secret);
      const audit = await lastAudit(bed.storage.db, 'webhook.created');
      expect(audit).toMatchObject({
        actor: 'user:ada',
        subject: `webhook:${created.webhook.id}`,
        // The query string (which may carry a token) is not audited, nor is the secret.
        data: {
          url: 'https://hooks.example.com/gatehouse',
          eventTypes: ['request.created', 'grant.consumed'],
        },
      });
      expect(JSON.stringify(await auditEvents(bed.storage.db))).not.toContain(created.secret);

      await strict.delete(admin, created.webhook.id);
      expect(await strict.list(admin)).toEqual([]);
      expect(await lastAudit(bed.storage.db, 'webhook.deleted')).toMatchObject({
        subject: `webhook:${created.webhook.id}`,
      });
      expect(await rejectionOf(strict.delete(admin, created.webhook.id))).toBeInstanceOf(NotFoundError);
    });

    it('refuses a non-admin (a moderator) and audits the refusal', async () => {
      const error = await rejectionOf(
        strict.create(moderator, { url: 'https://hooks.example.com/x', eventTypes: ['*'] }),
      );
      expect(error).toBeInstanceOf(ForbiddenError);
      expect(await lastAudit(bed.storage.db, 'permission.denied')).toMatchObject({
        actor: 'user:mo',
        data: { operation: 'webhook.create', reason: 'admin-only' },
      });
      expect(await rejectionOf(strict.list(moderator))).toBeInstanceOf(ForbiddenError);
      expect(await lastAudit(bed.storage.db, 'permission.denied')).toMatchObject({
        data: { operation: 'webhook.list' },
      });
      expect(await listWebhookSubscriptions(bed.storage.db)).toEqual([]);
    });

    it('refuses loopback, private, link-local, unique-local, metadata and non-http targets, audited', async () => {
      const cases: [string, string][] = [
        ['http://127.0.0.1:8080/hook', 'target-not-allowed'],
        ['http://localhost/hook', 'target-not-allowed'],
        ['http://[::1]/hook', 'target-not-allowed'],
        ['http://0.0.0.0/hook', 'target-not-allowed'],
        ['http://10.0.0.5/hook', 'target-not-allowed'],
        ['http://172.20.1.1/hook', 'target-not-allowed'],
        ['http://192.168.1.10/hook', 'target-not-allowed'],
        ['http://169.254.169.254/latest/meta-data/', 'target-not-allowed'],
        ['http://[fe80::1]/hook', 'target-not-allowed'],
        ['http://[fd00:ec2::254]/hook', 'target-not-allowed'],
        ['http://metadata.google.internal/computeMetadata/v1/', 'target-not-allowed'],
        ['http://intranet.example.com/hook', 'target-not-allowed'],
        ['http://sneaky.example.com/hook', 'target-not-allowed'],
        ['http://mapped.example.com/hook', 'target-not-allowed'],
        ['http://2130706433/hook', 'target-not-allowed'],
        ['file:///etc/passwd', 'scheme-not-allowed'],
        ['gopher://hooks.example.com/', 'scheme-not-allowed'],
        ['https://user:pw@hooks.example.com/hook', 'credentials-in-url'],
      ];
      for (const [url, code] of cases) {
        const error = await rejectionOf(strict.create(admin, { url, eventTypes: ['*'] }));
        expect(error, url).toBeInstanceOf(RefusedError);
        expect((error as RefusedError).reason, url).toBe(`webhook-${code}`);
        const audit = await lastAudit(bed.storage.db, 'webhook.refused');
        expect(audit?.actor).toBe('user:ada');
        expect(audit?.data, url).toMatchObject({ code });
        expect(JSON.stringify(audit?.data)).not.toContain('pw@');
      }
      expect(await listWebhookSubscriptions(bed.storage.db)).toEqual([]);
    });

    it('rejects malformed input without auditing it as an attack', async () => {
      expect(await rejectionOf(strict.create(admin, { url: 'not a url', eventTypes: ['*'] }))).toBeInstanceOf(
        ValidationError,
      );
      expect(
        await rejectionOf(strict.create(admin, { url: 'https://nx.example.com/', eventTypes: ['*'] })),
      ).toBeInstanceOf(ValidationError);
      for (const eventTypes of [[], ['Request Created'], ['webhook.delivery.refused']]) {
        expect(
          await rejectionOf(strict.create(admin, { url: 'https://hooks.example.com/', eventTypes })),
        ).toBeInstanceOf(ValidationError);
      }
    });

    it('allows a private target when its host is allow-listed, and connects to the address it checked', async () => {
      // hooks.internal.test resolves (through the DNS port) to the loopback receiver: only the
      // address the guard checked is dialled, so the delivery arrives without any real lookup.
      const targets = { allowPrivateTargets: false, allowedHosts: ['Hooks.Internal.test'] };
      const internal: ResolveHost = async (host) =>
        host === 'hooks.internal.test' ? [{ address: '127.0.0.1', family: 4 }] : resolve(host);
      const listed = createWebhookService({
        db: bed.storage.db,
        now: () => bed.clock.now,
        targets,
        resolve: internal,
      });
      const url = `http://hooks.internal.test:${new URL(receiver.url).port}/hook`;
      const { webhook } = await listed.create(admin, { url, eventTypes: ['request.created'] });
      expect(webhook.url).toBe(url);
      await bed.service.submit(anAgent('bot', 'olga'), {
        action: 'shell.execute',
        params: { command: 'id' },
      });
      const dispatcher = createWebhookDispatcher({
        db: bed.storage.db,
        now: () => bed.clock.now,
        nodeId: 'node-a',
        targets,
        resolve: internal,
      });
      await dispatcher.runOnce();
      expect(receiver.received).toHaveLength(1);
      expect(receiver.received[0]?.headers.host).toBe(`hooks.internal.test:${new URL(receiver.url).port}`);
    });

    it('refuses at delivery a target whose DNS now points inside, audited, without connecting', async () => {
      // Created while the name resolved to a public address...
      const rebinding: Record<string, string> = { 'hooks.example.com': '93.184.216.34' };
      const webhooks = createWebhookService({
        db: bed.storage.db,
        now: () => bed.clock.now,
        targets: STRICT,
        resolve: async (host) => [{ address: rebinding[host] ?? '', family: 4 }],
      });
      const port = new URL(receiver.url).port;
      const { webhook } = await webhooks.create(admin, {
        url: `http://hooks.example.com:${port}/hook`,
        eventTypes: ['*'],
      });
      await bed.service.submit(anAgent('bot', 'olga'), {
        action: 'shell.execute',
        params: { command: 'ls' },
      });
      // ...and now it points at the loopback receiver.
      rebinding['hooks.example.com'] = '127.0.0.1';
      const dispatcher = createWebhookDispatcher({
        db: bed.storage.db,
        now: () => bed.clock.now,
        nodeId: 'node-a',
        targets: STRICT,
        resolve: async (host) => [{ address: rebinding[host] ?? '', family: 4 }],
        random: () => 0,
      });
      await dispatcher.runOnce();
      await dispatcher.runOnce(); // the refusal's own audit record is never delivered: no loop
      expect(receiver.received).toEqual([]);
      const log = await listWebhookDeliveries(webhook.id, 50, bed.storage.db);
      expect(log.some((d) => d.eventType.startsWith('webhook.delivery.'))).toBe(false);
      const refused = log.filter((d) => d.error?.startsWith('target refused'));
      expect(refused.length).toBeGreaterThan(0);
      expect(refused[0]?.error).toContain('127.0.0.1');
      const audit = await lastAudit(bed.storage.db, 'webhook.delivery.refused');
      expect(audit).toMatchObject({
        actor: 'system',
        subject: `webhook:${webhook.id}`,
        data: { code: 'target-not-allowed' },
      });
    });

    it('lists deliveries and redelivers only for the admin, and 404s on unknown ids', async () => {
      expect(await rejectionOf(strict.listDeliveries(admin, 'nope'))).toBeInstanceOf(NotFoundError);
      expect(await rejectionOf(strict.redeliver(admin, 'nope'))).toBeInstanceOf(NotFoundError);
      expect(await rejectionOf(strict.redeliver(moderator, 'nope'))).toBeInstanceOf(ForbiddenError);
      expect(await lastAudit(bed.storage.db, 'permission.denied')).toMatchObject({
        actor: 'user:mo',
        data: { operation: 'webhook.redeliver' },
      });
    });
  });
}
