import type { WebhookDeliveryRecord } from '../storage/webhook-deliveries-dal.js';
import type { WebhookSubscriptionRecord } from '../storage/webhooks-dal.js';

/** A subscription as the API shows it: never the secret. */
export interface WebhookView {
  readonly id: string;
  readonly url: string;
  readonly eventTypes: readonly string[];
  readonly active: boolean;
  readonly createdAt: string;
  readonly createdBy: string;
}

/** A new subscription with its signing secret: the one time the secret is shown. */
export interface CreatedWebhook {
  readonly webhook: WebhookView;
  /** `whsec_…`: store it now, it is not shown again. */
  readonly secret: string;
}

/** One attempt of the delivery log as the API shows it. */
export interface WebhookDeliveryView {
  readonly id: string;
  readonly subscriptionId: string;
  readonly eventSeq: number;
  readonly eventType: string;
  readonly attempt: number;
  readonly status: WebhookDeliveryRecord['status'];
  readonly nextAttemptAt: string;
  readonly responseStatus?: number;
  readonly error?: string;
  readonly createdAt: string;
  readonly attemptedAt?: string;
  readonly deliveredAt?: string;
}

const iso = (ms: number): string => new Date(ms).toISOString();

/** The API's view of a subscription. */
export function toWebhookView(record: WebhookSubscriptionRecord): WebhookView {
  return Object.freeze({
    id: record.id,
    url: record.url,
    eventTypes: record.eventTypes,
    active: record.active,
    createdAt: iso(record.createdAt),
    createdBy: record.createdBy,
  });
}

/** The API's view of one attempt. */
export function toDeliveryView(record: WebhookDeliveryRecord): WebhookDeliveryView {
  return Object.freeze({
    id: record.id,
    subscriptionId: record.subscriptionId,
    eventSeq: record.eventSeq,
    eventType: record.eventType,
    attempt: record.attempt,
    status: record.status,
    nextAttemptAt: iso(record.nextAttemptAt),
    ...(record.responseStatus === undefined ? {} : { responseStatus: record.responseStatus }),
    ...(record.error === undefined ? {} : { error: record.error }),
    createdAt: iso(record.createdAt),
    ...(record.attemptedAt === undefined ? {} : { attemptedAt: iso(record.attemptedAt) }),
    ...(record.deliveredAt === undefined ? {} : { deliveredAt: iso(record.deliveredAt) }),
  });
}

/** A URL as audit records show it: scheme, host and path, never a query string that may carry a token. */
export function auditableUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.origin}${parsed.pathname}`;
  } catch {
    return '(invalid URL)';
  }
}
