import { UnsupportedVersionError } from '../errors.js';
import {
  APPROVAL_REQUEST_VERSION,
  type ApprovalRequest,
  type RequestEvent,
  type TransitionResult,
} from './approval-types.js';
import { applyConsumeGrant, applyIssueGrant, applyReportOutcome } from './grant-transitions.js';
import { applyCancel, applyOverride, applyTimeout } from './lifecycle-transitions.js';
import { applyReview } from './review-transition.js';

/**
 * The approval state machine: applies `event` to `request` at time `now` (ms). Never throws for domain
 * reasons: returns the new frozen request and the audit drafts to record, or a typed refusal whose audit
 * draft records who tried what and why. Throws `UnsupportedVersionError` for a request this build cannot read.
 * @example
 * const result = transition(request, { type: 'review', reviewer, decision: 'approve' }, clock.now());
 * if (!result.ok) reply(403, result.code);
 */
export function transition(request: ApprovalRequest, event: RequestEvent, now: number): TransitionResult {
  assertReadableRequest(request);
  switch (event.type) {
    case 'review':
      return applyReview(request, event, now);
    case 'cancel':
      return applyCancel(request, event, now);
    case 'timeout':
      return applyTimeout(request, now);
    case 'override':
      return applyOverride(request, event, now);
    case 'issue-grant':
      return applyIssueGrant(request, event, now);
    case 'consume-grant':
      return applyConsumeGrant(request, event, now);
    case 'report-outcome':
      return applyReportOutcome(request, event, now);
  }
}

/** Throws `UnsupportedVersionError` unless `request.v` is the version this build reads. */
export function assertReadableRequest(request: ApprovalRequest): void {
  // Persisted requests arrive from storage typed but unchecked, so the literal type proves nothing here.
  const version: unknown = request.v;
  if (version !== APPROVAL_REQUEST_VERSION) {
    throw new UnsupportedVersionError('approval request', version, [APPROVAL_REQUEST_VERSION]);
  }
}
