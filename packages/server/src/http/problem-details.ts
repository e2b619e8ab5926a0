import { GatehouseError } from '@gatehouse/core';
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import {
  ForbiddenError,
  NotFoundError,
  RateLimitedError,
  RefusedError,
  UnauthenticatedError,
  ValidationError,
} from '../domain-errors.js';
import { PolicyValidationError } from '../policy/policy-validation-error.js';
import { InvalidCursorError } from '../storage/request-cursor.js';
import { ConflictError, IntegrityError } from '../storage/storage-errors.js';
import type { HttpLogger } from './http-context.js';

/** Where problem `type` URIs live: `https://gatehouse.dev/problems/<code>`. */
export const PROBLEM_TYPE_BASE = 'https://gatehouse.dev/problems/';

/** The media type of every error body (RFC 9457). */
export const PROBLEM_MEDIA_TYPE = 'application/problem+json';

/** One input that was refused, named by its path (`params.command`, `comment`). */
export interface FieldIssue {
  readonly field: string;
  readonly message: string;
}

/** One problem of a refused policy, where it is. */
export interface PolicyIssue {
  readonly line: number;
  readonly column: number;
  readonly code: string;
  readonly message: string;
}

/** An RFC 9457 problem details body. */
export interface ProblemDetails {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly instance: string;
  /** The stable reason code of a refusal or a denied permission. */
  readonly reason?: string;
  readonly errors?: readonly FieldIssue[] | readonly PolicyIssue[];
}

/** Input that failed schema validation: every offending field at once. */
export class InvalidInputError extends GatehouseError {
  readonly issues: readonly FieldIssue[];

  constructor(issues: readonly FieldIssue[]) {
    const first = issues[0];
    super('invalid-input', first === undefined ? 'Invalid input' : `${first.field}: ${first.message}`, {
      data: { fields: issues.map((issue) => issue.field) },
    });
    this.issues = issues;
  }
}

/** What an error becomes at the edge: status, problem code, and anything the body or headers add. */
interface Mapped {
  readonly status: number;
  readonly code: string;
  readonly title: string;
  readonly detail: string;
  readonly reason?: string;
  readonly errors?: ProblemDetails['errors'];
  readonly headers?: Readonly<Record<string, string>>;
}

/**
 * How each refusal of the state machine or of grant checking answers. 403: the caller may not
 * do this; 409: the request or grant is not in a state that allows it; 400: the input lacks
 * something. An expired grant is 409 `grant-expired`, not 401: the caller's identity is fine,
 * the grant's time is up. A forged or mismatched grant is 403 with its `reason`, for the same
 * reason: a bad grant says nothing about who is calling.
 */
export const REFUSAL_STATUS: Readonly<Record<string, number>> = Object.freeze({
  'self-approval': 403,
  'not-eligible': 403,
  'agent-cannot-review': 403,
  'override-not-allowed': 403,
  'justification-required': 403,
  'missing-scope': 403,
  'not-requester': 403,
  'grant-mismatch': 403,
  'not-grant-holder': 403,
  'grant-malformed': 403,
  'grant-unsupported-algorithm': 403,
  'grant-unknown-key': 403,
  'grant-bad-signature': 403,
  'grant-wrong-audience': 403,
  'grant-invalid-claims': 403,
  'grant-unsupported-version': 403,
  'not-pending': 409,
  'already-voted': 409,
  'grant-consumed': 409,
  'grant-already-issued': 409,
  'grant-expired': 409,
  'outcome-already-reported': 409,
  expired: 409,
  'not-approved': 409,
  'not-consumed': 409,
  'not-due': 409,
  'comment-required': 400,
  'on-behalf-of-refused': 403,
  'idempotency-key-reused': 422,
});

/** The field a refusal is about, so clients can point at it. */
const REFUSAL_FIELD: Readonly<Record<string, string>> = Object.freeze({
  'comment-required': 'comment',
  'on-behalf-of-refused': 'onBehalfOf',
  'idempotency-key-reused': 'idempotency-key',
});

