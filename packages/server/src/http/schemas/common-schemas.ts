import { z } from '@hono/zod-openapi';
import { jsonBoundsProblem, MAX_TEXT_CHARS } from '../limits.js';
import { PROBLEM_MEDIA_TYPE } from '../problem-details.js';

// Schemas shared by several route families, and the pieces every route definition repeats.

/** The names of the two security schemes in the OpenAPI document. */
export const SECURITY_SCHEMES = Object.freeze({ bearer: 'bearerToken', cookie: 'sessionCookie' });

/** What authenticated routes declare: an API token or a browser session (plus CSRF header). */
export const AUTHENTICATED: Record<string, string[]>[] = [
  { [SECURITY_SCHEMES.bearer]: [] },
  { [SECURITY_SCHEMES.cookie]: [] },
];

/** What public routes declare: no credentials. */
export const PUBLIC: Record<string, string[]>[] = [];

/** RFC 9457 problem details, as every error response carries them. */
export const ProblemSchema = z
  .object({
    type: z.string().openapi({ example: 'https://gatehouse.dev/problems/not-found' }),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    instance: z.string().openapi({ description: 'The request path the problem occurred at' }),
    reason: z
      .string()
      .optional()
      .openapi({ description: 'The stable code of a refusal or denied permission' }),
    errors: z
      .array(
        z.union([
          z.object({ field: z.string(), message: z.string() }).openapi('FieldIssue'),
          z
            .object({
              line: z.number().int(),
              column: z.number().int(),
              code: z.string(),
              message: z.string(),
            })
            .openapi('PolicyIssue'),
        ]),
      )
      .optional(),
  })
  .openapi('Problem');

const PROBLEM_DESCRIPTIONS = {
  400: 'Invalid input: `errors` names every field, or the path of a JSON value without an exact canonical form',
  401: 'Not authenticated (see `WWW-Authenticate`)',
  403: 'Authenticated but not allowed; `reason` says why',
  404: 'Not found, or not visible to the caller',
  409: 'Conflicts with the current state; `reason` says which',
  410: 'Gone',
  413: 'The request body is too large',
  415: 'The request body must be application/json',
  422: 'The policy is invalid (`errors` gives line and column of each problem), or an `Idempotency-Key` was reused with another body',
  429: 'Too many attempts (see `Retry-After`)',
  500: 'The server failed; nothing about the failure is disclosed',
  503: 'Not ready',
} as const;

/** A status an error response may have. */
export type ProblemStatus = keyof typeof PROBLEM_DESCRIPTIONS;

interface ProblemResponse {
  readonly description: string;
  readonly content: { readonly [PROBLEM_MEDIA_TYPE]: { readonly schema: typeof ProblemSchema } };
}

/**
 * Error responses for a route definition, each `application/problem+json`; 500 is always there.
 * @example responses: { 200: ok, ...problems(400, 401, 404) }
 */
export function problems<const S extends readonly ProblemStatus[]>(
  ...statuses: S
): { readonly [K in S[number] | 500]: ProblemResponse } {
  const responses: Record<number, ProblemResponse> = {};
  for (const status of [...statuses, 500 as const]) {
    responses[status] = {
      description: PROBLEM_DESCRIPTIONS[status],
      content: { [PROBLEM_MEDIA_TYPE]: { schema: ProblemSchema } },
    };
  }
  return responses as { readonly [K in S[number] | 500]: ProblemResponse };
}

/**
 * A JSON response for a route definition.
 * @example responses: { 200: json(RequestViewSchema, 'The request') }
 */
export function json<T extends z.ZodType>(schema: T, description: string) {
  return { description, content: { 'application/json': { schema } } } as const;
}

/** A required JSON request body. */
export function jsonBody<T extends z.ZodType>(schema: T) {
  return { required: true, content: { 'application/json': { schema } } } as const;
}

/** An ISO 8601 time, as the API writes times meant for people. */
export const IsoTimeSchema = z.string().openapi({ format: 'date-time', example: '2026-11-24T09:30:00.000Z' });

/**
 * A dotted action name in its one canonical spelling (`shell.execute`; ADR 0006). Any other
 * spelling is refused 400 by the service that takes it (a submission's refusal is audited),
 * with a message that names the canonical form when there is one.
 */
export const ActionNameSchema = z.string().min(1).max(256).openapi({
  example: 'deploy.production',
  description: 'Lowercase ASCII segments of letters, digits, "_" and "-", separated by dots',
  pattern: '^[a-z0-9_-]+(\\.[a-z0-9_-]+)*$',
  maxLength: 256,
});

/** A JSON object bounded in depth and size (params, context). */
export const BoundedObjectSchema = z
  .record(z.string(), z.unknown())
  .superRefine((value, ctx) => {
    const problem = jsonBoundsProblem(value);
    if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
  })
  .openapi({ description: 'A JSON object, at most 32 levels deep and 64 KiB as JSON' });

/** Text a person wrote: a comment, a justification, a detail. */
export const TextSchema = z.string().max(MAX_TEXT_CHARS);

/** A risk level. */
export const RiskSchema = z.enum(['low', 'medium', 'high', 'critical']);

/** A role. */
export const RoleSchema = z.enum(['user', 'moderator', 'admin']);

/** A path segment naming something by id. */
export const IdSchema = z.string().min(1).max(256);

/** `{ id }` in the path. */
export const IdParamSchema = z.object({ id: IdSchema.openapi({ param: { name: 'id', in: 'path' } }) });

/** A place in a policy source file. */
export const SourcePositionSchema = z
  .object({ file: z.string(), line: z.number().int(), column: z.number().int() })
  .openapi('SourcePosition');

/** `T` with every array and object readonly, at every depth: the shape of the domain's values. */
export type DeepReadonly<T> = T extends readonly (infer U)[]
  ? readonly DeepReadonly<U>[]
  : T extends object
    ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
    : T;

/**
 * A response body checked against its schema's type, readonly aside. The domain's values are
 * deeply readonly (and frozen); the schemas' inferred types are mutable. A body is serialised
 * at once and never mutated, so only `readonly` is dropped: every field is still checked.
 * @example return c.json(bodyOf(RequestViewSchema, toRequestView(request, principal)), 200);
 */
export function bodyOf<S extends z.ZodType>(_schema: S, value: DeepReadonly<z.output<S>>): z.output<S> {
  return value as z.output<S>;
}

/**
 * A response the route types cannot express: @hono/zod-openapi types a media type shaped like
 * `application/*json` (JSON Lines: `application/x-ndjson`) as JSON or nothing. The route
 * definition still documents it; only the handler's return type is widened.
 */
export function untypedResponse(response: Response): never {
  return response as never;
}
