// The shapes the Gatehouse HTTP API sends and receives (its OpenAPI document at `/openapi.json`
// is the source). Written out here rather than imported so the SDK installs alone.

/**
 * A JSON object: params and context of an action.
 * @example const params: JsonObject = { ref: 'v1.2', services: ['api'] };
 */
export type JsonObject = Readonly<Record<string, unknown>>;

/**
 * Where a request is in its life.
 * @example if ((await gate.getRequest(id)).status === 'pending') showWaiting();
 */
export type RequestStatus = 'pending' | 'approved' | 'denied' | 'expired' | 'cancelled';

/**
 * What the policy decided about an action.
 * @example const outcome: DecisionOutcome = (await gate.evaluate(action, params)).decision.outcome;
 */
export type DecisionOutcome = 'allow' | 'deny' | 'require';

/**
 * A rule that denied an action, and the reason its author wrote.
 * @example const { rule, reason }: RuleReason = submitted.decision.reasons![0]!;
 */
export interface RuleReason {
  readonly rule: string;
  readonly reason: string;
}

/**
 * One review of a request.
 * @example const comments = detail.reviews.map((review: ReviewView) => review.comment);
 */
export interface ReviewView {
  readonly reviewer: string;
  readonly decision: 'approve' | 'deny';
  readonly comment?: string;
  readonly stage: number;
  readonly at: string;
}

/**
 * One approval stage's progress.
 * @example const waitingOn = detail.stages.find((stage: StageView) => stage.state === 'current')?.approvers;
 */
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

/**
 * What Gatehouse established itself: who asked (from the credential and the directory), whom
 * it acts for (checked against the agent's `actsFor`), and the policy that judged it.
 */
export interface VerifiedFacts {
  readonly requester: {
    readonly kind: 'user' | 'agent';
    readonly id: string;
    readonly role?: string;
    readonly owner?: string;
    readonly teams: readonly string[];
  };
  /** `active` is whether that user is enabled now (detail views only). */
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
  readonly params: JsonObject;
  /** Only the context fields the hash covers: environment, team, workflow, runId. */
  readonly context: JsonObject;
  readonly onBehalfOf?: string;
  readonly payloadHash: string;
}

/** The agent's own words: its reason, its risk hint, any other context. Enforced by nothing. */
export interface ClaimedFields {
  readonly reason?: string;
  readonly risk?: string;
  readonly context: JsonObject;
}

/**
 * An approval request as the API shows it: `verified`, `bound` and `claimed` kept apart.
 * Times are ISO 8601 strings.
 * @example const { request }: { request: RequestView } = await gate.submit('deploy.production', { ref }); request.bound.params;
 */
export interface RequestView {
  readonly id: string;
  readonly status: RequestStatus;
  readonly verified: VerifiedFacts;
  readonly bound: BoundFields;
  readonly claimed: ClaimedFields;
  /** The risk the policy gave it (never the agent's hint). */
  readonly risk: string;
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

/**
 * One record of the hash-chained audit log (`at` in ms since the epoch).
 * @example const decidedBy = detail.timeline.find((record: AuditRecordView) => record.type === 'request.approved')?.actor;
 */
export interface AuditRecordView {
  readonly v: number;
  readonly seq: number;
  readonly at: number;
  readonly type: string;
  readonly actor: string;
  readonly subject: string;
  readonly data: JsonObject;
  readonly prevHash: string;
  readonly hash: string;
}

/**
 * A request in detail: its grant token (for its requester, while usable) and its audit timeline.
 * @example const { grantToken }: RequestDetail = await gate.waitFor(id);
 */
export interface RequestDetail extends RequestView {
  readonly grantToken?: string;
  readonly timeline: readonly AuditRecordView[];
}

/**
 * What `POST /v1/requests` answers.
 * @example const { request, grant, decision }: SubmitResult = await gate.submit(action, params);
 */
export interface SubmitResult {
  readonly request: RequestView;
  /** The grant token when the policy allowed the action at once. */
  readonly grant?: string;
  readonly decision: { readonly outcome: DecisionOutcome; readonly reasons?: readonly RuleReason[] };
}

/**
 * What a consumed grant allows: exactly this action with exactly these params, once.
 * @example const { params }: ConsumedGrant = await gate.consumeGrant(token, { action, params: input });
 */
export interface ConsumedGrant {
  readonly requestId: string;
  readonly action: string;
  readonly params: JsonObject;
  readonly context: JsonObject;
  readonly payloadHash: string;
}

/**
 * What `POST /v1/evaluate` explains (the fields the SDK reads; the API sends more).
 * @example const { decision }: Explanation = await gate.evaluate('deploy.production', { ref });
 */
export interface Explanation {
  readonly decision: {
    readonly outcome: DecisionOutcome;
    readonly reason?: string;
    readonly reasons?: readonly RuleReason[];
    readonly risk: string;
    readonly policyVersion: string;
  };
}

/**
 * An RFC 9457 problem, as every API error carries it.
 * @example const problem = (await response.json()) as Problem; console.log(problem.reason);
 */
export interface Problem {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly instance?: string;
  /** The stable code of a refusal (`grant-consumed`, `self-approval`, `missing-scope`, …). */
  readonly reason?: string;
  readonly errors?: readonly Readonly<Record<string, unknown>>[];
}

/**
 * The public keys that verify grants, as `/.well-known/jwks.json` serves them.
 * @example const jwks = (await (await fetch(`${url}/.well-known/jwks.json`)).json()) as JwksDocument;
 */
export interface JwksDocument {
  readonly keys: readonly Readonly<Record<string, unknown>>[];
}
