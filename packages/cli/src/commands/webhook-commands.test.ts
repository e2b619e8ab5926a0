import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  startWebhookReceiver,
  type WebhookReceiver,
} from '../../../server/src/notifications/webhook-receiver.test-support.js';
import {
  apiEnv,
  callApi,
  cleanUp,
  cli,
  issueToken,
  jsonOf,
  startTestGatehouse,
  type TestGatehouse,
} from '../cli-harness.test-support.js';
import type { WebhookDeliveryView, WebhookView } from '../format-webhook.js';

// gatehouse webhooks … against a real server delivering to a real receiver on 127.0.0.1.

let gatehouse: TestGatehouse;
let receiver: WebhookReceiver;
let adminToken: string;
let aliceToken: string;

beforeAll(async () => {
  // The server reads its webhook target rules from the process environment at start.
  vi.stubEnv('GATEHOUSE_WEBHOOKS_ALLOW_PRIVATE', 'true');
  gatehouse = await startTestGatehouse();
  receiver = await startWebhookReceiver();
  expect((await cli(['user', 'create', 'alice'], { env: gatehouse.hostEnv })).code).toBe(0);
  adminToken = await issueToken(gatehouse, '--user', 'admin', '--scope', 'admin');
  aliceToken = await issueToken(gatehouse, '--user', 'alice');
});

afterAll(async () => {
  await cleanUp();
  await receiver.close();
  vi.unstubAllEnvs();
});

const asAdmin = () => ({ env: apiEnv(gatehouse, adminToken) });

const deliveriesOf = async (id: string) =>
  jsonOf<{ deliveries: WebhookDeliveryView[] }>(
    await cli(['webhooks', 'deliveries', id, '--json'], asAdmin()),
  ).deliveries;

describe('gatehouse webhooks', () => {
  it('creates a webhook (secret shown once), lists it, logs a delivery and redelivers it', async () => {
    const created = await cli(
      ['webhooks', 'create', receiver.url, '--event', 'webhook.created', '--json'],
      asAdmin(),
    );
    expect(created.code, created.stderr).toBe(0);
    const { webhook, secret } = jsonOf<{ webhook: WebhookView; secret: string }>(created);
    expect(secret).toMatch(/^whsec_/);
    expect(webhook).toMatchObject({ url: receiver.url, eventTypes: ['webhook.created'], active: true });

    const listed = await cli(['webhooks', 'ls'], asAdmin());
    expect(listed.code).toBe(0);
    expect(listed.stdout).toContain(webhook.id);
    expect(listed.stdout).not.toContain(secret);
    const listedJson = jsonOf<{ webhooks: WebhookView[] }>(
      await cli(['webhooks', 'ls', '--json'], asAdmin()),
    );
    expect(listedJson.webhooks.map((w) => w.id)).toEqual([webhook.id]);
    expect(JSON.stringify(listedJson)).not.toContain(secret);

    // Its own webhook.created record is the first event it receives.
    await receiver.waitFor(1);
    expect(JSON.parse(receiver.received[0]?.body ?? '{}')).toMatchObject({ type: 'webhook.created' });
    await vi.waitFor(async () => {
      expect((await deliveriesOf(webhook.id))[0]).toMatchObject({ status: 'delivered', attempt: 1 });
    });
    const table = await cli(['webhooks', 'deliveries', webhook.id], asAdmin());
    expect(table.stdout).toMatch(/webhook\.created\s+\d+\s+1\s+delivered\s+200/);
    const first = (await deliveriesOf(webhook.id))[0] as WebhookDeliveryView;

    const redelivered = await cli(['webhooks', 'redeliver', first.id, '--json'], asAdmin());
    expect(redelivered.code, redelivered.stderr).toBe(0);
    expect(jsonOf<{ delivery: WebhookDeliveryView }>(redelivered).delivery).toMatchObject({
      eventSeq: first.eventSeq,
      attempt: 2,
    });
    await receiver.waitFor(2);
    // The same webhook-id, so the receiver can deduplicate.
    expect(receiver.received[1]?.headers['webhook-id']).toBe(receiver.received[0]?.headers['webhook-id']);
    await vi.waitFor(async () => {
      expect((await deliveriesOf(webhook.id)).map((d) => [d.attempt, d.status])).toEqual([
        [2, 'delivered'],
        [1, 'delivered'],
      ]);
    });

    const deleted = await cli(['webhooks', 'delete', webhook.id, '--json'], asAdmin());
    expect(jsonOf(deleted)).toEqual({ id: webhook.id, deleted: true });
    expect(
      jsonOf<{ webhooks: unknown[] }>(await cli(['webhooks', 'ls', '--json'], asAdmin())).webhooks,
    ).toEqual([]);
    const again = await cli(['webhooks', 'delete', webhook.id], asAdmin());
    expect(again.code).toBe(1);
  });

  it('security: a non-admin cannot create a webhook (exit 1) and the refusal is audited', async () => {
    const run = await cli(['webhooks', 'create', receiver.url, '--event', '*'], {
      env: apiEnv(gatehouse, aliceToken),
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/admin/);
    const audit = await cli(['audit', 'export', '--json'], { env: gatehouse.hostEnv });
    expect(audit.code).toBe(0);
    const records = jsonOf<{ records: { type: string; actor: string; data: Record<string, unknown> }[] }>(
      audit,
    ).records;
    expect(records.filter((r) => r.type === 'permission.denied').at(-1)).toMatchObject({
      actor: 'user:alice',
      data: { operation: 'webhook.create', reason: 'admin-only' },
    });
    const exported = await callApi<{ webhooks: unknown[] }>(gatehouse, adminToken, 'GET', '/v1/webhooks');
    expect(exported.body.webhooks).toEqual([]);
  });

  it('refuses a create without --event (usage, exit 2)', async () => {
    expect((await cli(['webhooks', 'create', receiver.url], asAdmin())).code).toBe(2);
  });
});
