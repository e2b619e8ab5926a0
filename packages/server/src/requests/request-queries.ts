import type { ApprovalRequest, RequestStatus, Risk } from '@gatehouse/core';
import { isEligible } from '@gatehouse/core';
import { ForbiddenError, NotFoundError } from '../domain-errors.js';
import { nextEventAbout } from '../events/event-hub.js';
import { getRequest, listRequests } from '../storage/index.js';
import { hasScope, type RequestActor, toReviewer } from './request-actor.js';
import type { RequestServiceDeps } from './request-service-deps.js';
import { canSeeRequest } from './request-visibility.js';

/** Filters for the queue. `awaiting: 'me'` keeps the requests the caller can vote on now. */
export interface RequestFilter {
  readonly status?: RequestStatus;
  readonly action?: string;
  readonly team?: string;
  readonly risk?: Risk;
  readonly awaitingMe?: boolean;
  readonly limit?: number;
  readonly cursor?: string;
}

function requireRead(actor: RequestActor): void {
  if (!hasScope(actor, 'requests:read'))
    throw new ForbiddenError('This token may not read requests', 'missing-scope');
}

/** One request, if the caller may see it; otherwise not found (its existence is not revealed). */
export async function readRequest(
  deps: RequestServiceDeps,
  actor: RequestActor,
  id: string,
): Promise<ApprovalRequest> {
  requireRead(actor);
  const stored = await getRequest(id, deps.db);
  if (stored === undefined || !canSeeRequest(actor, stored.request)) throw new NotFoundError('request', id);
  return stored.request;
}

function awaitsVote(actor: RequestActor, request: ApprovalRequest): boolean {
  if (request.status !== 'pending' || request.reviews.some((review) => review.reviewer === actor.id))
    return false;
  return isEligible(request, toReviewer(actor), request.stageIndex).ok;
}

/**
 * A page of the requests the caller may see, newest first. Filtering by visibility
 * happens after the storage query, so a page can hold fewer than `limit` rows while
 * `nextCursor` still leads on; the scan is bounded to a few storage pages per call.
 */
export async function listVisibleRequests(
  deps: RequestServiceDeps,
  actor: RequestActor,
  filter: RequestFilter,
): Promise<{ requests: ApprovalRequest[]; nextCursor?: string }> {
  requireRead(actor);
  const limit = Math.min(Math.max(filter.limit ?? 50, 1), 200);
  const requests: ApprovalRequest[] = [];
  let cursor = filter.cursor;
  for (let scanned = 0; scanned < 10 && requests.length < limit; scanned++) {
    const page = await listRequests(
      {
        limit: limit - requests.length,
        ...(filter.status === undefined ? {} : { status: filter.status }),
        ...(filter.action === undefined ? {} : { action: filter.action }),
        ...(filter.team === undefined ? {} : { team: filter.team }),
        ...(filter.risk === undefined ? {} : { risk: filter.risk }),
        ...(cursor === undefined ? {} : { cursor }),
      },
      deps.db,
    );
    for (const request of page.requests) {
      if (!canSeeRequest(actor, request)) continue;
      if (filter.awaitingMe && !awaitsVote(actor, request)) continue;
      requests.push(request);
    }
    cursor = page.nextCursor;
    if (cursor === undefined) break;
  }
  return { requests, ...(cursor === undefined ? {} : { nextCursor: cursor }) };
}

/**
 * Long-poll: resolve as soon as the request leaves `pending`, or after `timeoutMs` with it
 * still pending. Subscribes before reading, so a decision between the two is not missed.
 */
export async function waitForDecision(
  deps: RequestServiceDeps,
  actor: RequestActor,
  id: string,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<ApprovalRequest> {
  const deadline = deps.now() + timeoutMs;
  for (;;) {
    const listening = new AbortController();
    const stop = () => listening.abort();
    signal?.addEventListener('abort', stop, { once: true });
    try {
      const next = nextEventAbout(
        deps.events,
        `request:${id}`,
        Math.max(0, deadline - deps.now()),
        listening.signal,
      );
      const request = await readRequest(deps, actor, id);
      if (request.status !== 'pending' || deps.now() >= deadline || signal?.aborted) return request;
      if ((await next) === undefined) return readRequest(deps, actor, id);
    } finally {
      listening.abort();
      signal?.removeEventListener('abort', stop);
    }
  }
}
