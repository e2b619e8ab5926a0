// The shapes the Gatehouse API answers with (packages/server/src/http/schemas). The web app
// only reads them; the server's schemas are the source of truth.

/** A role. */
export type Role = 'user' | 'moderator' | 'admin';

/** A risk level. */
export type Risk = 'low' | 'medium' | 'high' | 'critical';

/** The states of a request. */
export type RequestStatus = 'pending' | 'approved' | 'denied' | 'expired' | 'cancelled';

/** Every request state, in the order the app lists them. */
export const REQUEST_STATUSES: readonly RequestStatus[] = [
  'pending',
  'approved',
  'denied',
  'expired',
  'cancelled',
];

/** Every risk level, lowest first. */
export const RISKS: readonly Risk[] = ['low', 'medium', 'high', 'critical'];

/** One stage's progress. */
export interface StageView {
  readonly index: number;
  readonly name: string;
  readonly rule: string;
  readonly min: number;
  readonly approvers: readonly string[];
  readonly approvedBy: readonly string[];
  readonly deniedBy: readonly string[];
  readonly state: 'done' | 'current' | 'waiting';
  readonly remaining: number;
}

/** One vote. */
export interface ReviewView {
  readonly reviewer: string;
  readonly decision: 'approve' | 'deny';
  readonly comment?: string;
  readonly stage: number;
  readonly at: string;
}

/**
 * What Gatehouse established itself: who asked (from the credential and the directory), whom
 * the request acts for (checked against the agent's `actsFor`), and the policy that judged it.
 */
export interface VerifiedFacts {
  readonly requester: {
    readonly kind: 'user' | 'agent';
    readonly id: string;
    readonly role?: string;
    readonly owner?: string;
    readonly teams: readonly string[];
  };
  /** `active` is whether that user is enabled now (on a request's detail only). */
  readonly onBehalfOf?: {
    readonly user: string;
    readonly basis: 'self' | 'acts-for';
    readonly active?: boolean;
  };
  readonly team?: string;
  readonly policyVersion: string;
  readonly rules: readonly string[];
}

/** What the payload hash covers, so the grant holds the executor to it. */
export interface BoundFields {
  readonly action: string;
  readonly params: Readonly<Record<string, unknown>>;
  /** Only the context fields the hash covers: environment, team, workflow, runId. */
  readonly context: Readonly<Record<string, unknown>>;
  readonly onBehalfOf?: string;
  readonly payloadHash: string;
}

/** The agent's own words: reason, risk hint, any other context. Enforced by nothing. */
export interface ClaimedFields {
  readonly reason?: string;
  readonly risk?: string;
  readonly context: Readonly<Record<string, unknown>>;
}

/** A request as the API shows it: `verified`, `bound` and `claimed` kept apart. */
export interface RequestView {
  readonly id: string;
  readonly status: RequestStatus;
  readonly verified: VerifiedFacts;
  readonly bound: BoundFields;
  readonly claimed: ClaimedFields;
  /** The risk the policy gave it (never the agent's hint). */
  readonly risk: Risk;
  /** The server's plain-words summary (on a request's detail, once written): advisory. */
  readonly summary?: RequestSummary;
  readonly createdAt: string;
  readonly expiresAt: string;
  readonly decidedAt?: string;
  readonly decidedBy?: string;
  readonly escalated: boolean;
  readonly stages: readonly StageView[];
  readonly reviews: readonly ReviewView[];
  readonly override?: { readonly by: string; readonly justification: string; readonly at: string };
  readonly grant?: { readonly jti: string; readonly expiresAt: string; readonly consumedAt?: string };
  readonly outcome?: {
    readonly result: 'succeeded' | 'failed';
    readonly at: string;
    readonly detail?: string;
  };
  readonly viewer: { readonly canReview: boolean; readonly reason?: string; readonly code?: string };
}

/** One thing in a request's params that raised the summary's risk (`git-force-push`, `sudo`…). */
export interface RiskSignal {
  readonly code: string;
  readonly detail: string;
}

/**
 * What will happen, in plain words, with a risk and the signals behind it. Advisory only:
 * `source` is `built-in` (the server's explainer) or `llm:<model>`; it never decides.
 */
export interface RequestSummary {
  readonly text: string;
  readonly risk: Risk;
  readonly signals: readonly RiskSignal[];
  readonly source: string;
}

/** One audit record, as hashed into the chain (`at` in ms since the epoch). */
export interface AuditRecord {
  readonly v: number;
  readonly seq: number;
  readonly at: number;
  readonly type: string;
  readonly actor: string;
  readonly subject: string;
  readonly data: Readonly<Record<string, unknown>>;
  readonly prevHash: string;
  readonly hash: string;
}

/** A request in detail, with its audit timeline. */
export interface RequestDetail extends RequestView {
  readonly timeline: readonly AuditRecord[];
}

/** A page of the queue. */
export interface RequestPage {
  readonly requests: readonly RequestView[];
  readonly nextCursor?: string;
}

/** The signed-in user. */
export interface SessionUser {
  readonly id: string;
  readonly username: string;
  readonly displayName: string;
  readonly role: Role;
  readonly teams: readonly string[];
}

/** `GET /v1/auth/session`. */
export interface SessionInfo {
  readonly principal: { readonly kind: 'user' | 'agent'; readonly id: string; readonly role?: Role };
  readonly user?: SessionUser;
  readonly csrfToken?: string;
}

