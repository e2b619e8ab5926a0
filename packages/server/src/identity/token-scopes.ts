import type { Role } from '@gatehouse/core';
import { ValidationError } from '../domain-errors.js';

/** Every scope an API token can carry. */
export const TOKEN_SCOPES = Object.freeze([
  'requests:create',
  'requests:read',
  'requests:review',
  'grants:consume',
  'policy:read',
  'policy:write',
  'admin',
] as const);

/** One API token scope. */
export type TokenScope = (typeof TOKEN_SCOPES)[number];

/** What an agent token carries when its creator names no scopes. */
export const AGENT_DEFAULT_SCOPES: readonly TokenScope[] = Object.freeze([
  'requests:create',
  'requests:read',
  'grants:consume',
]);

/** Scopes an agent token can never carry: agents never review, write policy or administer. */
export const AGENT_FORBIDDEN_SCOPES: readonly TokenScope[] = Object.freeze([
  'requests:review',
  'policy:write',
  'admin',
]);

/**
 * What a user's token carries when its creator names no scopes: everyday work (ask, read, review,
 * run approved actions, read policy), not policy edits or administration, which must be asked for.
 */
export const USER_DEFAULT_SCOPES: readonly TokenScope[] = Object.freeze([
  'requests:create',
  'requests:read',
  'requests:review',
  'grants:consume',
  'policy:read',
]);

const NON_ADMIN_SCOPES: readonly TokenScope[] = Object.freeze(TOKEN_SCOPES.filter((s) => s !== 'admin'));

/** True when `value` is a known scope. */
export function isTokenScope(value: string): value is TokenScope {
  return (TOKEN_SCOPES as readonly string[]).includes(value);
}

/**
 * Every scope a human with `role` can hold: all of them for the admin, all but `admin` for others.
 * A browser session carries exactly these; a user's token carries at most these.
 */
export function humanScopes(role: Role): readonly TokenScope[] {
  return role === 'admin' ? TOKEN_SCOPES : NON_ADMIN_SCOPES;
}

/** The scopes of `scopes` that are also in `allowed`, in `scopes`' order. */
export function narrowScopes(scopes: readonly string[], allowed: readonly string[]): readonly string[] {
  return Object.freeze(scopes.filter((scope) => allowed.includes(scope)));
}

/** The scopes of `scopes` that are not in `removed`, in `scopes`' order. */
export function withoutScopes(scopes: readonly string[], removed: readonly string[]): readonly string[] {
  return Object.freeze(scopes.filter((scope) => !removed.includes(scope)));
}

/**
 * Checks a requested scope list: known scopes only, no duplicates, at least one.
 * @throws ValidationError naming `scopes` and the offending value.
 */
export function parseScopes(scopes: readonly string[]): readonly TokenScope[] {
  if (scopes.length === 0) throw new ValidationError('scopes', 'a token needs at least one scope');
  const seen = new Set<TokenScope>();
  for (const scope of scopes) {
    if (!isTokenScope(scope)) {
      throw new ValidationError('scopes', `unknown scope "${scope}" (known: ${TOKEN_SCOPES.join(', ')})`);
    }
    seen.add(scope);
  }
  return Object.freeze([...seen]);
}
