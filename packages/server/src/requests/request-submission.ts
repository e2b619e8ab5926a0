import {
  type ActionInput,
  type ApprovalGroup,
  type ApprovalRequest,
  type AuditEventDraft,
  actionNameProblem,
  createApprovalRequest,
  createDecidedRequest,
  type Decision,
  type Explanation,
  evaluateAction,
  explainAction,
  payloadHash,
  transition,
} from '@gatehouse/core';
import { nodeSha256 } from '@gatehouse/core/node';
import { appendAudit } from '../audit/audit-writer.js';
import { ForbiddenError, ValidationError } from '../domain-errors.js';
import { emergencyAllow, flagEmergencyApproval } from '../emergency/emergency-approval.js';
import { activeWindowFor } from '../emergency/emergency-service.js';
import { loadApprovalGroups } from '../policy/approval-groups.js';
import type { EmergencyWindowRecord } from '../storage/emergency-dal.js';
import {
  ConflictError,
  insertGrant,
  insertRequest,
  insertTimer,
  listTeamMembers,
  withTransaction,
} from '../storage/index.js';
import { checkActionName } from './action-name-check.js';
import { checkOnBehalfOf } from './on-behalf-of-check.js';
import { hasScope, type RequestActor, toPrincipal } from './request-actor.js';
import type { RequestServiceDeps } from './request-service-deps.js';
import { findIdempotentReplay, idempotencyClaim, recordIdempotencyClaim } from './submission-idempotency.js';

/** What an agent submits: the action, its params, and context it claims. */
export interface ActionSubmission {
  readonly action: string;
  readonly params: Readonly<Record<string, unknown>>;
  readonly context?: Readonly<Record<string, unknown>>;
  /** The agent's stated reason: stored as claimed, never verified. */
  readonly reason?: string;
  readonly onBehalfOf?: string;
}

/** The result of a submission: the stored request, and the grant token when allowed at once. */
export interface Submitted {
  /** False when an `Idempotency-Key` replayed an earlier submission. */
  readonly created: boolean;
  readonly request: ApprovalRequest;
  readonly decision?: Decision;
  readonly grantToken?: string;
}

function toInput(
  actor: RequestActor,
  submission: ActionSubmission,
  coOwners: readonly string[] = [],
): ActionInput {
  const context = { ...(submission.context ?? {}) };
  if (submission.reason !== undefined) context.reason = submission.reason;
  const { team } = context;
  if (team !== undefined && (typeof team !== 'string' || !actor.teams.includes(team))) {
    throw new ValidationError('context.team', `"${String(team)}" is not a team the requester belongs to`);
  }
  if (submission.onBehalfOf !== undefined && actor.kind === 'user' && submission.onBehalfOf !== actor.id) {
    throw new ValidationError('onBehalfOf', 'a user may only act on their own behalf');
  }
  return {
    action: submission.action,
    params: submission.params,
    context,
    requester:
      coOwners.length === 0 ? toPrincipal(actor) : { ...toPrincipal(actor), coOwners: [...coOwners] },
    ...(submission.onBehalfOf === undefined ? {} : { onBehalfOf: submission.onBehalfOf }),
  };
}

/** A dry run: the decision and the explain output; nothing stored. */
export function evaluateSubmission(
  deps: RequestServiceDeps,
  actor: RequestActor,
  submission: ActionSubmission,
): Explanation {
  const problem = actionNameProblem(submission.action);
  if (problem !== undefined) throw new ValidationError('action', `the action name ${problem}`);
  return explainAction(deps.policies.current().compiled, toInput(actor, submission));
}

function buildRequest(
  deps: RequestServiceDeps,
  input: ActionInput,
  decision: Decision,
  now: number,
  emergency?: EmergencyWindowRecord,
  groups: ReadonlyMap<string, ApprovalGroup> = new Map(),
) {
  const id = deps.newId();
  const hash = payloadHash(
    {
      action: input.action,
      params: input.params,
      context: input.context,
      ...(input.onBehalfOf === undefined ? {} : { onBehalfOf: input.onBehalfOf }),
    },
    nodeSha256,
  );
  const decided = { id, input, payloadHash: hash, now };
  let created: { request: ApprovalRequest; audit: AuditEventDraft[] };
  if (decision.outcome === 'require') {
    // The groups are copied for the record; votes are judged by the groups as they are then.
    if (emergency === undefined) return createApprovalRequest({ ...decided, decision, groups });
    // An open emergency window lets a `require` pass without review, flagged; a deny never does.
    created = flagEmergencyApproval(
      createDecidedRequest({ ...decided, decision: emergencyAllow(decision) }),
      emergency,
    );
  } else {
    created = createDecidedRequest({ ...decided, decision });
  }
  if (decision.outcome === 'deny') return created;
  const granted = transition(
    created.request,
    { type: 'issue-grant', jti: deps.newId(), ttl: created.request.requirement.grantTtl },
    now,
  );
  if (!granted.ok) throw new Error(`issuing the grant was refused: ${granted.reason}`);
  return { request: granted.request, audit: [...created.audit, ...granted.audit] };
}

