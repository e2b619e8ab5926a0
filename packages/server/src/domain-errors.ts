import { GatehouseError } from '@gatehouse/core';

/**
 * The server's domain errors. Services throw these; they know nothing of HTTP.
 * `http/problem-details.ts` maps each class to a status by table, and the CLI maps them
 * to exit codes the same way.
 */

/** The caller is not authenticated (no, unknown, expired or revoked credentials). */
export class UnauthenticatedError extends GatehouseError {
  constructor(message = 'Authentication required', reason = 'unauthenticated') {
    super('unauthenticated', message, { data: { reason } });
  }
}

/** The caller is known but may not do this. `reason` is a stable code. */
export class ForbiddenError extends GatehouseError {
  constructor(message: string, reason = 'forbidden', data: Record<string, unknown> = {}) {
    super('forbidden', message, { data: { reason, ...data } });
  }
}

/** The thing named does not exist, or the caller may not know that it does. */
export class NotFoundError extends GatehouseError {
  constructor(kind: string, id: string) {
    super('not-found', `No ${kind} "${id}"`, { data: { kind, id } });
  }
}

/** Input is well-formed but not acceptable; `field` is a JSON pointer-ish path (`params.command`). */
export class ValidationError extends GatehouseError {
  readonly field: string;

  constructor(field: string, message: string) {
    super('invalid-input', `${field}: ${message}`, { data: { field } });
    this.field = field;
  }
}

/**
 * The state machine or a business rule refused the action (self-approval, already voted,
 * grant consumed twice…). `reason` is the core's RefusalCode; the refusal was audited.
 */
export class RefusedError extends GatehouseError {
  readonly reason: string;

  constructor(reason: string, message: string, data: Record<string, unknown> = {}) {
    super('refused', message, { data: { reason, ...data } });
    this.reason = reason;
  }
}

/** Too many attempts; `retryAfterSeconds` says when to try again. */
export class RateLimitedError extends GatehouseError {
  readonly retryAfterSeconds: number;

  constructor(message: string, retryAfterSeconds: number) {
    super('rate-limited', message, { data: { retryAfterSeconds } });
    this.retryAfterSeconds = retryAfterSeconds;
  }
}
