import type { AuditRecord } from '@gatehouse/core';
import { Webhook } from 'standardwebhooks';

/** The JSON body of a delivery: the Standard Webhooks envelope around one audit record. */
export interface WebhookPayload {
  readonly type: string;
  /** When the event happened (ISO 8601). */
  readonly timestamp: string;
  readonly data: Readonly<Record<string, unknown>> & {
    readonly seq: number;
    readonly subject: string;
    readonly actor: string;
  };
}

/** A delivery ready to send: the exact body and the Standard Webhooks headers signing it. */
export interface SignedDelivery {
  readonly body: string;
  readonly headers: Readonly<Record<'webhook-id' | 'webhook-timestamp' | 'webhook-signature', string>>;
}

/** The envelope for one audit record. `seq`, `subject` and `actor` are the record's own, whatever `data` holds. */
export function webhookPayload(
  record: Pick<AuditRecord, 'seq' | 'at' | 'type' | 'actor' | 'subject' | 'data'>,
): WebhookPayload {
  return {
    type: record.type,
    timestamp: new Date(record.at).toISOString(),
    data: { ...record.data, seq: record.seq, subject: record.subject, actor: record.actor },
  };
}

/**
 * The message id of one event for one subscription: the same on every attempt and redelivery,
 * so receivers deduplicate on `webhook-id` (delivery is at least once).
 */
export function webhookMessageId(subscriptionId: string, seq: number): string {
  return `msg_${subscriptionId}_${seq}`;
}

/**
 * Serialises and signs a payload per the Standard Webhooks spec (HMAC-SHA256 over
 * `id.timestamp.body`, `v1,<base64>`), with the `standardwebhooks` package.
 * @example signDelivery(payload, 'msg_x_1', secret, now) // { body, headers: { 'webhook-id', … } }
 */
export function signDelivery(
  payload: WebhookPayload,
  messageId: string,
  secret: string,
  now: number,
): SignedDelivery {
  const body = JSON.stringify(payload);
  const at = new Date(Math.floor(now / 1000) * 1000);
  const signature = new Webhook(secret).sign(messageId, at, body);
  return {
    body,
    headers: {
      'webhook-id': messageId,
      'webhook-timestamp': String(Math.floor(now / 1000)),
      'webhook-signature': signature,
    },
  };
}