function titleOf(code: string): string {
  const words = code.replace(/-/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** The part of a ValidationError's message after its `field: ` prefix. */
function fieldMessage(error: ValidationError): string {
  const prefix = `${error.field}: `;
  return error.message.startsWith(prefix) ? error.message.slice(prefix.length) : error.message;
}

const HTTP_CODES: Readonly<Record<number, string>> = Object.freeze({
  400: 'bad-request',
  404: 'not-found',
  405: 'method-not-allowed',
  413: 'payload-too-large',
  415: 'unsupported-media-type',
  503: 'not-ready',
});

function reasonOf(error: GatehouseError): string | undefined {
  const reason = error.data.reason;
  return typeof reason === 'string' ? reason : undefined;
}

/**
 * The one table from errors to HTTP. Unknown errors (and storage failures other than a
 * conflict) become a 500 whose detail says nothing: messages of unknown errors may carry SQL,
 * paths or stack fragments, so they go to the log only.
 */
export function mapError(error: unknown): Mapped | undefined {
  if (error instanceof InvalidInputError) {
    return {
      status: 400,
      code: 'invalid-input',
      title: 'Invalid input',
      detail: error.message,
      errors: error.issues,
    };
  }
  if (error instanceof ValidationError) {
    const issue = { field: error.field, message: fieldMessage(error) };
    return {
      status: 400,
      code: 'invalid-input',
      title: 'Invalid input',
      detail: error.message,
      errors: [issue],
    };
  }
  if (error instanceof PolicyValidationError) {
    const errors = error.diagnostics.map((d) => ({
      line: d.position.line,
      column: d.position.column,
      code: d.code,
      message: d.message,
    }));
    return { status: 422, code: 'policy-invalid', title: 'Policy invalid', detail: error.message, errors };
  }
  if (error instanceof UnauthenticatedError) {
    // The refusal reason stays in the audit log: telling "unknown" from "bad secret" would be an oracle.
    return {
      status: 401,
      code: 'unauthenticated',
      title: 'Unauthenticated',
      detail: error.message,
      headers: { 'WWW-Authenticate': 'Bearer realm="gatehouse"' },
    };
  }
  if (error instanceof ForbiddenError) {
    const reason = reasonOf(error);
    return {
      status: 403,
      code: 'forbidden',
      title: 'Forbidden',
      detail: error.message,
      ...(reason === undefined ? {} : { reason }),
    };
  }
  if (error instanceof NotFoundError) {
    return { status: 404, code: 'not-found', title: 'Not found', detail: error.message };
  }
  if (error instanceof RefusedError) {
    const status = REFUSAL_STATUS[error.reason] ?? 409;
    const field = REFUSAL_FIELD[error.reason];
    return {
      status,
      code: error.reason,
      title: titleOf(error.reason),
      detail: error.message,
      reason: error.reason,
      ...(field === undefined ? {} : { errors: [{ field, message: error.message }] }),
    };
  }
  if (error instanceof ConflictError) {
    return {
      status: 409,
      code: 'conflict',
      title: 'Conflict',
      detail: `Could not ${error.operation}: it conflicts with what is already stored`,
    };
  }
  if (error instanceof IntegrityError) {
    return {
      status: 409,
      code: 'conflict',
      title: 'Conflict',
      detail: `Could not ${error.operation}: the database refused the change`,
    };
  }
  if (error instanceof InvalidCursorError) {
    return { status: 400, code: 'invalid-cursor', title: 'Invalid cursor', detail: error.message };
  }
  if (error instanceof RateLimitedError) {
    return {
      status: 429,
      code: 'rate-limited',
      title: 'Too many requests',
      detail: error.message,
      headers: { 'Retry-After': String(error.retryAfterSeconds) },
    };
  }
  if (error instanceof HTTPException && (error.status < 500 || error.status === 503)) {
    const code = HTTP_CODES[error.status] ?? 'bad-request';
    return { status: error.status, code, title: titleOf(code), detail: error.message || titleOf(code) };
  }
  return undefined;
}

const INTERNAL: Mapped = Object.freeze({
  status: 500,
  code: 'internal',
  title: 'Internal server error',
  detail: 'The server could not complete the request; the error has been logged',
});

/** The problem details body and headers for `error` at `instance` (the request path). */
export function toProblem(
  error: unknown,
  instance: string,
): { problem: ProblemDetails; headers: Readonly<Record<string, string>> } {
  const mapped = mapError(error) ?? INTERNAL;
  const problem: ProblemDetails = {
    type: `${PROBLEM_TYPE_BASE}${mapped.code}`,
    title: mapped.title,
    status: mapped.status,
    detail: mapped.detail,
    instance,
    ...(mapped.reason === undefined ? {} : { reason: mapped.reason }),
    ...(mapped.errors === undefined ? {} : { errors: mapped.errors }),
  };
  return { problem, headers: mapped.headers ?? {} };
}

/** A problem details response: `application/problem+json` with the problem's status. */
export function problemResponse(
  problem: ProblemDetails,
  headers: Readonly<Record<string, string>> = {},
): Response {
  return new Response(JSON.stringify(problem), {
    status: problem.status,
    headers: { ...headers, 'Content-Type': PROBLEM_MEDIA_TYPE },
  });
}

/**
 * The app's error handler: maps `error` by the table and logs what it could not map (with
 * the method and path, never the body or headers, which can hold credentials).
 */
export function handleError(error: unknown, c: Context, logger: HttpLogger): Response {
  const { problem, headers } = toProblem(error, c.req.path);
  if (problem.status >= 500) {
    logger.error({ err: error, method: c.req.method, path: c.req.path }, 'request failed');
  }
  return problemResponse(problem, headers);
}
