import type { AuditEventDraft, Role } from '@gatehouse/core';
import type { Transaction } from 'kysely';
import { appendAudit } from '../audit/audit-writer.js';
import { ForbiddenError } from '../domain-errors.js';
import { getEffectiveRole } from '../storage/admin-seat-dal.js';
import type { GatehouseDatabase } from '../storage/database-types.js';
import { listTeamMembers } from '../storage/teams-dal.js';
import { type Executor, withTransaction } from '../storage/transaction.js';
import { getUser } from '../storage/users-dal.js';
import { type AuthenticatedPrincipal, actorOf } from './authenticated-principal.js';
import { auditDraft, auditRefusal } from './identity-audit.js';
import type { PasswordHasher } from './password-hasher.js';

/** What every directory service needs: the database it owns transactions on, and the password hasher. */
export interface DirectoryDeps {
  /** The database itself, not a transaction: refusals are audited in transactions of their own. */
  readonly db: Executor;
  /** Defaults to argon2id at OWASP's costs. */
  readonly passwords?: PasswordHasher;
}

/** A permission check that failed: the stable reason code and a sentence for the caller. */
export class Denial {
  constructor(
    readonly reason: string,
    readonly message: string,
  ) {}
}

/** A denial, for a check to return. */
export function deny(reason: string, message: string): Denial {
  return new Denial(reason, message);
}

/** The acting human as the database knows them inside the transaction (not as they were at login). */
export interface Acting {
  readonly principal: AuthenticatedPrincipal;
  readonly id: string;
  readonly role: Role;
  /** The audit actor, `user:<id>`. */
  readonly actor: string;
}

/** The transaction and acting user a directory change runs with, and the audit records it adds. */
export interface ChangeContext {
  readonly trx: Transaction<GatehouseDatabase>;
  readonly acting: Acting;
  /** Queues audit records; they are appended in the same transaction when `work` returns. */
  record(type: string, subject: string, data?: Record<string, unknown>): void;
}

/** One directory operation: its name in audit records (`user.setRole`) and what it is about. */
export interface Operation {
  readonly name: string;
  readonly subject: string;
}

/**
 * Runs one directory change in one transaction: the actor's standing is read afresh, `work` checks
 * permissions and changes state, and its audit records commit with the change. A `Denial` returned
 * by `work` rolls nothing back (nothing was written) and is audited (`permission.denied`) in a
 * transaction of its own, then thrown as a ForbiddenError. Agents are refused before `work` runs.
 */
export async function runDirectoryChange<T>(
  principal: AuthenticatedPrincipal,
  operation: Operation,
  now: number,
  db: Executor,
  work: (context: ChangeContext) => Promise<T | Denial>,
): Promise<T> {
  const result = await withTransaction(db, async (trx) => {
    const acting = await loadActing(principal, trx);
    if (acting instanceof Denial) return acting;
    const drafts: AuditEventDraft[] = [];
    const outcome = await work({
      trx,
      acting,
      record: (type, subject, data = {}) => drafts.push(auditDraft(type, acting.actor, subject, data)),
    });
    if (!(outcome instanceof Denial)) await appendAudit(drafts, now, trx);
    return outcome;
  });
  if (result instanceof Denial) return refuse(principal, operation, result, now, db);
  return result;
}

/** Runs a read for a human: agents and disabled users are refused (and audited). */
export async function runDirectoryRead<T>(
  principal: AuthenticatedPrincipal,
  operation: Operation,
  now: number,
  db: Executor,
  read: (acting: Acting) => Promise<T | Denial>,
): Promise<T> {
  const acting = await loadActing(principal, db);
  const result = acting instanceof Denial ? acting : await read(acting);
  if (result instanceof Denial) return refuse(principal, operation, result, now, db);
  return result;
}

/** Audits a denial (`permission.denied`) and throws it as a ForbiddenError. */
export async function refuse(
  principal: AuthenticatedPrincipal,
  operation: Operation,
  denial: Denial,
  now: number,
  db: Executor,
): Promise<never> {
  await auditRefusal(
    auditDraft('permission.denied', actorOf(principal), operation.subject, {
      operation: operation.name,
      reason: denial.reason,
    }),
    now,
    db,
  );
  throw new ForbiddenError(denial.message, denial.reason, { operation: operation.name });
}

/** Denies unless the acting user holds the admin seat and, on a token, its `admin` scope. */
export function requireAdmin(acting: Acting, what: string): Denial | undefined {
  if (acting.role !== 'admin') return deny('admin-only', `Only the admin can ${what}`);
  if (!acting.principal.scopes.includes('admin')) {
    return deny('missing-scope', `Only a credential with the admin scope can ${what}`);
  }
  return undefined;
}

/**
 * True when the acting user may use the admin's power here: they hold the seat and, on a token,
 * its `admin` scope (a narrowly scoped admin token acts as a plain user).
 */
export function actsAsAdmin(acting: Acting): boolean {
  return acting.role === 'admin' && acting.principal.scopes.includes('admin');
}

/** Denies unless the acting user is the admin or a moderator. */
export function requireModerator(acting: Acting, what: string): Denial | undefined {
  if (acting.role === 'admin' || acting.role === 'moderator') return undefined;
  return deny('moderator-only', `Only the admin or a moderator can ${what}`);
}

/** True when `userId` maintains team `teamId`. */
export async function maintainsTeam(userId: string, teamId: string, db: Executor): Promise<boolean> {
  const members = await listTeamMembers(teamId, db);
  return members.some((member) => member.userId === userId && member.role === 'maintainer');
}

async function loadActing(principal: AuthenticatedPrincipal, db: Executor): Promise<Acting | Denial> {
  if (principal.kind !== 'user') {
    return deny('agent-not-allowed', 'Agents cannot read or change the directory');
  }
  const user = await getUser(principal.id, db);
  const role = user === undefined || user.disabled ? undefined : await getEffectiveRole(user.id, db);
  if (role === undefined) return deny('principal-disabled', 'This account is disabled');
  return Object.freeze({ principal, id: principal.id, role, actor: actorOf(principal) });
}
