import type { Principal, Reviewer, Role } from '@gatehouse/core';

/**
 * The authenticated caller as the request service needs it. The identity module's
 * `AuthenticatedPrincipal` has this shape.
 */
export interface RequestActor {
  readonly kind: 'user' | 'agent';
  readonly id: string;
  readonly role?: Role;
  readonly teams: readonly string[];
  /** Users: the approval groups they are in as of this request (absent: none). */
  readonly groups?: readonly string[];
  /** For agents owned by a user. */
  readonly owner?: string;
  readonly ownerTeam?: string;
  readonly scopes: readonly string[];
}

/** `user:alice` / `agent:ci-bot`: how actors appear in the audit log. */
export function actorName(actor: Pick<RequestActor, 'kind' | 'id'>): string {
  return `${actor.kind}:${actor.id}`;
}

/** The core's view of the caller as a requester. */
export function toPrincipal(actor: RequestActor): Principal {
  return {
    kind: actor.kind,
    id: actor.id,
    teams: [...actor.teams],
    ...(actor.role === undefined || actor.kind === 'agent' ? {} : { role: actor.role }),
    ...(actor.owner === undefined ? {} : { owner: actor.owner }),
  };
}

/** The core's view of the caller as a reviewer (agents included: the core refuses them, audited). */
export function toReviewer(actor: RequestActor): Reviewer {
  return {
    kind: actor.kind,
    id: actor.id,
    teams: [...actor.teams],
    groups: actor.kind === 'user' ? [...(actor.groups ?? [])] : [],
    ...(actor.role === undefined || actor.kind === 'agent' ? {} : { role: actor.role }),
  };
}

/** True when the caller's credentials carry the scope. */
export function hasScope(actor: RequestActor, scope: string): boolean {
  return actor.scopes.includes(scope) || actor.scopes.includes('admin');
}
