import { type ApprovalRequest, PAYLOAD_CONTEXT_FIELDS } from '@gatehouse/core';
import type { Executor } from '../storage/transaction.js';
import { getUser } from '../storage/users-dal.js';

// Everything a request carries is one of three kinds (DESIGN §4), and the view keeps them apart:
// verified (what the server established from the credential and the directory), bound (what the
// payload hash covers, so the grant holds the executor to it), claimed (the agent's own words).

/** Identity and directory facts Gatehouse established itself, and the policy that judged them. */
export interface VerifiedFacts {
  readonly requester: {
    readonly kind: 'user' | 'agent';
    readonly id: string;
    /** A user's role when they asked. */
    readonly role?: string;
    /** The user who owns the agent. */
    readonly owner?: string;
    /** A user's teams, or the team that owns the agent. */
    readonly teams: readonly string[];
  };
  /**
   * The user the request acts for, checked at submission: a user may name only themselves
   * (`self`), an agent only an active user on its `actsFor` list (`acts-for`). `active` is
   * whether that user is still enabled now, when the server looked (detail views only).
   */
  readonly onBehalfOf?: {
    readonly user: string;
    readonly basis: 'self' | 'acts-for';
    readonly active?: boolean;
  };
  /** The request's team, checked to be one of the requester's. */
  readonly team?: string;
  readonly policyVersion: string;
  readonly rules: readonly string[];
}

/** What the approval and its grant are bound to: change any of it and the grant is refused. */
export interface BoundFields {
  readonly action: string;
  readonly params: Readonly<Record<string, unknown>>;
  /** Only the context fields the payload hash covers (environment, team, workflow, runId). */
  readonly context: Readonly<Record<string, unknown>>;
  readonly onBehalfOf?: string;
  readonly payloadHash: string;
}

/** What the agent says and nothing enforces: its reason, its risk hint, any other context. */
export interface ClaimedFields {
  readonly reason?: string;
  readonly risk?: string;
  /** Context fields the payload hash does not cover (other than reason and risk). */
  readonly context: Readonly<Record<string, unknown>>;
}

/** What the detail view adds from the directory as it is now. */
export interface CurrentFacts {
  /** Whether the user the request acts for is still enabled. */
  readonly onBehalfOfActive?: boolean;
}

/** What the directory says now about the user `request` acts for (a pending request may outlive their account). */
export async function currentFactsOf(request: ApprovalRequest, db: Executor): Promise<CurrentFacts> {
  if (request.onBehalfOf === undefined) return {};
  const user = await getUser(request.onBehalfOf, db);
  return { onBehalfOfActive: user !== undefined && !user.disabled };
}

const BOUND_CONTEXT: ReadonlySet<string> = new Set(PAYLOAD_CONTEXT_FIELDS);

/** The verified facts of `request`. */
export function verifiedOf(request: ApprovalRequest, current: CurrentFacts = {}): VerifiedFacts {
  const { requester, onBehalfOf } = request;
  return {
    requester: {
      kind: requester.kind,
      id: requester.id,
      ...(requester.role === undefined ? {} : { role: requester.role }),
      ...(requester.owner === undefined ? {} : { owner: requester.owner }),
      teams: [...requester.teams],
    },
    ...(onBehalfOf === undefined
      ? {}
      : {
          onBehalfOf: {
            user: onBehalfOf,
            basis: requester.kind === 'user' ? 'self' : 'acts-for',
            ...(current.onBehalfOfActive === undefined ? {} : { active: current.onBehalfOfActive }),
          },
        }),
    ...(request.requesterTeam === undefined ? {} : { team: request.requesterTeam }),
    policyVersion: request.policyVersion,
    rules: [...request.rules],
  };
}

/** The bound fields of `request`: exactly what `payloadHash` covers. */
export function boundOf(request: ApprovalRequest): BoundFields {
  const context: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(request.context)) {
    if (BOUND_CONTEXT.has(key)) context[key] = value;
  }
  return {
    action: request.action,
    params: request.params,
    context,
    ...(request.onBehalfOf === undefined ? {} : { onBehalfOf: request.onBehalfOf }),
    payloadHash: request.payloadHash,
  };
}

/** The claimed fields of `request`: every context field the hash leaves out. */
export function claimedOf(request: ApprovalRequest): ClaimedFields {
  let reason: string | undefined;
  let risk: string | undefined;
  const context: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(request.context)) {
    if (key === 'reason' && typeof value === 'string') reason = value;
    else if (key === 'risk' && typeof value === 'string') risk = value;
    else if (!BOUND_CONTEXT.has(key)) context[key] = value;
  }
  return {
    ...(reason === undefined ? {} : { reason }),
    ...(risk === undefined ? {} : { risk }),
    context,
  };
}
