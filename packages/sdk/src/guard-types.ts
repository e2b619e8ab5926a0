import type { ConsumedGrant, JsonObject, RequestView } from './api-types.js';
import type { DenialKind, GatehouseDenial } from './gatehouse-denial.js';

/**
 * What is submitted besides the action and its params.
 * @example await gate.submit('deploy.production', { ref }, { context: { environment: 'prod' }, reason: 'hotfix' });
 */
export interface SubmitOptions {
  /**
   * Where and for what the action runs. `environment`, `team`, `workflow` and `runId` are
   * bound into the approval: the grant only works for the same values.
   */
  readonly context?: JsonObject;
  /** Why the agent wants this. Reviewers see it marked as claimed by the agent, never verified. */
  readonly reason?: string;
  /** The user the agent acts for (they may cancel, and never approve it). */
  readonly onBehalfOf?: string;
  /**
   * Makes a repeated submission answer with the original request instead of a second one.
   * `guard` generates one per call and reuses it on every retry; pass your own to make a
   * resubmission after a crash find its request.
   */
  readonly idempotencyKey?: string;
  /** Aborting stops the call (and cancels a pending request); it rejects with the signal's reason. */
  readonly signal?: AbortSignal;
}

/**
 * How the outcome of the guarded function is reported to Gatehouse.
 * @example await gate.reportOutcome(requestId, { result: 'failed', detail: 'exit code 2' } satisfies ReportedOutcome);
 */
export interface ReportedOutcome {
  readonly result: 'succeeded' | 'failed';
  readonly detail?: string;
}

/**
 * Options of `guard`, `guardResult` and `authorize`.
 * @example await gate.guard(action, params, fn, { timeout: 600_000, onPending: (r) => log(`waiting: ${r.id}`) });
 */
export interface GuardOptions<T = unknown> extends SubmitOptions {
  /**
   * Milliseconds to wait for people to decide. When it passes the request is cancelled and
   * the answer is `Unavailable` with reason `timeout`. Default: wait until the server decides
   * (the policy's `expiresIn`).
   */
  readonly timeout?: number;
  /** Called once when the request has to wait for reviewers (show the request id to a person). */
  readonly onPending?: (request: RequestView) => void;
  /**
   * The outcome to report for the function's result. Default: `succeeded` when it returns,
   * `failed` with the error's message when it throws.
   */
  readonly outcomeOf?: (value: T) => ReportedOutcome;
  /**
   * An approval already obtained with `authorize`: the guard consumes its grant (checked
   * against this call's payload) instead of submitting again.
   */
  readonly approved?: Authorization;
}

/**
 * What the guarded function learns about its approval.
 * @example await gate.guard(action, params, (p, ctx) => (ctx.failedOpen ? runUnaudited(p) : run(p, ctx.requestId)));
 */
export type GuardContext =
  | {
      readonly failedOpen: false;
      readonly requestId: string;
      /** The grant, already consumed: it cannot be used again. */
      readonly grant: string;
      /** What the grant allowed, as the server recorded it. */
      readonly consumed: ConsumedGrant;
    }
  | {
      /** Gatehouse was unreachable and the client was created with `failOpen: true`. */
      readonly failedOpen: true;
      readonly requestId?: string;
    };

/**
 * The function `guard` runs once the action is approved and its grant consumed.
 * @example const deploy: GuardedFunction<{ ref: string }, string> = async ({ ref }) => ship(ref);
 */
export type GuardedFunction<P extends JsonObject, T> = (params: P, context: GuardContext) => T | Promise<T>;

/**
 * An approval, ready to be consumed: the request and its single-use grant.
 * @example const approved: Authorization = await gate.authorize(action, params); await gate.guard(action, params, fn, { approved });
 */
export interface Authorization {
  readonly requestId: string;
  readonly grant: string;
  readonly request: RequestView;
}

/**
 * What `guardResult` resolves to: the function's value, or the typed reason it did not run.
 * Errors the function itself throws are not Gatehouse's answers and still reject.
 * @example const result = await gate.guardResult(action, params, fn); if (!result.ok) console.log(result.kind);
 */
export type GuardResult<T> =
  | {
      readonly ok: true;
      readonly value: T;
      readonly requestId: string | undefined;
      readonly failedOpen: boolean;
    }
  | { readonly ok: false; readonly kind: DenialKind; readonly denial: GatehouseDenial };

/**
 * How `gated` turns a function's arguments into an action.
 * @example gate.gated(restart, { action: 'service.restart', params: ([name]) => ({ name }), timeout: 60_000 });
 */
export interface GatedOptions<A extends readonly unknown[]>
  extends Omit<GuardOptions, 'context' | 'reason' | 'outcomeOf' | 'idempotencyKey' | 'approved'> {
  readonly action: string;
  /** The params the approval is about, from the call's arguments. */
  readonly params: (args: A) => JsonObject;
  readonly context?: (args: A) => JsonObject;
  readonly reason?: (args: A) => string;
}
