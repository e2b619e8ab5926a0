import { formatTable, oneLine } from './output.js';

// The webhook shapes the API returns (GET/POST /v1/webhooks, the delivery log) and their tables.

/** A webhook subscription, as the API lists it (never its secret). */
export interface WebhookView {
  readonly id: string;
  readonly url: string;
  readonly eventTypes: readonly string[];
  readonly active: boolean;
  readonly createdAt: string;
  readonly createdBy: string;
}

/** One delivery attempt from a subscription's log. */
export interface WebhookDeliveryView {
  readonly id: string;
  readonly subscriptionId: string;
  readonly eventSeq: number;
  readonly eventType: string;
  readonly attempt: number;
  readonly status: 'pending' | 'delivered' | 'failed' | 'dead';
  readonly nextAttemptAt: string;
  readonly responseStatus?: number;
  readonly error?: string;
  readonly createdAt: string;
  readonly attemptedAt?: string;
  readonly deliveredAt?: string;
}

/** The subscriptions as a table: id, url, events, active, created. */
export function formatWebhookTable(webhooks: readonly WebhookView[]): string {
  return formatTable(
    ['ID', 'URL', 'EVENTS', 'ACTIVE', 'CREATED'],
    webhooks.map((webhook) => [
      webhook.id,
      oneLine(webhook.url),
      oneLine(webhook.eventTypes.join(',')),
      webhook.active ? 'yes' : 'no',
      webhook.createdAt,
    ]),
  );
}

/** The delivery log as a table, newest first as the API returns it. */
export function formatDeliveryTable(deliveries: readonly WebhookDeliveryView[]): string {
  return formatTable(
    ['ID', 'EVENT', 'SEQ', 'ATTEMPT', 'STATUS', 'HTTP', 'WHEN', 'ERROR'],
    deliveries.map((delivery) => [
      delivery.id,
      oneLine(delivery.eventType),
      String(delivery.eventSeq),
      String(delivery.attempt),
      delivery.status,
      delivery.responseStatus === undefined ? '-' : String(delivery.responseStatus),
      delivery.attemptedAt ?? delivery.nextAttemptAt,
      oneLine(delivery.error ?? ''),
    ]),
  );
}
