import type { RuleReason } from './api-types.js';

/**
 * Why Gatehouse did not let an action run. `Unavailable` covers network, 5xx and time-outs.
 * @example const kind: DenialKind = denial.kind;
 */
export type DenialKind = 'Denied' | 'Expired' | 'Cancelled' | 'Unavailable' | 'Refused';

/**
 * What every denial knows: the action and, once one exists, the request.
 * @example new GatehouseExpired({ action: 'deploy.production', requestId } satisfies DenialDetails);
 */
export interface DenialDetails {
  readonly action?: string;
  readonly requestId?: string;
  readonly cause?: unknown;
}

const ACTION_FALLBACK = 'the action';

/**
 * The base of every typed answer that means "the action did not run". `guard` throws one of
 * its subclasses; `guardResult` returns it inside `{ ok: false }`. Switch on `kind`.
 *
 * @example
 * try {
 *   await gate.guard('deploy.production', { ref: 'v1.2' }, deploy);
 * } catch (error) {
 *   if (error instanceof GatehouseDenial) return error.toModelMessage();
 *   throw error;
 * }
 */
export abstract class GatehouseDenial extends Error {
  abstract readonly kind: DenialKind;
  readonly action: string | undefined;
  /** The approval request, when one was created. */
  readonly requestId: string | undefined;

  constructor(message: string, details: DenialDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = new.target.name;
    this.action = details.action;
    this.requestId = details.requestId;
  }

  /**
   * One or two sentences for a language model: what happened, that the action did not run,
   * and what it can do next.
   * @example tool.execute = async () => { try { … } catch (e) { if (e instanceof GatehouseDenial) return e.toModelMessage(); throw e; } }
   */
  abstract toModelMessage(): string;

  /** The action's name for messages. */
  protected get subject(): string {
    return this.action ?? ACTION_FALLBACK;
  }
}

/**
 * Who denied, and why: a policy rule with its reason, or a reviewer with their comment.
 * @example const rules = denied.reasons.filter((r: DenialReason) => r.source === 'policy');
 */
export type DenialReason =
  | { readonly source: 'policy'; readonly rule: string; readonly reason: string }
  | { readonly source: 'reviewer'; readonly reviewer: string; readonly comment?: string };

function describeReason(reason: DenialReason): string {
  if (reason.source === 'policy') return `policy rule "${reason.rule}": ${reason.reason}`;
  return reason.comment === undefined
    ? `reviewer ${reason.reviewer}`
    : `reviewer ${reason.reviewer}, who said: "${reason.comment}"`;
}

/**
 * The policy or a reviewer denied the action. `reasons` says who and why.
 * @example if (error instanceof GatehouseDenied) console.log(error.reasons.map((r) => r.source));
 */
export class GatehouseDenied extends GatehouseDenial {
  readonly kind = 'Denied' as const;
  readonly reasons: readonly DenialReason[];

  constructor(reasons: readonly DenialReason[], details: DenialDetails = {}) {
    const action = details.action ?? ACTION_FALLBACK;
    const why = reasons.length === 0 ? '' : ` by ${reasons.map(describeReason).join('; ')}`;
    super(`Gatehouse denied ${action}${why}`, details);
    this.reasons = Object.freeze([...reasons]);
  }

  /** Builds the reasons of a policy denial from the rules' `{ rule, reason }`. */
  static byPolicy(reasons: readonly RuleReason[], details: DenialDetails = {}): GatehouseDenied {
    return new GatehouseDenied(
      reasons.map(({ rule, reason }) => ({ source: 'policy' as const, rule, reason })),
      details,
    );
  }

  toModelMessage(): string {
    return `${this.message}. It did not run. Do not retry it unchanged: choose another way to reach the goal, or ask the user.`;
  }
}

/**
 * Nobody decided before the request expired.
 * @example if (error.kind === 'Expired') await notifyOwner(error.requestId);
 */
export class GatehouseExpired extends GatehouseDenial {
  readonly kind = 'Expired' as const;

  constructor(details: DenialDetails = {}) {
    super(`The request to run ${details.action ?? ACTION_FALLBACK} expired before it was approved`, details);
  }

  toModelMessage(): string {
    return `${this.message}, so it did not run. Ask the user whether to request it again.`;
  }
}

/**
 * The request was withdrawn (by the agent or the user it acts for) before a decision.
 * @example if (error.kind === 'Cancelled') return 'stopped';
 */
export class GatehouseCancelled extends GatehouseDenial {
  readonly kind = 'Cancelled' as const;
  /** Who cancelled it (`agent:ci-bot`, `user:alice`), when known. */
  readonly by: string | undefined;

  constructor(details: DenialDetails & { readonly by?: string } = {}) {
    const by = details.by === undefined ? '' : ` by ${details.by}`;
    super(`The request to run ${details.action ?? ACTION_FALLBACK} was cancelled${by}`, details);
    this.by = details.by;
  }

  toModelMessage(): string {
    return `${this.message}; it did not run. Do not retry it unless the user asks you to.`;
  }
}

/**
 * What made Gatehouse unavailable.
 * @example if (error.reason === ('timeout' satisfies UnavailableReason)) remindReviewers();
 */
export type UnavailableReason = 'network' | 'server' | 'rate-limited' | 'timeout';

/**
 * Gatehouse could not be reached, failed (5xx), asked us to slow down (429), or did not decide
 * within the time the caller gave. The action did not run (fail closed) unless the client was
 * created with `failOpen: true`.
 * @example if (error.kind === 'Unavailable' && error.reason === 'timeout') queueForLater();
 */
export class GatehouseUnavailable extends GatehouseDenial {
  readonly kind = 'Unavailable' as const;
  readonly reason: UnavailableReason;
  /** The HTTP status, when the server answered. */
  readonly status: number | undefined;

  constructor(
    reason: UnavailableReason,
    message: string,
    details: DenialDetails & { readonly status?: number } = {},
  ) {
    super(message, details);
    this.reason = reason;
    this.status = details.status;
  }

  toModelMessage(): string {
    if (this.reason === 'timeout') {
      return `${this.message}. ${this.subject} did not run. Tell the user it is still waiting for a human decision.`;
    }
    return `Gatehouse, which must approve ${this.subject}, is unavailable (${this.message}), so it did not run. Try again later.`;
  }
}

/**
 * Gatehouse refused the call itself: a grant that is forged, expired, already used or does not
 * match the payload (`grant-*` reasons), credentials it does not accept (`unauthenticated`,
 * `missing-scope`), or input it rejects (`invalid-input`). Nothing ran.
 * @example if (error.kind === 'Refused' && error.reason === 'grant-consumed') return;
 */
export class GatehouseRefused extends GatehouseDenial {
  readonly kind = 'Refused' as const;
  /** The stable code: `grant-consumed`, `grant-mismatch`, `unauthenticated`, `invalid-input`, … */
  readonly reason: string;
  readonly status: number | undefined;

  constructor(reason: string, message: string, details: DenialDetails & { readonly status?: number } = {}) {
    super(message, details);
    this.reason = reason;
    this.status = details.status;
  }

  toModelMessage(): string {
    return `Gatehouse refused ${this.subject} (${this.reason}: ${this.message}), so it did not run. Do not retry it unchanged.`;
  }
}
