import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWebhookDispatcher } from '../../notifications/webhook-dispatcher.js';
import {
  startWebhookReceiver,
  type WebhookReceiver,
} from '../../notifications/webhook-receiver.test-support.js';
import { createWebhookService } from '../../notifications/webhook-service.js';
import { ENGINES } from '../../storage/storage-test-engines.test-support.js';
import { createTestApp, type TestApp } from '../http-test-app.test-support.js';
import { registerWebhookRoutes } from './webhook-routes.js';

// biome-ignore lint/suspicious/noExplicitAny: response bodies are read loosely and asserted field by field.
type Body = any;

for (const engine of ENGINES) {
  describe(`webhook routes on ${engine}`, () => {
    let t: TestApp;
    let receiver: WebhookReceiver;
    // Only the loopback test receiver is allowed besides public addresses.
    const targets = { allowPrivateTargets: false, allowedHosts: ['127.0.0.1'] };

    beforeAll(async () => {
      t = await createTestApp(engine);
      registerWebhookRoutes(t.app, createWebhookService({ db: t.storage.db, now: t.context.now, targets }));
      receiver = await startWebhookReceiver();
    });
    afterAll(async () => {
      await receiver.close();
      await t.dispose();
    });

    const call = async (method: string, path: string, as: string, body?: unknown) => {
      const res = await t.call(method, path, { as, ...(body === undefined ? {} : { body }) });
      return { status: res.status, body: (res.status === 204 ? undefined : await res.json()) as Body };
    };

    it('creates, lists, shows deliveries, redelivers and deletes', async () => {
      const created = await call('POST', '/v1/webhooks', 'admin', {
        url: receiver.url,
        eventTypes: ['request.created'],
      });
      expect(created.status).toBe(201);
      expect(created.body.secret).toMatch(/^whsec_/);
      const id = created.body.webhook.id as string;
      const listed = await call('GET', '/v1/webhooks', 'admin');
      expect(listed).toEqual({ status: 200, body: { webhooks: [created.body.webhook] } });
      expect(JSON.stringify(listed.body)).not.toContain(created.body.secret);

      await t.call('POST', '/v1/requests', { as: 'ci-bot', body: { action: 'deploy.web', params: {} } });
      const dispatcher = createWebhookDispatcher({
        db: t.storage.db,
        now: t.context.now,
        nodeId: 'n',
        targets,
      });
      // The test app's clock is fixed in 2026, so `Webhook.verify` would refuse the timestamp as stale:
      // the signature is checked by recomputing it with the package instead.
      await dispatcher.runOnce();
      expect(receiver.received).toHaveLength(1);
      const sent = receiver.received[0];
      const webhook = new Webhook(created.body.secret as string);
      const signature = webhook.sign(
        String(sent?.headers['webhook-id']),
        new Date(Number(sent?.headers['webhook-timestamp']) * 1000),
        sent?.body ?? '',
      );
      expect(sent?.headers['webhook-signature']).toBe(signature);

      const deliveries = await call('GET', `/v1/webhooks/${id}/deliveries?limit=10`, 'admin');
      expect(deliveries.status).toBe(200);
      expect(deliveries.body.deliveries).toMatchObject([
        { status: 'delivered', attempt: 1, eventType: 'request.created' },
      ]);
      const redelivered = await call(
        'POST',
        `/v1/webhooks/deliveries/${deliveries.body.deliveries[0].id}/redeliver`,
        'admin',
      );
      expect(redelivered.status).toBe(202);
      expect(redelivered.body.delivery).toMatchObject({ attempt: 2, status: 'pending' });
      expect((await t.audit('webhook.redelivered')).at(-1)?.actor).toBe('user:admin');

      expect((await call('DELETE', `/v1/webhooks/${id}`, 'admin')).status).toBe(204);
      expect((await call('GET', `/v1/webhooks/${id}/deliveries`, 'admin')).status).toBe(404);
    });

    it('refuses a non-admin (403) and a private target (409), both audited', async () => {
      const denied = await call('POST', '/v1/webhooks', 'mod', { url: receiver.url, eventTypes: ['*'] });
      expect(denied.status).toBe(403);
      expect(denied.body.reason).toBe('admin-only');
      expect((await t.audit('permission.denied')).at(-1)).toMatchObject({
        actor: 'user:mod',
        data: { operation: 'webhook.create' },
      });

      const refused = await call('POST', '/v1/webhooks', 'admin', {
        url: 'http://169.254.169.254/latest',
        eventTypes: ['*'],
      });
      expect(refused.status).toBe(409);
      expect(refused.body.reason).toBe('webhook-target-not-allowed');
      expect((await t.audit('webhook.refused')).at(-1)?.data).toMatchObject({ code: 'target-not-allowed' });

      const invalid = await call('POST', '/v1/webhooks', 'admin', { url: receiver.url, eventTypes: [] });
      expect(invalid.status).toBe(400);
    });
  });
}
