import type { PolicyDiagnostic } from '@gatehouse/core';
import { HTTPException } from 'hono/http-exception';
import { describe, expect, it } from 'vitest';
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
import { ConflictError, IntegrityError, StorageError } from '../storage/storage-errors.js';
import { InvalidInputError, REFUSAL_STATUS, toProblem } from './problem-details.js';

const diagnostic: PolicyDiagnostic = {
  position: { file: 'policy.yaml', line: 3, column: 7 },
  code: 'unknown-key',
  message: 'unknown key "mathc"; expected match',
};

describe('problem details', () => {
  const cases: [string, unknown, number, string][] = [
    [
      'schema failure',
      new InvalidInputError([{ field: 'params', message: 'too deep' }]),
      400,
      'invalid-input',
    ],
    ['ValidationError', new ValidationError('context.team', 'not your team'), 400, 'invalid-input'],
    ['PolicyValidationError', new PolicyValidationError([diagnostic]), 422, 'policy-invalid'],
    [
      'UnauthenticatedError',
      new UnauthenticatedError('The API token is not valid', 'bad-secret'),
      401,
      'unauthenticated',
    ],
    ['ForbiddenError', new ForbiddenError('Only the admin', 'admin-only'), 403, 'forbidden'],
    ['NotFoundError', new NotFoundError('request', 'r1'), 404, 'not-found'],
    [
      'ConflictError',
      new ConflictError('create a user', 'users_username_unique', new Error('dup')),
      409,
      'conflict',
    ],
    [
      'IntegrityError',
      new IntegrityError('seat the admin', 'admin_seat_required', new Error('x')),
      409,
      'conflict',
    ],
    ['InvalidCursorError', new InvalidCursorError(), 400, 'invalid-cursor'],
    ['RateLimitedError', new RateLimitedError('Too many login attempts', 42), 429, 'rate-limited'],
    ['a 413 from the body limit', new HTTPException(413, { message: 'too big' }), 413, 'payload-too-large'],
  ];

  for (const [name, error, status, code] of cases) {
    it(`maps ${name} to ${status} ${code}`, () => {
      const { problem } = toProblem(error, '/v1/x');
      expect(problem).toMatchObject({
        status,
        type: `https://gatehouse.dev/problems/${code}`,
        instance: '/v1/x',
      });
      expect(typeof problem.title).toBe('string');
      expect(typeof problem.detail).toBe('string');
    });
  }

  it('names every field of a validation failure', () => {
    const { problem } = toProblem(new ValidationError('context.team', 'not your team'), '/v1/requests');
    expect(problem.errors).toEqual([{ field: 'context.team', message: 'not your team' }]);
  });

  it('gives each policy problem its line and column', () => {
    const { problem } = toProblem(new PolicyValidationError([diagnostic]), '/v1/policy');
    expect(problem.errors).toEqual([
      { line: 3, column: 7, code: 'unknown-key', message: diagnostic.message },
    ]);
  });

  it('asks for Bearer credentials on 401, without saying why the token failed', () => {
    const { problem, headers } = toProblem(
      new UnauthenticatedError('The API token is not valid', 'bad-secret'),
      '/',
    );
    expect(headers['WWW-Authenticate']).toMatch(/^Bearer/);
    expect(problem.reason).toBeUndefined();
  });

  it('says when to retry a rate limit', () => {
    expect(toProblem(new RateLimitedError('slow down', 42), '/').headers).toEqual({ 'Retry-After': '42' });
  });

  it('maps refusals by reason: 403 may-not, 409 wrong state, 400 missing comment, 422 reused key', () => {
    const status = (reason: string) => toProblem(new RefusedError(reason, 'refused'), '/').problem.status;
    expect(status('self-approval')).toBe(403);
    expect(status('not-eligible')).toBe(403);
    expect(status('agent-cannot-review')).toBe(403);
    expect(status('grant-bad-signature')).toBe(403);
    expect(status('not-pending')).toBe(409);
    expect(status('already-voted')).toBe(409);
    expect(status('grant-consumed')).toBe(409);
    expect(status('grant-expired')).toBe(409);
    expect(status('comment-required')).toBe(400);
    expect(toProblem(new RefusedError('comment-required', 'say why'), '/').problem.errors).toEqual([
      { field: 'comment', message: 'say why' },
    ]);
    expect(status('idempotency-key-reused')).toBe(422);
    expect(toProblem(new RefusedError('idempotency-key-reused', 'other body'), '/').problem.errors).toEqual([
      { field: 'idempotency-key', message: 'other body' },
    ]);
    expect(Object.values(REFUSAL_STATUS).every((s) => [400, 403, 409, 422].includes(s))).toBe(true);
  });

  it('puts the refusal reason in the type and the reason field', () => {
    const { problem } = toProblem(
      new RefusedError('grant-expired', 'The grant has expired'),
      '/v1/grants/consume',
    );
    expect(problem).toMatchObject({
      type: 'https://gatehouse.dev/problems/grant-expired',
      reason: 'grant-expired',
      status: 409,
    });
  });

  it('never discloses unknown errors: 500 with a generic detail', () => {
    const leaky = new Error(
      'relation "users" does not exist at character 15: SELECT password_hash FROM users',
    );
    for (const error of [
      leaky,
      new StorageError('read users', leaky),
      'a thrown string',
      new HTTPException(502),
    ]) {
      const { problem } = toProblem(error, '/v1/x');
      expect(problem.status).toBe(500);
      expect(problem.type).toBe('https://gatehouse.dev/problems/internal');
      expect(JSON.stringify(problem)).not.toMatch(/SELECT|relation|password|users"/);
    }
  });

  it('does not quote constraint names of conflicts', () => {
    const { problem } = toProblem(
      new ConflictError('create a user', 'users_username_unique', new Error('dup')),
      '/',
    );
    expect(problem.detail).not.toContain('users_username_unique');
  });
});
