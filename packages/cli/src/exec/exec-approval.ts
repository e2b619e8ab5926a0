import { randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import type { RequestView } from '@gatehouse/server';
import type { ApiClient } from '../api/api-client.js';
import { ApiError } from '../api/api-error.js';
import { CliError, EXIT } from '../cli-error.js';
import type { RequestDetail } from '../format-request.js';
import { oneLine } from '../output.js';

/** What `exec` asks for. */
export interface ExecSubmission {
  readonly argv: readonly string[];
  readonly context: Readonly<Record<string, string>>;
  readonly reason?: string;
}

/** How the wait for approval ended. */
export type ExecApproval =
  | { readonly kind: 'granted'; readonly requestId: string; readonly grant: string; readonly waited: boolean }
  | {
      readonly kind: 'not-run';
      readonly requestId?: string;
      /** denied, expired, cancelled, timed-out, interrupted or refused. */
      readonly status: string;
      readonly reason: string;
    };

/** What the caller hears while waiting. */
export interface ExecApprovalOptions {
  /** Stop waiting (and cancel the request) after this long; none waits until the server decides. */
  readonly timeoutMs?: number;
  readonly signal: AbortSignal;
  /** Called once when the request has to wait for people. */
  onPending(request: RequestView): void;
}

interface Submitted {
  readonly request: RequestView;
  readonly grant?: string;
  readonly decision: {
    readonly outcome: string;
    readonly reasons?: readonly { rule: string; reason: string }[];
  };
}

/** The long-poll's own bound (the API allows 0-60 s). */
const WAIT_SECONDS = 30;
/** Transient failures in a row (unreachable, 5xx) tolerated before giving up, with these delays. */
const RETRY_DELAYS_MS = [200, 800];

/** Retries a call that failed to reach the server, a few times; refusals are not retried. */
async function withRetries<T>(call: () => Promise<T>, signal: AbortSignal): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      const transient = error instanceof CliError && error.exitCode === EXIT.unreachable;
      const wait = RETRY_DELAYS_MS[attempt];
      if (!transient || wait === undefined || signal.aborted) throw error;
      await delay(wait, undefined, { signal }).catch(() => {});
    }
  }
}

/** Why a decided request did not produce a grant: the reviewers' comments or the rules' reasons. */
export function whyNotApproved(detail: RequestDetail): string {
  if (detail.status === 'denied') {
    const comments = detail.reviews
      .filter((review) => review.decision === 'deny')
      .map((review) => `${review.reviewer}: ${review.comment ?? '(no comment)'}`);
    if (comments.length > 0) return oneLine(`denied by ${comments.join('; ')}`);
    const denied = detail.timeline.find((record) => record.type === 'request.denied');
    const reasons = (denied?.data as { reasons?: { rule: string; reason: string }[] } | undefined)?.reasons;
    if (reasons !== undefined && reasons.length > 0) {
      return oneLine(`denied by policy: ${reasons.map((r) => `${r.rule}: ${r.reason}`).join('; ')}`);
    }
    return 'denied';
  }
  if (detail.status === 'expired') return `expired at ${detail.expiresAt} without the approvals it needed`;
  if (detail.status === 'cancelled') {
    const cancelled = detail.timeline.find((record) => record.type === 'request.cancelled');
    return cancelled === undefined ? 'cancelled' : `cancelled by ${cancelled.actor}`;
  }
  return 'approved, but its grant is no longer usable (used or expired)';
}

async function cancelQuietly(client: ApiClient, id: string): Promise<void> {
  await client
    .withoutInterrupt()
    .call('POST', `/v1/requests/${encodeURIComponent(id)}/cancel`)
    .catch(() => {});
}

/**
 * Submits `shell.execute` with the exact argv and waits for the decision: long-polls
 * `/v1/requests/{id}/wait` until the request is decided, the timeout passes or the caller is
 * interrupted (both cancel the request, so no grant outlives our interest in it).
 */
export async function obtainExecGrant(
  client: ApiClient,
  submission: ExecSubmission,
  options: ExecApprovalOptions,
): Promise<ExecApproval> {
  const { signal } = options;
  const deadline = options.timeoutMs === undefined ? undefined : Date.now() + options.timeoutMs;
  // One key for every attempt: a retry after a lost answer gets the same request, not a second.
  const idempotencyKey = randomUUID();
  const submitted = await withRetries(
    () =>
      client.call<Submitted>('POST', '/v1/requests', {
        headers: { 'idempotency-key': idempotencyKey },
        body: {
          action: 'shell.execute',
          params: { argv: submission.argv },
          ...(Object.keys(submission.context).length === 0 ? {} : { context: submission.context }),
          ...(submission.reason === undefined ? {} : { reason: submission.reason }),
        },
      }),
    signal,
  );
  const { request } = submitted.body;
  if (submitted.body.grant !== undefined) {
    return { kind: 'granted', requestId: request.id, grant: submitted.body.grant, waited: false };
  }
  if (request.status === 'denied') {
    const reasons = submitted.body.decision.reasons ?? [];
    const why = reasons.map((r) => `${r.rule}: ${r.reason}`).join('; ');
    return {
      kind: 'not-run',
      requestId: request.id,
      status: 'denied',
      reason: oneLine(`denied by policy: ${why}`),
    };
  }
  if (request.status !== 'pending') {
    return {
      kind: 'not-run',
      requestId: request.id,
      status: request.status,
      reason: `the request is ${request.status}`,
    };
  }
  options.onPending(request);
  for (;;) {
    const remainingMs = deadline === undefined ? Number.POSITIVE_INFINITY : deadline - Date.now();
    if (remainingMs <= 0) {
      await cancelQuietly(client, request.id);
      return {
        kind: 'not-run',
        requestId: request.id,
        status: 'timed-out',
        reason: 'no decision in time; cancelled it',
      };
    }
    const seconds = Math.max(1, Math.min(WAIT_SECONDS, Math.ceil(remainingMs / 1000)));
    let detail: RequestDetail;
    try {
      ({ body: detail } = await withRetries(
        () =>
          client.call<RequestDetail>('GET', `/v1/requests/${encodeURIComponent(request.id)}/wait`, {
            query: { timeout: seconds },
            timeoutMs: seconds * 1000 + 15_000,
          }),
        signal,
      ));
    } catch (error) {
      if (!signal.aborted) throw error;
      await cancelQuietly(client, request.id);
      return {
        kind: 'not-run',
        requestId: request.id,
        status: 'interrupted',
        reason: 'interrupted; cancelled it',
      };
    }
    if (detail.status === 'pending') continue;
    if (detail.status === 'approved' && detail.grantToken !== undefined) {
      return { kind: 'granted', requestId: request.id, grant: detail.grantToken, waited: true };
    }
    return { kind: 'not-run', requestId: request.id, status: detail.status, reason: whyNotApproved(detail) };
  }
}

/** A refusal from the API while obtaining or consuming a grant means the command does not run (126). */
export function isRefusal(error: unknown): error is ApiError {
  return error instanceof ApiError && error.status >= 400 && error.status < 500 && error.status !== 401;
}