/**
 * Submit an action: evaluate it against the active policy and store the request with
 * its audit records in one transaction. Allowed → approved with a grant; denied → denied
 * with the reasons; otherwise pending with its stages and expiry timer.
 */
export async function submitAction(
  deps: RequestServiceDeps,
  actor: RequestActor,
  submission: ActionSubmission,
  idempotencyKey?: string,
): Promise<Submitted> {
  if (!hasScope(actor, 'requests:create'))
    throw new ForbiddenError('This token may not submit requests', 'missing-scope');
  await checkActionName(deps, actor, submission.action);
  const claim =
    idempotencyKey === undefined ? undefined : idempotencyClaim(actor, idempotencyKey, submission);
  const earlier = claim === undefined ? undefined : await findIdempotentReplay(deps, claim);
  if (earlier !== undefined) return replay(deps, earlier);
  await checkOnBehalfOf(deps, actor, submission);
  const input = toInput(actor, submission, await coOwnersOf(deps, actor));
  const decision = evaluateAction(deps.policies.current().compiled, input);
  const now = deps.now();
  const emergency =
    decision.outcome === 'require' ? await activeWindowFor(input.action, now, deps.db) : undefined;
  const groups =
    decision.outcome === 'require'
      ? await loadApprovalGroups(deps.policies.current().policy, deps.db)
      : undefined;
  const { request, audit } = buildRequest(deps, input, decision, now, emergency, groups);
  let records: Awaited<ReturnType<typeof appendAudit>>;
  try {
    records = await withTransaction(deps.db, async (trx) => {
      await insertRequest(request, undefined, trx);
      if (claim !== undefined) await recordIdempotencyClaim(claim, request.id, now, trx);
      if (request.status === 'pending') {
        await insertTimer(
          { id: deps.newId(), requestId: request.id, kind: 'expire', dueAt: request.expiresAt },
          trx,
        );
      }
      if (request.grant !== undefined) {
        const { jti, issuedAt, expiresAt } = request.grant;
        await insertGrant(
          { jti, requestId: request.id, payloadHash: request.payloadHash, issuedAt, expiresAt },
          trx,
        );
      }
      return appendAudit(audit, now, trx);
    });
  } catch (error) {
    // Two submissions with one key raced: the loser answers with the winner's request, or is
    // refused like any later submission when its body differs.
    if (error instanceof ConflictError && error.constraint === 'idempotency_pkey' && claim !== undefined) {
      const winner = await findIdempotentReplay(deps, claim);
      if (winner !== undefined) return replay(deps, winner);
    }
    throw error;
  }
  deps.events.publish(records);
  const grantToken = request.grant === undefined ? undefined : await deps.grants.tokenFor(request);
  return { created: true, request, decision, ...(grantToken === undefined ? {} : { grantToken }) };
}

/** The users who answer for a team-owned agent: its team's maintainers may not approve its requests. */
async function coOwnersOf(deps: RequestServiceDeps, actor: RequestActor): Promise<string[]> {
  if (actor.kind !== 'agent' || actor.ownerTeam === undefined) return [];
  const members = await listTeamMembers(actor.ownerTeam, deps.db);
  return members.filter((member) => member.role === 'maintainer').map((member) => member.userId);
}

async function replay(deps: RequestServiceDeps, request: ApprovalRequest): Promise<Submitted> {
  const usable =
    request.grant !== undefined &&
    request.grant.consumedAt === undefined &&
    request.grant.expiresAt > deps.now();
  const grantToken = usable ? await deps.grants.tokenFor(request) : undefined;
  return { created: false, request, ...(grantToken === undefined ? {} : { grantToken }) };
}
