import { Webhook } from 'standardwebhooks';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { auditEvents, seedAdmin, sessionOf } from '../identity/identity-fixtures.test-support.js';
import { ENGINES } from '../storage/storage-test-engines.test-support.js';
import { claimDueWebhookDeliveries, listWebhookDeliveries } from '../storage/webhook-deliveries-dal.js';
import {
  anAgent,
  type NotificationTestBed,
  openNotificationTestBed,
} from './notification-fixtures.test-support.js';
import { createWebhookDispatcher, type WebhookDispatcher } from './webhook-dispatcher.js';
import { startWebhookReceiver, type WebhookReceiver } from './webhook-receiver.test-support.js';
import { createWebhookService, type WebhookService } from './webhook-service.js';

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
const bot = anAgent('bot', 'olga');
const LOCAL = { allowPrivateTargets: true };

for (const engine of ENGINES) {
  describe(`webhook delivery (${engine})`, () => {
    let bed: NotificationTestBed;
    let receiver: WebhookReceiver;
    let webhooks: WebhookService;
    const dispatchers: WebhookDispatcher[] = [];

    beforeAll(async () => {
      bed = await openNotificationTestBed(engine, POLICY);
      await seedAdmin(bed.storage.db, 'ada');
      webhooks = createWebhookService({ db: bed.storage.db, now: () => bed.clock.now, targets: LOCAL });
    });
    beforeEach(async () => {
      // Each test starts at the real time: receivers check webhook-timestamp against their clock.
      bed.clock.now = Date.now();
      receiver = await startWebhookReceiver();
      for (const webhook of await webhooks.list(admin)) await webhooks.delete(admin, webhook.id);
    });
    afterEach(async () => {
      await Promise.all(dispatchers.splice(0).map((d) => d.stop()));
      await receiver.close();
    });
    afterAll(async () => {
      await bed?.storage.dispose();
    });

    function dispatcher(nodeId = 'node-a', random = () => 0.5): WebhookDispatcher {
      const created = createWebhookDispatcher({
        db: bed.storage.db,
        now: () => bed.clock.now,
        nodeId,
        targets: LOCAL,
        random,
        events: bed.events,
      });
      dispatchers.push(created);
      return created;
    }

    const submitPending = (command = 'ls') =>
      bed.service.submit(bot, { action: 'shell.execute', params: { command } });

    it('delivers a subscribed event that verifies with the standardwebhooks package', async () => {
      const { webhook, secret } = await webhooks.create(admin, {
        url: receiver.url,
        eventTypes: ['request.created'],
      });
      expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
      const submitted = await submitPending('git status');
      expect(await dispatcher().runOnce()).toEqual({ enqueued: 1, attempted: 1 });

      expect(receiver.received).toHaveLength(1);
      const [delivery] = receiver.received;
      const headers = {
        'webhook-id': String(delivery?.headers['webhook-id']),
        'webhook-timestamp': String(delivery?.headers['webhook-timestamp']),
        'webhook-signature': String(delivery?.headers['webhook-signature']),
      };
      const payload = new Webhook(secret).verify(delivery?.body ?? '', headers) as Record<string, never>;
      expect(payload).toMatchObject({
        type: 'request.created',
        timestamp: new Date(bed.clock.now).toISOString(),
        data: { subject: `request:${submitted.request.id}`, actor: 'agent:bot', action: 'shell.execute' },
      });
      expect(headers['webhook-id']).toBe(`msg_${webhook.id}_${(payload.data as { seq: number }).seq}`);
      expect(delivery?.headers['content-type']).toBe('application/json');
      // A wrong secret does not verify.
      expect(() =>
        new Webhook('whsec_d3Jvbmcgc2VjcmV0IHdyb25nIHNlY3JldCE=').verify(delivery?.body ?? '', headers),
      ).toThrow();

      const log = await webhooks.listDeliveries(admin, webhook.id);
      expect(log).toMatchObject([
        { status: 'delivered', attempt: 1, responseStatus: 200, eventType: 'request.created' },
      ]);
      expect(log[0]?.deliveredAt).toBe(new Date(bed.clock.now).toISOString());
      // Nothing more to do.
      expect(await dispatchers[0]?.runOnce()).toEqual({ enqueued: 0, attempted: 0 });
    });

    it('sends only the subscribed event types', async () => {
      const { webhook } = await webhooks.create(admin, {
        url: receiver.url,
        eventTypes: ['request.approved'],
      });
      await submitPending(); // request.created only
      await bed.service.submit(bot, { action: 'docs.read', params: {} }); // created, approved, grant issued
      await dispatcher().runOnce();
      expect(receiver.received.map((r) => (JSON.parse(r.body) as { type: string }).type)).toEqual([
        'request.approved',
      ]);
      expect((await webhooks.listDeliveries(admin, webhook.id)).map((d) => d.eventType)).toEqual([
        'request.approved',
      ]);
    });

    it('retries a failing receiver with exponential backoff and jitter, then gives up: dead', async () => {
      receiver.status = 500;
      const { webhook } = await webhooks.create(admin, {
        url: receiver.url,
        eventTypes: ['request.created'],
      });
      await submitPending();
      const sender = dispatcher('node-a', () => 0.5);
      const waits: number[] = [];
      for (let attempt = 1; attempt <= 8; attempt++) {
        expect((await sender.runOnce()).attempted).toBe(1);
        expect(receiver.received).toHaveLength(attempt);
        const [latest] = await listWebhookDeliveries(webhook.id, 1, bed.storage.db);
        if (latest === undefined || latest.status !== 'pending') break;
        waits.push(latest.nextAttemptAt - bed.clock.now);
        // Not due yet: nothing is sent a millisecond early.
        bed.clock.now = latest.nextAttemptAt - 1;
        expect((await sender.runOnce()).attempted).toBe(0);
        bed.clock.now = latest.nextAttemptAt;
      }
      // Half (the jitter drawn) of 5 s × 2^attempt.
      expect(waits).toEqual([5_000, 10_000, 20_000, 40_000, 80_000, 160_000, 320_000]);
      const log = await webhooks.listDeliveries(admin, webhook.id);
      expect(log.map((d) => [d.attempt, d.status, d.responseStatus, d.error])).toEqual([
        [8, 'dead', 500, 'HTTP 500'],
        ...[7, 6, 5, 4, 3, 2, 1].map((n) => [n, 'failed', 500, 'HTTP 500']),
      ]);
      bed.clock.now += 3_600_000;
      expect((await sender.runOnce()).attempted).toBe(0);
      expect(receiver.received).toHaveLength(8);
    });

    it('redelivers on request, with the same webhook-id, audited', async () => {
      receiver.status = 503;
      const { webhook, secret } = await webhooks.create(admin, {
        url: receiver.url,
        eventTypes: ['request.created'],
      });
      await submitPending();
      const sender = dispatcher('node-a', () => 0.5);
      await sender.runOnce();
      const [failed] = await webhooks.listDeliveries(admin, webhook.id, 10);
      // The failed attempt scheduled the next; the admin redelivers the first one now instead.
      const first = (await webhooks.listDeliveries(admin, webhook.id)).find((d) => d.attempt === 1);
      expect(failed?.status).toBe('pending');
      receiver.status = 200;
      const again = await webhooks.redeliver(admin, first?.id ?? '');
      expect(again).toMatchObject({ attempt: 3, status: 'pending', eventSeq: first?.eventSeq });
      expect((await sender.runOnce()).attempted).toBe(1);
      expect(receiver.received).toHaveLength(2);
      const ids = receiver.received.map((r) => r.headers['webhook-id']);
      expect(ids[1]).toBe(ids[0]);
      const last = receiver.received[1];
      expect(() =>
        new Webhook(secret).verify(last?.body ?? '', last?.headers as Record<string, string>),
      ).not.toThrow();
      const audit = (await auditEvents(bed.storage.db, 'webhook.redelivered')).at(-1);
      expect(audit).toMatchObject({
        actor: 'user:ada',
        subject: `webhook:${webhook.id}`,
        data: { deliveryId: first?.id, newDeliveryId: again.id, attempt: 3 },
      });
    });

    it('a crash between enqueue and send: a new dispatcher delivers each row exactly once', async () => {
      const { webhook } = await webhooks.create(admin, {
        url: receiver.url,
        eventTypes: ['request.created'],
      });
      for (const command of ['ls', 'pwd', 'whoami']) await submitPending(command);
      // The first dispatcher enqueues, then its node dies before sending.
      expect(
        await createWebhookDispatcher({
          db: bed.storage.db,
          now: () => bed.clock.now,
          nodeId: 'dead-node',
          targets: LOCAL,
        }).enqueue(),
      ).toBe(3);
      // A second one had claimed one row and died mid-send: its lease must run out first.
      const [claimed] = await claimDueWebhookDeliveries(
        bed.clock.now,
        'dead-node-2',
        1,
        60_000,
        bed.storage.db,
      );
      const restarted = dispatcher('node-b');
      expect(await restarted.runOnce()).toEqual({ enqueued: 0, attempted: 2 });
      bed.clock.now += 60_000;
      expect(await restarted.runOnce()).toEqual({ enqueued: 0, attempted: 1 });
      expect(await restarted.runOnce()).toEqual({ enqueued: 0, attempted: 0 });
      const ids = receiver.received.map((r) => r.headers['webhook-id']);
      expect(ids).toHaveLength(3);
      expect(new Set(ids).size).toBe(3);
      const log = await webhooks.listDeliveries(admin, webhook.id);
      expect(log.map((d) => d.status)).toEqual(['delivered', 'delivered', 'delivered']);
      expect(log.find((d) => d.id === claimed?.id)?.status).toBe('delivered');
    });

    it('two dispatchers at once send each delivery once', async () => {
      await webhooks.create(admin, { url: receiver.url, eventTypes: ['*'] });
      for (let i = 0; i < 6; i++) await submitPending(`echo ${i}`);
      await Promise.all([dispatcher('node-a').runOnce(), dispatcher('node-b').runOnce()]);
      await Promise.all([dispatchers[0]?.runOnce(), dispatchers[1]?.runOnce()]);
      const types = receiver.received.map((r) => (JSON.parse(r.body) as { type: string }).type);
      // `*` includes the subscription's own webhook.created record.
      expect(types.sort()).toEqual(['webhook.created', ...Array(6).fill('request.created')].sort());
      const ids = receiver.received.map((r) => r.headers['webhook-id']);
      expect(new Set(ids).size).toBe(7);
    });

    it('start() wakes on committed events and delivers without being asked', async () => {
      await webhooks.create(admin, { url: receiver.url, eventTypes: ['request.created'] });
      const running = dispatcher('node-a');
      running.start();
      await submitPending();
      await receiver.waitFor(1);
      await running.stop();
      expect(receiver.received).toHaveLength(1);
    });
  });
}
