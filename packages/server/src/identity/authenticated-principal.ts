import type { Principal, Reviewer, Role } from '@gatehouse/core';
import { ForbiddenError } from '../domain-errors.js';
import type { TokenScope } from './token-scopes.js';

/** Who is calling, as authentication established it for this one request. */
export interface AuthenticatedPrincipal {
  readonly kind: 'user' | 'agent';
  /** The user's or agent's id (`alice`, `ci-bot`): what policies and audit records name. */
  readonly id: string;
  /** Users only: the effective role (`admin` while they hold the admin seat). Agents have none. */
  readonly role?: Role;
  /** Team names: a user's teams, or an agent's owning team. */
  readonly teams: readonly string[];
  /**
   * Users only: the approval groups they are in, from the active policy and the database, as of
   * this request. Set by the HTTP layer (`withApprovalGroups`); absent means none.
   */
  readonly groups?: readonly string[];
  /** Agents owned by a user: that user's id. */
  readonly owner?: string;
  /** Agents owned by a team: that team's id. */
  readonly ownerTeam?: string;
  /** What this credential may do: the token's scopes (narrowed to the principal's), or a human's all. */
  readonly scopes: readonly string[];
  readonly via: 'token' | 'session';
  /** The token's id (its public prefix), when `via` is `token`. */
  readonly tokenId?: string;
  /** The session's id (the hash of its cookie), when `via` is `session`. */
  readonly sessionId?: string;
  /** Sessions only: the hash of the session's CSRF token, for `verifyCsrf`. */
  readonly csrfTokenHash?: string;
}

/** The audit actor for a principal: `user:alice`, `agent:ci-bot`. */
export function actorOf(principal: { readonly kind: 'user' | 'agent'; readonly id: string }): string {
  return `${principal.kind}:${principal.id}`;
}

/** The core's `Principal` (who asks), for policy evaluation and new requests. */
export function toCorePrincipal(principal: AuthenticatedPrincipal): Principal {
  return Object.freeze({
    kind: principal.kind,
    id: principal.id,
    ...(principal.kind === 'user' && principal.role !== undefined ? { role: principal.role } : {}),
    teams: Object.freeze([...principal.teams]),
    ...(principal.kind === 'agent' && principal.owner !== undefined ? { owner: principal.owner } : {}),
  });
}

/**
 * The core's `Reviewer` (who votes). Agents map to `kind: 'agent'` with no role, which the core
 * refuses to let review; they are passed through rather than refused here so the refusal is audited.
 */
export function toReviewer(principal: AuthenticatedPrincipal): Reviewer {
  return Object.freeze({
    kind: principal.kind,
    id: principal.id,
    ...(principal.kind === 'user' && principal.role !== undefined ? { role: principal.role } : {}),
    teams: Object.freeze([...principal.teams]),
    groups: Object.freeze(principal.kind === 'user' ? [...(principal.groups ?? [])] : []),
  });
}

/** True when the principal's credential carries `scope`. */
export function hasScope(principal: AuthenticatedPrincipal, scope: TokenScope): boolean {
  return principal.scopes.includes(scope);
}

/**
 * Throws ForbiddenError (`reason: 'missing-scope'`) unless the credential carries `scope`.
 * @example requireScope(principal, 'requests:review');
 */
export function requireScope(principal: AuthenticatedPrincipal, scope: TokenScope): void {
  if (!hasScope(principal, scope)) {
    throw new ForbiddenError(`This credential lacks the scope ${scope}`, 'missing-scope', { scope });
  }
}
