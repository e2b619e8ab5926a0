import type { ApprovalRequest, Explanation } from '@gatehouse/core';
import { type ConsumedGrant, consumeGrant, type GrantPresentation } from './grant-consumption.js';
import type { RequestActor } from './request-actor.js';
import type { Committed } from './request-commit.js';
import { cancelRequest, overrideRequest, reportOutcome, reviewRequest } from './request-decisions.js';
import { listVisibleRequests, type RequestFilter, readRequest, waitForDecision } from './request-queries.js';
import type { RequestServiceDeps } from './request-service-deps.js';
import {
  type ActionSubmission,
  evaluateSubmission,
  type Submitted,
  submitAction,
} from './request-submission.js';

/** Everything agents and reviewers do with approval requests, bound to its dependencies. */
export interface RequestService {
  submit(actor: RequestActor, submission: ActionSubmission, idempotencyKey?: string): Promise<Submitted>;
  evaluate(actor: RequestActor, submission: ActionSubmission): Explanation;
  get(actor: RequestActor, id: string): Promise<ApprovalRequest>;
  list(
    actor: RequestActor,
    filter: RequestFilter,
  ): Promise<{ requests: ApprovalRequest[]; nextCursor?: string }>;
  wait(actor: RequestActor, id: string, timeoutMs: number, signal?: AbortSignal): Promise<ApprovalRequest>;
  review(
    actor: RequestActor,
    id: string,
    vote: { decision: 'approve' | 'deny'; comment?: string },
  ): Promise<Committed>;
  cancel(actor: RequestActor, id: string): Promise<Committed>;
  override(actor: RequestActor, id: string, justification: string): Promise<Committed>;
  reportOutcome(
    actor: RequestActor,
    id: string,
    outcome: { result: 'succeeded' | 'failed'; detail?: string },
  ): Promise<Committed>;
  consumeGrant(actor: RequestActor, presented: GrantPresentation): Promise<ConsumedGrant>;
  /** The grant token for the requester of an approved, unconsumed, unexpired request. */
  grantTokenFor(actor: RequestActor, request: ApprovalRequest): Promise<string | undefined>;
}

/** Bind the request operations to their dependencies (the composition root calls this once). */
export function createRequestService(deps: RequestServiceDeps): RequestService {
  return {
    submit: (actor, submission, key) => submitAction(deps, actor, submission, key),
    evaluate: (actor, submission) => evaluateSubmission(deps, actor, submission),
    get: (actor, id) => readRequest(deps, actor, id),
    list: (actor, filter) => listVisibleRequests(deps, actor, filter),
    wait: (actor, id, timeoutMs, signal) => waitForDecision(deps, actor, id, timeoutMs, signal),
    review: (actor, id, vote) => reviewRequest(deps, actor, id, vote),
    cancel: (actor, id) => cancelRequest(deps, actor, id),
    override: (actor, id, justification) => overrideRequest(deps, actor, id, justification),
    reportOutcome: (actor, id, outcome) => reportOutcome(deps, actor, id, outcome),
    consumeGrant: (actor, presented) => consumeGrant(deps, actor, presented),
    async grantTokenFor(actor, request) {
      const { grant } = request;
      const isRequester = request.requester.kind === actor.kind && request.requester.id === actor.id;
      if (
        !isRequester ||
        grant === undefined ||
        grant.consumedAt !== undefined ||
        grant.expiresAt <= deps.now()
      ) {
        return undefined;
      }
      return deps.grants.tokenFor(request);
    },
  };
}
