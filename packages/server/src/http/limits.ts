import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';

// Every input the API accepts is bounded, so no request can make the server spend unbounded
// memory or CPU (parsing, hashing, canonicalising, storing) before a rule refuses it.

/** The largest request body accepted, in bytes; bigger bodies get 413 before they are parsed. */
export const MAX_BODY_BYTES = 256 * 1024;

/** How deeply `params` and `context` may nest (an object holding only scalars is depth 1). */
export const MAX_JSON_DEPTH = 32;

/** The largest `params` (or `context`) accepted, as UTF-8 JSON text. */
export const MAX_PARAMS_BYTES = 64 * 1024;

/** Comments, justifications, reasons and outcome details: what a person reads in one go. */
export const MAX_TEXT_CHARS = 4_000;

/** `Idempotency-Key` header length. */
export const MAX_IDEMPOTENCY_KEY_CHARS = 128;

/** A policy source submitted for lint or apply (the body limit bounds it too). */
export const MAX_POLICY_SOURCE_CHARS = 200_000;

/** A grant token: a compact JWS of a few hundred bytes; anything far bigger is not one of ours. */
export const MAX_GRANT_CHARS = 8_192;

/**
 * How deeply `value` nests: 0 for a scalar, 1 + the deepest child for arrays and objects.
 * Iterative, so a hostile value cannot overflow the stack; stops counting past `limit`.
 */
export function jsonDepth(value: unknown, limit = MAX_JSON_DEPTH): number {
  let deepest = 0;
  const pending: { value: unknown; depth: number }[] = [{ value, depth: 0 }];
  while (pending.length > 0) {
    const next = pending.pop();
    if (next === undefined || next.value === null || typeof next.value !== 'object') continue;
    const depth = next.depth + 1;
    if (depth > deepest) deepest = depth;
    if (deepest > limit) return deepest;
    const children = Array.isArray(next.value) ? next.value : Object.values(next.value);
    for (const child of children) pending.push({ value: child, depth });
  }
  return deepest;
}

/** The UTF-8 size of `value` as JSON text. */
export function jsonBytes(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value) ?? '', 'utf8');
}

/** Why a JSON object is too big or too deep to accept, or undefined when it is fine. */
export function jsonBoundsProblem(value: unknown): string | undefined {
  if (jsonDepth(value) > MAX_JSON_DEPTH) return `must not nest deeper than ${MAX_JSON_DEPTH} levels`;
  if (jsonBytes(value) > MAX_PARAMS_BYTES) return `must be at most ${MAX_PARAMS_BYTES} bytes as JSON`;
  return undefined;
}

/**
 * Refuses bodies over {@link MAX_BODY_BYTES} with 413, whether the size is declared
 * (Content-Length) or only found while reading a chunked body.
 */
export function requestBodyLimit(): MiddlewareHandler {
  return bodyLimit({
    maxSize: MAX_BODY_BYTES,
    onError: () => {
      throw new HTTPException(413, { message: `The request body exceeds ${MAX_BODY_BYTES} bytes` });
    },
  });
}
