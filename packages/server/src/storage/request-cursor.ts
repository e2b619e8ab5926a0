import { GatehouseError } from '@gatehouse/core';

/** Where a page of requests ended: the last row's creation time and id. */
export interface RequestCursor {
  readonly createdAt: number;
  readonly id: string;
}

/** A cursor that this build did not hand out (tampered, truncated, or from another list). */
export class InvalidCursorError extends GatehouseError {
  constructor() {
    super('invalid-cursor', 'The page cursor is not valid');
  }
}

/** The opaque text form of a cursor: base64url of `[createdAt, id]`. */
export function encodeCursor(cursor: RequestCursor): string {
  return Buffer.from(JSON.stringify([cursor.createdAt, cursor.id]), 'utf8').toString('base64url');
}

/** Reads a cursor from `encodeCursor`, or throws `InvalidCursorError`. */
export function decodeCursor(text: string): RequestCursor {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError();
  }
  if (!Array.isArray(parsed) || parsed.length !== 2) throw new InvalidCursorError();
  const [createdAt, id] = parsed as unknown[];
  if (!Number.isSafeInteger(createdAt) || typeof id !== 'string') throw new InvalidCursorError();
  return Object.freeze({ createdAt: createdAt as number, id });
}