/** `POST /v1/auth/login`. */
export interface LoginResult {
  readonly user: SessionUser;
  readonly csrfToken: string;
}

/** A place in a policy source. */
export interface SourcePosition {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

/** One rule of the active policy. */
export interface PolicyRuleSummary {
  readonly name: string;
  readonly position: SourcePosition;
  readonly outcome: 'allow' | 'deny' | 'require';
  readonly match: Readonly<Record<string, unknown>>;
  readonly risk?: Risk;
}

/** `GET /v1/policy`. */
export interface ActivePolicy {
  readonly version: string;
  readonly source: string;
  readonly rules: readonly PolicyRuleSummary[];
  readonly activatedAt: string;
}

/** One stored policy version. */
export interface PolicyVersionSummary {
  readonly version: string;
  readonly createdAt: string;
  readonly createdBy: string;
  readonly active: boolean;
}

/** A stored policy version with its source. */
export interface PolicyVersion extends PolicyVersionSummary {
  readonly source: string;
}

/** A problem in a policy source. */
export interface PolicyIssue {
  readonly line: number;
  readonly column: number;
  readonly code: string;
  readonly message: string;
}

/** `POST /v1/policy/lint`. */
export interface LintResult {
  readonly valid: boolean;
  readonly errors: readonly PolicyIssue[];
}

/** One condition checked while matching a rule. */
export interface ConditionTrace {
  readonly condition: string;
  readonly ok: boolean;
  readonly detail: string;
}

/** One part of a shell command, as the policy saw it. */
export interface ShellPart {
  readonly argv: readonly string[];
  readonly text: string;
  readonly wrappers: readonly string[];
  readonly dynamic: boolean;
}

/** `POST /v1/evaluate`: the decision, why, and what nearly matched. */
export interface Explanation {
  readonly decision: {
    readonly outcome: 'allow' | 'deny' | 'require';
    readonly reason?: string;
    readonly reasons?: readonly { readonly rule: string; readonly reason: string }[];
    readonly matched: readonly {
      readonly rule: string;
      readonly position: SourcePosition;
      readonly outcome: 'allow' | 'deny' | 'require';
      readonly viaShellPart?: string;
      readonly trace: readonly ConditionTrace[];
    }[];
    readonly requirement?: {
      readonly stages: readonly {
        readonly name: string;
        readonly rule: string;
        readonly approvers: readonly Readonly<Record<string, unknown>>[];
        readonly min: number;
      }[];
      readonly expiresIn: number;
      readonly onTimeout: string;
      readonly selfApproval: boolean;
      readonly override?: { readonly by: readonly string[]; readonly justificationRequired: boolean };
    };
    readonly risk: Risk;
    readonly policyVersion: string;
  };
  readonly nearMisses: readonly {
    readonly rule: string;
    readonly position: SourcePosition;
    readonly failed: ConditionTrace;
  }[];
  readonly shell?: { readonly ok: boolean; readonly parts?: readonly ShellPart[]; readonly error?: string };
}

/** `POST /v1/audit/verify`. */
export interface AuditVerification {
  readonly ok: boolean;
  readonly count: number;
  readonly head?: { readonly seq: number; readonly hash: string };
  readonly checkpointsVerified?: number;
  readonly firstBad?: {
    readonly seq: number;
    readonly index: number;
    readonly problem: string;
    readonly message: string;
  };
}

/** A page of the audit log. */
export interface AuditPage {
  readonly records: readonly AuditRecord[];
  readonly nextSeq?: number;
}

/** A user in the directory. */
export interface DirectoryUser {
  readonly id: string;
  readonly username: string;
  readonly displayName: string;
  readonly role: Role;
  readonly baseRole: 'user' | 'moderator';
  readonly disabled: boolean;
  readonly createdAt: string;
  readonly lockedUntil?: string;
}

/** A team with its members. */
export interface Team {
  readonly id: string;
  readonly name: string;
  readonly members: readonly { readonly userId: string; readonly role: 'maintainer' | 'member' }[];
}

/** An approval group. */
export interface ApprovalGroup {
  readonly name: string;
  readonly users: readonly string[];
  readonly teams: readonly string[];
}

/** An agent. */
export interface Agent {
  readonly id: string;
  readonly name: string;
  readonly owner: { readonly kind: 'user' | 'team'; readonly id: string };
  readonly disabled: boolean;
  readonly createdAt: string;
}

/** An API token's metadata (never its secret). */
export interface TokenMetadata {
  readonly id: string;
  readonly prefix: string;
  readonly principal: { readonly kind: 'user' | 'agent'; readonly id: string };
  readonly scopes: readonly string[];
  readonly createdAt: string;
  readonly expiresAt?: string;
  readonly revokedAt?: string;
  readonly lastUsedAt?: string;
}

/** A token just issued: its text is shown once. */
export interface IssuedToken {
  readonly token: string;
  readonly id: string;
  readonly prefix: string;
  readonly scopes: readonly string[];
  readonly expiresAt?: string;
}

/** An RFC 9457 problem, as every API error carries it. */
export interface Problem {
  readonly type?: string;
  readonly title?: string;
  readonly status?: number;
  readonly detail?: string;
  readonly reason?: string;
  readonly errors?: readonly (
    | { readonly field: string; readonly message: string }
    | { readonly line: number; readonly column: number; readonly code: string; readonly message: string }
  )[];
}
