import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { NotFoundError, RefusedError, ValidationError } from '../domain-errors.js';
import type { AuthenticatedPrincipal } from '../identity/authenticated-principal.js';
import { requireAdmin, runDirectoryChange, runDirectoryRead } from '../identity/directory-guard.js';
import { auditDraft, auditRefusal } from '../identity/identity-audit.js';
import { getAuditHead } from '../storage/audit-dal.js';
import type { GatehouseDatabase } from '../storage/database-types.js';
import {
  getWebhookDelivery,
  insertWebhookDeliveries,
  lastWebhookAttempt,
  listWebhookDeliveries,
} from '../storage/webhook-deliveries-dal.js';
import {
  deleteWebhookSubscription,
  getWebhookSubscription,
  insertWebhookSubscription,
  listWebhookSubscriptions,
} from '../storage/webhooks-dal.js';
import { normaliseEventTypes } from './webhook-event-types.js';
import { generateWebhookSecret } from './webhook-secret.js';
import { checkWebhookTarget, type ResolveHost, type WebhookTargetPolicy } from './webhook-target-guard.js';
import {
  auditableUrl,
  type CreatedWebhook,
  toDeliveryView,
  toWebhookView,
  type WebhookDeliveryView,
  type WebhookView,
} from './webhook-views.js';

/** Webhook administration: the admin only; every change audited, every refusal too. */
export interface WebhookService {
  create(
    actor: AuthenticatedPrincipal,
    input: { url: string; eventTypes: readonly string[] },
  ): Promise<CreatedWebhook>;
  list(actor: AuthenticatedPrincipal): Promise<readonly WebhookView[]>;
  delete(actor: AuthenticatedPrincipal, id: string): Promise<void>;
  /** A subscription's delivery log, newest first (at most `limit`, default 100). */
  listDeliveries(
    actor: AuthenticatedPrincipal,
    subscriptionId: string,
    limit?: number,
  ): Promise<readonly WebhookDeliveryView[]>;
  /** Sends an event again: a new attempt, due now, with the same `webhook-id`. */
  redeliver(actor: AuthenticatedPrincipal, deliveryId: string): Promise<WebhookDeliveryView>;
}

/** What the service needs. */
export interface WebhookServiceDeps {
  /** The database itself (refusals are audited in transactions of their own). */
  readonly db: Kysely<GatehouseDatabase>;
  readonly now: () => number;
  readonly targets: WebhookTargetPolicy;
  readonly resolve?: ResolveHost;
  readonly newId?: () => string;
}

const MAX_URL = 2_048;
const MAX_DELIVERIES = 500;

/**
 * Creates the webhook service. A new subscription's target is checked (http(s), no credentials,
 * no private or metadata address unless allowed) before it is stored; a refused target is audited
 * (`webhook.refused`) and thrown as RefusedError. A subscription receives the events recorded from
 * its creation on (its own `webhook.created` record included). Its secret is returned once, by `create`.
 * @example const webhooks = createWebhookService({ db, now: Date.now, targets: { allowPrivateTargets: false } });
 */
