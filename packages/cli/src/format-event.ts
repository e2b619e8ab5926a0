import type { AuditRecord } from '@gatehouse/core';
import { oneLine } from './output.js';

type Status = 'pending' | 'approved' | 'denied' | 'expired' | 'cancelled';

// The status a request is in after each kind of event; events that are not about a request's
// state (auth, directory, policy) have none. A `request.created` that was decided at once is
// followed by its `request.approved`/`request.denied`, so only a pending one counts as pending.
const STATUS_AFTER: Readonly<Record<string, Status>> = Object.freeze({
  'review.recorded': 'pending',
  'review.refused': 'pending',
  'stage.completed': 'pending',
  'request.escalated': 'pending',
  'request.approved': 'approved',
  'request.overridden': 'approved',
  'grant.issued': 'approved',
  'grant.consumed': 'approved',
  'grant.refused': 'approved',
  'request.outcome': 'approved',
  'request.denied': 'denied',
  'request.expired': 'expired',
  'request.cancelled': 'cancelled',
});

/** The request status an event leaves its request in, or undefined when it is not about one. */
export function statusAfter(record: AuditRecord): Status | undefined {
  if (record.type === 'request.created') return 'stages' in record.data ? 'pending' : undefined;
  return STATUS_AFTER[record.type];
}

const DETAIL_FIELDS = [
  'action',
  'decision',
  'comment',
  'reason',
  'result',
  'risk',
  'username',
  'name',
] as const;

/** One event as one line: time, type, subject, actor and the telling fields of its data. */
export function formatEventLine(record: AuditRecord): string {
  const data = record.data as Record<string, unknown>;
  const details = DETAIL_FIELDS.filter((key) => typeof data[key] === 'string').map(
    (key) => `${key}=${JSON.stringify(oneLine(String(data[key])))}`,
  );
  const when = new Date(record.at).toISOString();
  return `${when}  ${record.type}  ${record.subject}  by ${record.actor}${details.length === 0 ? '' : `  ${details.join(' ')}`}`;
}
