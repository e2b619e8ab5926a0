import type { AuditEventDraft } from '@gatehouse/core';
import { appendAudit } from '../audit/audit-writer.js';
import { ForbiddenError } from '../domain-errors.js';
import { type AuthenticatedPrincipal, actorOf } from '../identity/authenticated-principal.js';
import type { TokenScope } from '../identity/token-scopes.js';
import { withTransaction } from '../storage/transaction.js';
import type { HttpContext } from './http-context.js';

// Permission checks for the few operations whose services take no actor (the audit log, the
// policy's admin gate, lint): refused like the directory refuses, `permission.denied`, audited.

/** Who may do an operation: the admin, the admin or a moderator, any human, or any caller. */
export type Audience = 'admin' | 'staff' | 'human' | 'any';

/** An operation's name in audit records and what it is about. */
export interface GuardedOperation {
  readonly name: string;
  readonly subject: string;
  /** The token scope an API token must also carry (sessions carry every scope of their role). */
  readonly scope?: TokenScope;
}

function denialOf(principal: AuthenticatedPrincipal, audience: Audience, scope?: TokenScope) {
  if (principal.kind !== 'user' && audience !== 'any')
    return { reason: 'agent-not-allowed', message: 'Agents cannot do this' };
  const role = principal.role;
  if (audience === 'admin' && role !== 'admin')
    return { reason: 'admin-only', message: 'Only the admin can do this' };
  if (audience === 'staff' && role !== 'admin' && role !== 'moderator') {
    return { reason: 'moderator-only', message: 'Only the admin or a moderator can do this' };
  }
  // The admin's power over a token needs the token's `admin` scope, as the directory requires.
  const needed = scope ?? (audience === 'admin' ? 'admin' : undefined);
  if (needed !== undefined && !principal.scopes.includes(needed)) {
    return { reason: 'missing-scope', message: `This credential lacks the scope ${needed}` };
  }
  return undefined;
}

/**
 * Append audit records in a transaction of their own and publish them to live views.
 * For refusals: they change no state, so their record commits alone.
 */
export async function recordAudit(context: HttpContext, drafts: readonly AuditEventDraft[]): Promise<void> {
  const records = await withTransaction(context.db, (trx) => appendAudit(drafts, context.now(), trx));
  context.events.publish(records);
}

/**
 * Refuses (403, audited `permission.denied` with the operation and reason) unless the caller
 * belongs to `audience` and, on a token, the token carries `operation.scope`.
 * @example await requireAudience(context, principal, 'staff', { name: 'audit.read', subject: 'audit' });
 */
export async function requireAudience(
  context: HttpContext,
  principal: AuthenticatedPrincipal,
  audience: Audience,
  operation: GuardedOperation,
): Promise<void> {
  const denial = denialOf(principal, audience, operation.scope);
  if (denial === undefined) return;
  await recordAudit(context, [
    {
      type: 'permission.denied',
      actor: actorOf(principal),
      subject: operation.subject,
      data: { operation: operation.name, reason: denial.reason },
    },
  ]);
  throw new ForbiddenError(denial.message, denial.reason, { operation: operation.name });
}