export function createWebhookService(deps: WebhookServiceDeps): WebhookService {
  const { db } = deps;
  const newId = deps.newId ?? randomUUID;

  return {
    async create(actor, input) {
      const operation = { name: 'webhook.create', subject: 'webhooks' };
      // The admin check comes first, so nobody else learns how a URL resolves.
      await runDirectoryRead(
        actor,
        operation,
        deps.now(),
        db,
        async (acting) => requireAdmin(acting, 'manage webhooks') ?? true,
      );
      if (typeof input.url !== 'string' || input.url.length > MAX_URL) {
        throw new ValidationError('url', `a URL of at most ${MAX_URL} characters`);
      }
      const eventTypes = normaliseEventTypes(input.eventTypes);
      if (typeof eventTypes === 'string') throw new ValidationError('eventTypes', eventTypes);
      const target = await checkWebhookTarget(input.url, deps.targets, deps.resolve);
      if (!target.ok) {
        if (target.code === 'invalid-url' || target.code === 'unresolvable')
          throw new ValidationError('url', target.reason);
        await auditRefusal(
          auditDraft('webhook.refused', `${actor.kind}:${actor.id}`, operation.subject, {
            code: target.code,
            reason: target.reason,
            url: auditableUrl(input.url),
          }),
          deps.now(),
          db,
        );
        throw new RefusedError(`webhook-${target.code}`, `The webhook target was refused: ${target.reason}`);
      }
      const secret = generateWebhookSecret();
      const id = newId();
      return runDirectoryChange(actor, operation, deps.now(), db, async ({ trx, acting, record }) => {
        const denial = requireAdmin(acting, 'manage webhooks');
        if (denial !== undefined) return denial;
        const subscription = {
          id,
          url: target.url.href,
          eventTypes,
          secret,
          active: true,
          createdAt: deps.now(),
          createdBy: acting.actor,
        };
        // Events from now on, this subscription's own `webhook.created` record included.
        await insertWebhookSubscription(subscription, (await getAuditHead(trx))?.seq ?? 0, trx);
        record('webhook.created', `webhook:${id}`, { url: auditableUrl(subscription.url), eventTypes });
        return Object.freeze({ webhook: toWebhookView(subscription), secret });
      });
    },

    async list(actor) {
      return runDirectoryRead(
        actor,
        { name: 'webhook.list', subject: 'webhooks' },
        deps.now(),
        db,
        async (acting) => {
          const denial = requireAdmin(acting, 'manage webhooks');
          if (denial !== undefined) return denial;
          return Object.freeze((await listWebhookSubscriptions(db)).map(toWebhookView));
        },
      );
    },

    async delete(actor, id) {
      const operation = { name: 'webhook.delete', subject: `webhook:${id}` };
      await runDirectoryChange(actor, operation, deps.now(), db, async ({ trx, acting, record }) => {
        const denial = requireAdmin(acting, 'manage webhooks');
        if (denial !== undefined) return denial;
        const subscription = await getWebhookSubscription(id, trx);
        if (subscription === undefined) throw new NotFoundError('webhook', id);
        await deleteWebhookSubscription(id, trx);
        record('webhook.deleted', operation.subject, { url: auditableUrl(subscription.url) });
      });
    },

    async listDeliveries(actor, subscriptionId, limit = 100) {
      const operation = { name: 'webhook.deliveries', subject: `webhook:${subscriptionId}` };
      return runDirectoryRead(actor, operation, deps.now(), db, async (acting) => {
        const denial = requireAdmin(acting, 'manage webhooks');
        if (denial !== undefined) return denial;
        if ((await getWebhookSubscription(subscriptionId, db)) === undefined) {
          throw new NotFoundError('webhook', subscriptionId);
        }
        const bounded = Math.min(MAX_DELIVERIES, Math.max(1, Math.trunc(limit) || 1));
        return Object.freeze((await listWebhookDeliveries(subscriptionId, bounded, db)).map(toDeliveryView));
      });
    },

    async redeliver(actor, deliveryId) {
      const now = deps.now();
      const operation = { name: 'webhook.redeliver', subject: `webhook-delivery:${deliveryId}` };
      return runDirectoryChange(actor, operation, now, db, async ({ trx, acting, record }) => {
        const denial = requireAdmin(acting, 'manage webhooks');
        if (denial !== undefined) return denial;
        const delivery = await getWebhookDelivery(deliveryId, trx);
        if (delivery === undefined) throw new NotFoundError('webhook delivery', deliveryId);
        const attempt = (await lastWebhookAttempt(delivery.subscriptionId, delivery.eventSeq, trx)) + 1;
        const next = {
          id: newId(),
          subscriptionId: delivery.subscriptionId,
          eventSeq: delivery.eventSeq,
          eventType: delivery.eventType,
          attempt,
          nextAttemptAt: now,
          createdAt: now,
        };
        await insertWebhookDeliveries([next], trx);
        record('webhook.redelivered', `webhook:${delivery.subscriptionId}`, {
          deliveryId,
          newDeliveryId: next.id,
          eventSeq: delivery.eventSeq,
          attempt,
        });
        const stored = await getWebhookDelivery(next.id, trx);
        if (stored === undefined) throw new Error('the redelivery was not stored');
        return toDeliveryView(stored);
      });
    },
  };
}
