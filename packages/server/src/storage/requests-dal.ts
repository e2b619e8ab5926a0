import type { ApprovalRequest, RequestStatus, Risk } from '@gatehouse/core';
import { guard } from './driver-errors.js';
import { decodeCursor, encodeCursor } from './request-cursor.js';
import { fromSnapshot, toRequestColumns } from './request-row.js';
import type { Executor } from './transaction.js';

/** A request as read from storage, with the revision an update must name. */
export interface StoredRequest {
  readonly request: ApprovalRequest;
  /** Bumped by every update; `updateRequest` succeeds only against the revision it read. */
  readonly revision: number;
}

/** Filters and page for `listRequests`; every filter is optional and they combine with AND. */
export interface RequestQuery {
  readonly status?: RequestStatus;
  readonly action?: string;
  readonly team?: string;
  readonly risk?: Risk;
  /** Page size, 1 to 500; default 50. */
  readonly limit?: number;
  /** `nextCursor` of the previous page. */
  readonly cursor?: string;
}

/** One page of requests, newest first; `nextCursor` is present when there are more. */
export interface RequestPage {
  readonly requests: readonly ApprovalRequest[];
  readonly nextCursor?: string;
}

const DEFAULT_PAGE = 50;
const MAX_PAGE = 500;

/**
 * Stores a new request at revision 0. A repeated idempotency key from the same requester
 * is a `ConflictError` (`requests_idempotency_unique`): look the first one up instead.
 */
export async function insertRequest(
  request: ApprovalRequest,
  idempotencyKey: string | undefined,
  db: Executor,
): Promise<StoredRequest> {
  await guard('store a request', () =>
    db
      .insertInto('requests')
      .values({ ...toRequestColumns(request), idempotency_key: idempotencyKey ?? null, revision: 0 })
      .execute(),
  );
  return Object.freeze({ request, revision: 0 });
}

/** The request with this id, if any. */
export async function getRequest(id: string, db: Executor): Promise<StoredRequest | undefined> {
  return guard('read a request', async () => {
    const row = await db
      .selectFrom('requests')
      .select(['snapshot', 'revision'])
      .where('id', '=', id)
      .executeTakeFirst();
    return row === undefined
      ? undefined
      : Object.freeze({ request: fromSnapshot(row.snapshot), revision: row.revision });
  });
}

/** The request a requester created with this idempotency key, if any. */
export async function findRequestByIdempotencyKey(
  requester: { readonly kind: 'user' | 'agent'; readonly id: string },
  idempotencyKey: string,
  db: Executor,
): Promise<StoredRequest | undefined> {
  return guard('find a request by idempotency key', async () => {
    const row = await db
      .selectFrom('requests')
      .select(['snapshot', 'revision'])
      .where('requester_kind', '=', requester.kind)
      .where('requester_id', '=', requester.id)
      .where('idempotency_key', '=', idempotencyKey)
      .executeTakeFirst();
    return row === undefined
      ? undefined
      : Object.freeze({ request: fromSnapshot(row.snapshot), revision: row.revision });
  });
}

/**
 * Replaces a request with the core's next state, only if nobody changed it since `stored`
 * was read: `WHERE id = ? AND status = ? AND revision = ?`. Returns the rows changed:
 * 1 on success, 0 when another writer won (reload, re-run the transition, or refuse).
 * @example if ((await updateRequest(stored, result.request, trx)) === 0) throw new Conflict…
 */
export async function updateRequest(
  stored: StoredRequest,
  next: ApprovalRequest,
  db: Executor,
): Promise<number> {
  if (next.id !== stored.request.id) throw new TypeError('updateRequest: next is a different request');
  return guard('update a request', async () => {
    const { id: _id, ...columns } = toRequestColumns(next);
    const result = await db
      .updateTable('requests')
      .set({ ...columns, revision: stored.revision + 1 })
      .where('id', '=', stored.request.id)
      .where('status', '=', stored.request.status)
      .where('revision', '=', stored.revision)
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  });
}

/**
 * A page of requests, newest first (`created_at desc, id desc`), by keyset: the cursor
 * holds the last row's `(created_at, id)`, so pages never skip or repeat a row even
 * while new requests arrive. A foreign cursor is an `InvalidCursorError`.
 */
export async function listRequests(query: RequestQuery, db: Executor): Promise<RequestPage> {
  const requested =
    query.limit !== undefined && Number.isFinite(query.limit) ? Math.trunc(query.limit) : DEFAULT_PAGE;
  const limit = Math.min(Math.max(requested, 1), MAX_PAGE);
  const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
  return guard('list requests', async () => {
    let select = db.selectFrom('requests').select(['id', 'created_at', 'snapshot']);
    if (query.status !== undefined) select = select.where('status', '=', query.status);
    if (query.action !== undefined) select = select.where('action', '=', query.action);
    if (query.team !== undefined) select = select.where('team', '=', query.team);
    if (query.risk !== undefined) select = select.where('risk', '=', query.risk);
    if (after !== undefined) {
      select = select.where(({ eb, refTuple, tuple }) =>
        eb(refTuple('created_at', 'id'), '<', tuple(after.createdAt, after.id)),
      );
    }
    const rows = await select
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit + 1)
      .execute();
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    const requests = Object.freeze(page.map((row) => fromSnapshot(row.snapshot)));
    if (rows.length <= limit || last === undefined) return Object.freeze({ requests });
    return Object.freeze({ requests, nextCursor: encodeCursor({ createdAt: last.created_at, id: last.id }) });
  });
}
