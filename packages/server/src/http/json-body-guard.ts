import { canonicalJson, NotCanonicalizableError } from '@gatehouse/core';
import type { MiddlewareHandler } from 'hono';
import { type FieldIssue, InvalidInputError } from './problem-details.js';

// Every JSON body is refused before any schema sees it when a value in it has no single,
// exact meaning: a number JSON.parse turned into ±Infinity (`1e400`) or that is not exact as
// a double (integers beyond ±(2^53−1): RFC 7493, I-JSON, §2.2), a lone surrogate in a string
// or key (no UTF-8 encoding; the hasher would see U+FFFD), or the key `__proto__` (schemas
// build plain objects, where it sets the prototype instead of a field, so the policy would
// judge a payload without it). What passes is what the core can hash and sign exactly.

const JSON_MEDIA_TYPE = /^application\/([\w.-]+\+)?json$/i;
const MAX_EXACT_INTEGER = Number.MAX_SAFE_INTEGER;

function childPath(path: string, key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
}

/** The core's JSONPath-like `$.params.tags[2]` as the API names fields: `params.tags[2]` (`body` for `$`). */
function fieldOf(path: string): string {
  if (path === '$') return 'body';
  return path.startsWith('$.') ? path.slice(2) : path.slice(1);
}

/** The first number or key I-JSON refuses, depth first; the core checks everything else. */
function inexactValue(value: unknown, path: string): FieldIssue | undefined {
  const pending: { value: unknown; path: string }[] = [{ value, path }];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const current = next.value;
    if (typeof current === 'number') {
      if (!Number.isFinite(current) || Math.abs(current) > MAX_EXACT_INTEGER) {
        return {
          field: fieldOf(next.path),
          message: 'must be a finite number within ±9007199254740991 (I-JSON, RFC 7493)',
        };
      }
      continue;
    }
    if (current === null || typeof current !== 'object') continue;
    const at = next.path;
    let children: (readonly [string, unknown])[];
    if (Array.isArray(current)) {
      children = current.map((item, index) => [`${at}[${index}]`, item] as const);
    } else {
      if (Object.hasOwn(current, '__proto__')) {
        return { field: fieldOf(childPath(at, '__proto__')), message: 'is a reserved key' };
      }
      const record = current as Record<string, unknown>;
      children = Object.keys(record).map((key) => [childPath(at, key), record[key]] as const);
    }
    // Pushed in reverse, so the first offending value in document order is the one reported.
    for (const [childAt, item] of children.reverse()) pending.push({ value: item, path: childAt });
  }
  return undefined;
}

/**
 * The first value of a parsed JSON body that has no exact canonical form, named by its path
 * (`params.size`, `context.tags[2]`, `body`), or undefined when the whole body has one.
 * @example jsonBodyIssue(JSON.parse('{"params":{"size":1e400}}')) // { field: 'params.size', … }
 */
export function jsonBodyIssue(body: unknown): FieldIssue | undefined {
  const inexact = inexactValue(body, '$');
  if (inexact !== undefined) return inexact;
  try {
    canonicalJson(body);
  } catch (error) {
    if (!(error instanceof NotCanonicalizableError)) throw error;
    const reason = error.data.reason;
    return { field: fieldOf(error.path), message: typeof reason === 'string' ? reason : error.message };
  }
  return undefined;
}

/**
 * Refuses (400, naming the path) a JSON body holding a value without an exact canonical form,
 * before any route reads it; a body that does not parse is left to the route's validator.
 */
export function jsonBodyGuard(): MiddlewareHandler {
  return async (c, next) => {
    const mediaType = (c.req.header('content-type') ?? '').split(';')[0]?.trim() ?? '';
    if (JSON_MEDIA_TYPE.test(mediaType)) {
      const body: unknown = await c.req.json().catch(() => undefined);
      const issue = body === undefined ? undefined : jsonBodyIssue(body);
      if (issue !== undefined) throw new InvalidInputError([issue]);
    }
    await next();
  };
}
