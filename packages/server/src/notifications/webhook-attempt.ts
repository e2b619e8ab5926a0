import type { Kysely } from 'kysely';
import { appendAudit } from '../audit/audit-writer.js';
import type { EventHub } from '../events/event-hub.js';
import { type AuditEventRecord, streamAuditEvents } from '../storage/audit-dal.js';
import type { GatehouseDatabase } from '../storage/database-types.js';
import { withTransaction } from '../storage/transaction.js';
import {
  insertWebhookDeliveries,
  recordWebhookAttempt,
  type WebhookDeliveryRecord,
} from '../storage/webhook-deliveries-dal.js';
import { getWebhookSubscription } from '../storage/webhooks-dal.js';
import { isLastAttempt, type RetrySchedule, retryDelay } from './webhook-backoff.js';
import { signDelivery, webhookMessageId, webhookPayload } from './webhook-payload.js';
import { postWebhook, type SendOutcome } from './webhook-sender.js';
import { checkWebhookTarget, type ResolveHost, type WebhookTargetPolicy } from './webhook-target-guard.js';

/** What one attempt needs. */
export interface AttemptDeps {
  readonly db: Kysely<GatehouseDatabase>;
  readonly now: () => number;
  readonly nodeId: string;
  readonly targets: WebhookTargetPolicy;
  readonly events?: EventHub;
  readonly resolve?: ResolveHost;
  readonly random: () => number;
  readonly newId: () => string;
  readonly timeoutMs: number;
  readonly schedule: RetrySchedule;
}

interface Refusal {
  readonly code: string;
  readonly reason: string;
}

/**
 * Makes one claimed attempt: checks the target again (DNS may have changed since the subscription
 * was made), signs and POSTs the event, then records the outcome and, when it failed and attempts
 * are left, schedules the next with backoff, all in one transaction. A refused target is audited
 * (`webhook.delivery.refused`). No transaction is open while the request is in flight.
 */
export async function attemptDelivery(deps: AttemptDeps, delivery: WebhookDeliveryRecord): Promise<void> {
  const subscription = await getWebhookSubscription(delivery.subscriptionId, deps.db);
  const record = await readAuditRecord(deps, delivery.eventSeq);
  const live = subscription?.active === true && record !== undefined;
  let outcome: SendOutcome = { ok: false, error: 'the subscription is inactive or the event is gone' };
  let refusal: Refusal | undefined;
  if (subscription?.active === true && record !== undefined) {
    const target = await checkWebhookTarget(subscription.url, deps.targets, deps.resolve);
    if (!target.ok) {
      refusal = { code: target.code, reason: target.reason };
      outcome = { ok: false, error: `target refused: ${target.reason}` };
    } else {
      const signed = signDelivery(
        webhookPayload(record),
        webhookMessageId(subscription.id, record.seq),
        subscription.secret,
        deps.now(),
      );
      outcome = await postWebhook({
        url: target.url,
        addresses: target.addresses,
        ...signed,
        timeoutMs: deps.timeoutMs,
      });
    }
  }
  await recordOutcome(deps, delivery, outcome, refusal, !live);
}

async function recordOutcome(
  deps: AttemptDeps,
  delivery: WebhookDeliveryRecord,
  outcome: SendOutcome,
  refusal: Refusal | undefined,
  giveUpNow: boolean,
): Promise<void> {
  const now = deps.now();
  const giveUp = giveUpNow || isLastAttempt(delivery.attempt, deps.schedule);
  const status = outcome.ok ? 'delivered' : giveUp ? 'dead' : 'failed';
  const published = await withTransaction(deps.db, async (trx) => {
    const recorded = await recordWebhookAttempt(
      delivery.id,
      deps.nodeId,
      {
        status,
        attemptedAt: now,
        ...(outcome.status === undefined ? {} : { responseStatus: outcome.status }),
        ...(outcome.error === undefined ? {} : { error: outcome.error }),
      },
      trx,
    );
    // Another node took this attempt over (our lease ran out): it records and schedules, not us.
    if (!recorded) return [];
    if (status === 'failed') {
      await insertWebhookDeliveries(
        [
          {
            id: deps.newId(),
            subscriptionId: delivery.subscriptionId,
            eventSeq: delivery.eventSeq,
            eventType: delivery.eventType,
            attempt: delivery.attempt + 1,
            nextAttemptAt: now + retryDelay(delivery.attempt, deps.random, deps.schedule),
            createdAt: now,
          },
        ],
        trx,
      );
    }
    if (refusal === undefined) return [];
    return appendAudit(
      [
        {
          type: 'webhook.delivery.refused',
          actor: 'system',
          subject: `webhook:${delivery.subscriptionId}`,
          data: {
            deliveryId: delivery.id,
            eventSeq: delivery.eventSeq,
            attempt: delivery.attempt,
            ...refusal,
          },
        },
      ],
      now,
      trx,
    );
  });
  if (published.length > 0) deps.events?.publish(published);
}

async function readAuditRecord(deps: AttemptDeps, seq: number): Promise<AuditEventRecord | undefined> {
  for await (const record of streamAuditEvents(seq, 1, deps.db))
    return record.seq === seq ? record : undefined;
  return undefined;
}
