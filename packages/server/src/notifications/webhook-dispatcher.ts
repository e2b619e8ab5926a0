import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { EventHub } from '../events/event-hub.js';
import { type AuditEventRecord, streamAuditEvents } from '../storage/audit-dal.js';
import type { GatehouseDatabase } from '../storage/database-types.js';
import { withTransaction } from '../storage/transaction.js';
import { claimDueWebhookDeliveries, insertWebhookDeliveries } from '../storage/webhook-deliveries-dal.js';
import {
  listWebhookSubscriptions,
  lockWebhookCursor,
  setWebhookCursor,
  type WebhookSubscriptionRecord,
} from '../storage/webhooks-dal.js';
import { type AttemptDeps, attemptDelivery } from './webhook-attempt.js';
import { DEFAULT_RETRY_SCHEDULE, type RetrySchedule } from './webhook-backoff.js';
import { subscribesTo } from './webhook-event-types.js';
import type { ResolveHost, WebhookTargetPolicy } from './webhook-target-guard.js';

/** Turns new audit records into webhook deliveries and sends the due ones. */
export interface WebhookDispatcher {
  /** Enqueues a delivery for every new audit record each active subscription wants; returns how many. */
  enqueue(): Promise<number>;
  /** Claims and sends the attempts due now; returns how many were attempted. */
  deliverDue(): Promise<number>;
  /** `enqueue`, then `deliverDue`. */
  runOnce(): Promise<{ readonly enqueued: number; readonly attempted: number }>;
  /** Runs on every committed event and every `everyMs` (for retries). */
  start(): void;
  /** Stops and waits for the run in hand. */
  stop(): Promise<void>;
}

/** What the dispatcher needs. */
export interface WebhookDispatcherDeps {
  readonly db: Kysely<GatehouseDatabase>;
  readonly now: () => number;
  /** This node's name in delivery claims. */
  readonly nodeId: string;
  readonly targets: WebhookTargetPolicy;
  /** Events wake the dispatcher; the audit records it appends (refused targets) are published here. */
  readonly events?: EventHub;
  readonly resolve?: ResolveHost;
  /** [0, 1), for the retry jitter. */
  readonly random?: () => number;
  readonly newId?: () => string;
  /** Per attempt; default 10 s. */
  readonly timeoutMs?: number;
  readonly schedule?: RetrySchedule;
  readonly everyMs?: number;
  readonly onError?: (error: unknown) => void;
}

const ENQUEUE_BATCH = 500;
const SEND_BATCH = 10;
/** Longer than an attempt can take, so a live node's claim never lapses mid-send. */
const LEASE_MS = 60_000;

/**
 * The webhook dispatcher. The audit log is the durable outbox: each subscription has a cursor (the
 * last audit seq enqueued), and enqueueing inserts the deliveries and moves the cursor in one
 * transaction, so a crash loses nothing and enqueues nothing twice. Sending is at least once:
 * attempts are claimed with a lease (`FOR UPDATE SKIP LOCKED` on PostgreSQL, so several nodes
 * share the work), sent outside any transaction, then recorded; a node that dies after sending and
 * before recording leaves the attempt to be sent again once its lease runs out. Receivers
 * deduplicate on `webhook-id`, which is the same for every attempt at one event.
 *
 * Each attempt is a row of the delivery log. A failed attempt schedules the next one with
 * exponential backoff and full jitter; after the last one the delivery is `dead`. The target is
 * checked again before every attempt (DNS may have changed); a refused target fails the attempt
 * and is audited (`webhook.delivery.refused`).
 */
export function createWebhookDispatcher(deps: WebhookDispatcherDeps): WebhookDispatcher {
  const random = deps.random ?? Math.random;
  const newId = deps.newId ?? randomUUID;
  const schedule = deps.schedule ?? DEFAULT_RETRY_SCHEDULE;
  const attemptDeps: AttemptDeps = { ...deps, random, newId, schedule, timeoutMs: deps.timeoutMs ?? 10_000 };

  async function enqueueFor(subscription: WebhookSubscriptionRecord): Promise<number> {
    let total = 0;
    for (;;) {
      const { added, read } = await withTransaction(deps.db, async (trx) => {
        const last = await lockWebhookCursor(subscription.id, trx);
        if (last === undefined) return { added: 0, read: 0 }; // gone, or another node holds it
        const records: AuditEventRecord[] = [];
        for await (const record of streamAuditEvents(last + 1, ENQUEUE_BATCH, trx)) {
          records.push(record);
          if (records.length >= ENQUEUE_BATCH) break;
        }
        const newest = records.at(-1);
        if (newest === undefined) return { added: 0, read: 0 };
        const now = deps.now();
        const wanted = records.filter((record) => subscribesTo(subscription.eventTypes, record.type));
        const added = await insertWebhookDeliveries(
          wanted.map((record) => ({
            id: newId(),
            subscriptionId: subscription.id,
            eventSeq: record.seq,
            eventType: record.type,
            attempt: 1,
            nextAttemptAt: now,
            createdAt: now,
          })),
          trx,
        );
        await setWebhookCursor(subscription.id, newest.seq, trx);
        return { added, read: records.length };
      });
      total += added;
      if (read < ENQUEUE_BATCH) return total;
    }
  }

  async function enqueue(): Promise<number> {
    let total = 0;
    for (const subscription of await listWebhookSubscriptions(deps.db, { activeOnly: true })) {
      total += await enqueueFor(subscription);
    }
    return total;
  }

  async function deliverDue(): Promise<number> {
    let attempted = 0;
    for (;;) {
      const due = await claimDueWebhookDeliveries(deps.now(), deps.nodeId, SEND_BATCH, LEASE_MS, deps.db);
      await Promise.all(
        due.map((delivery) =>
          attemptDelivery(attemptDeps, delivery).catch((error: unknown) => deps.onError?.(error)),
        ),
      );
      attempted += due.length;
      if (due.length < SEND_BATCH) return attempted;
    }
  }

  async function runOnce() {
    const enqueued = await enqueue();
    const attempted = await deliverDue();
    return { enqueued, attempted };
  }

  let running: Promise<unknown> | undefined;
  let again = false;
  let interval: NodeJS.Timeout | undefined;
  let unsubscribe: (() => void) | undefined;
  // A committed event only needs sending when it enqueued something; retries fall due on the
  // interval. So a server with no subscriptions adds no write per event.
  const onEvent = async () => {
    if ((await enqueue()) > 0) await deliverDue();
  };
  const tick = (fromEvent = false) => {
    if (running !== undefined) {
      again = true;
      return;
    }
    running = (fromEvent ? onEvent() : runOnce())
      .catch((error: unknown) => deps.onError?.(error))
      .finally(() => {
        running = undefined;
        if (again && interval !== undefined) {
          again = false;
          tick();
        }
      });
  };

  return {
    enqueue,
    deliverDue,
    runOnce,
    start() {
      if (interval !== undefined) return;
      interval = setInterval(() => tick(), deps.everyMs ?? 1_000);
      interval.unref();
      unsubscribe = deps.events?.subscribe((event) => {
        if (!event.type.startsWith('webhook.delivery.')) tick(true);
      });
    },
    async stop() {
      if (interval !== undefined) clearInterval(interval);
      interval = undefined;
      unsubscribe?.();
      unsubscribe = undefined;
      await running;
    },
  };
}
