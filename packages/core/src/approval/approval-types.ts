import type { CombinedRequirement, Principal } from '../policy/decision-types.js';
import type { ApprovalGroup, Risk, Role } from '../policy/policy-types.js';
import type { Party } from './request-parties.js';

/** The request format version this build reads and writes. */
export const APPROVAL_REQUEST_VERSION = 1 as const;

/** Where a request stands. `denied`, `expired` and `cancelled` are terminal; `approved` never changes. */
export type RequestStatus = 'pending' | 'approved' | 'denied' | 'expired' | 'cancelled';

/**
 * A human who reviews, as the server knows them at the moment of the review: role, teams and
 * approval groups are directory facts read then, never copied from the request (permissions are live).
 */
export interface Reviewer {
  readonly kind: 'user' | 'agent';
  readonly id: string;
  readonly role?: Role;
  readonly teams: readonly string[];
  /** The approval groups that admit them now (by user or by team); see `approvalGroupsOf`. */
  readonly groups: readonly string[];
}

/** One vote. One per person per request, however many teams or groups make them eligible. */
export interface Review {
  readonly reviewer: string;
  readonly decision: 'approve' | 'deny';
  readonly comment?: string;
  /** Index of the stage the vote counted for. */
  readonly stage: number;
  readonly at: number;
}

/** An emergency override, always flagged. */
export interface OverrideRecord {
  readonly by: string;
  readonly role: Role;
  readonly justification: string;
  readonly at: number;
}

/** The grant issued for an approved request: one use, short-lived. */
export interface GrantRecord {
  readonly jti: string;
  readonly issuedAt: number;
  readonly expiresAt: number;
  readonly consumedAt?: number;
}

/**
 * An approval request: the action as submitted, the requirement the policy decided
 * (a snapshot, so later policy edits do not move the goalposts), and its progress.
 */
export interface ApprovalRequest {
  readonly v: typeof APPROVAL_REQUEST_VERSION;
  readonly id: string;
  readonly action: string;
  readonly params: Readonly<Record<string, unknown>>;
  readonly context: Readonly<Record<string, unknown>>;
  /** SHA-256 of the canonical payload: what a grant is bound to. */
  readonly payloadHash: string;
  readonly requester: Principal;
  readonly onBehalfOf?: string;
  readonly policyVersion: string;
  /** Rule names that matched. */
  readonly rules: readonly string[];
  readonly requirement: CombinedRequirement;
  /**
   * Groups named by the stages, as they were when the request was created: a record for the
   * audit trail only. Eligibility never reads it: a vote is judged by the reviewer's groups then.
   */
  readonly groups: Readonly<Record<string, ApprovalGroup>>;
  /** The requester's team, for `team: $requester.team` stages. */
  readonly requesterTeam?: string;
  readonly risk: Risk;
  readonly status: RequestStatus;
  /** The stage now collecting votes; equals `stages.length` once every stage is met. */
  readonly stageIndex: number;
  readonly reviews: readonly Review[];
  readonly createdAt: number;
  readonly expiresAt: number;
  readonly escalated: boolean;
  readonly decidedAt?: number;
  /** Why it ended: `stages-met`, `denied-by-reviewer`, `timeout-deny`, `timeout-approve`, `override`, `cancelled`. */
  readonly decidedBy?: string;
  readonly override?: OverrideRecord;
  readonly grant?: GrantRecord;
  readonly outcome?: {
    readonly result: 'succeeded' | 'failed';
    readonly at: number;
    readonly detail?: string;
  };
}

/** Something that happens to a request. */
export type RequestEvent =
  | {
      readonly type: 'review';
      readonly reviewer: Reviewer;
      readonly decision: 'approve' | 'deny';
      readonly comment?: string;
    }
  | { readonly type: 'cancel'; readonly by: Reviewer | Principal }
  | { readonly type: 'timeout' }
  | { readonly type: 'override'; readonly by: Reviewer; readonly justification: string }
  | { readonly type: 'issue-grant'; readonly jti: string; readonly ttl: number }
  | {
      readonly type: 'consume-grant';
      readonly jti: string;
      readonly payloadHash: string;
      /** Who presents the grant. Only the requester, or an executor in `executors`, may consume it. */
      readonly presenter: Party;
      /** The executors the active policy names for the request's action (`agent:deployer`). */
      readonly executors: readonly string[];
    }
  | {
      readonly type: 'report-outcome';
      readonly by: Principal | Reviewer;
      readonly result: 'succeeded' | 'failed';
      readonly detail?: string;
    };

/** An audit event a transition asks to record (the chain adds sequence and hashes). */
export interface AuditEventDraft {
  /** `request.approved`, `review.recorded`, `grant.refused`, … */
  readonly type: string;
  /** `user:alice`, `agent:ci-bot`, or `system`. */
  readonly actor: string;
  /** `request:<id>`. */
  readonly subject: string;
  readonly data: Readonly<Record<string, unknown>>;
}

/** Why a transition was refused. Stable codes; the server maps them to HTTP. */
export type RefusalCode =
  | 'not-pending'
  | 'self-approval'
  | 'not-eligible'
  | 'agent-cannot-review'
  | 'already-voted'
  | 'comment-required'
  | 'justification-required'
  | 'override-not-allowed'
  | 'not-requester'
  | 'expired'
  | 'not-approved'
  | 'grant-already-issued'
  | 'grant-mismatch'
  | 'grant-consumed'
  | 'grant-expired'
  | 'not-grant-holder'
  | 'not-consumed'
  | 'outcome-already-reported'
  | 'not-due';

/** The result of `transition`: the new request and its audit events, or a typed refusal (also audited). */
export type TransitionResult =
  | { readonly ok: true; readonly request: ApprovalRequest; readonly audit: readonly AuditEventDraft[] }
  | {
      readonly ok: false;
      readonly code: RefusalCode;
      readonly reason: string;
      /** The refusal itself, to be recorded: refused actions are audited too. */
      readonly audit: readonly AuditEventDraft[];
    };
