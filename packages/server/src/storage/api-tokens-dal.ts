import type { Selectable } from 'kysely';
import type { ApiTokensTable } from './database-types.js';
import { guard } from './driver-errors.js';
import { fromJson, optional, toJson } from './row-values.js';
import type { Executor } from './transaction.js';

/** Who a token authenticates. */
export interface TokenPrincipal {
  readonly kind: 'user' | 'agent';
  readonly id: string;
}

/** An API token as stored: only the public prefix and a hash of the secret. */
export interface ApiTokenRecord {
  readonly id: string;
  /** The public part, shown in lists and used to find the token. */
  readonly prefix: string;
  readonly secretHash: string;
  readonly principal: TokenPrincipal;
  readonly scopes: readonly string[];
  readonly createdAt: number;
  readonly expiresAt?: number;
  readonly revokedAt?: number;
  readonly lastUsedAt?: number;
}

/** What issuing a token stores. */
export type NewApiToken = Omit<ApiTokenRecord, 'revokedAt' | 'lastUsedAt'>;

/** Stores a new token. A taken prefix is a `ConflictError` (`api_tokens_prefix_unique`). */
export async function insertApiToken(token: NewApiToken, db: Executor): Promise<void> {
  await guard('store an API token', () =>
    db
      .insertInto('api_tokens')
      .values({
        id: token.id,
        prefix: token.prefix,
        secret_hash: token.secretHash,
        principal_kind: token.principal.kind,
        principal_id: token.principal.id,
        scopes: toJson(token.scopes),
        created_at: token.createdAt,
        expires_at: token.expiresAt ?? null,
        revoked_at: null,
        last_used_at: null,
      })
      .execute(),
  );
}

/**
 * The token with this prefix, revoked or expired ones included: the caller decides, so
 * that it can audit a revoked token's use. Undefined when no token has the prefix.
 */
export async function findApiTokenByPrefix(
  prefix: string,
  db: Executor,
): Promise<ApiTokenRecord | undefined> {
  return guard('find an API token', async () => {
    const row = await db.selectFrom('api_tokens').selectAll().where('prefix', '=', prefix).executeTakeFirst();
    return row === undefined ? undefined : toApiToken(row);
  });
}

/** A principal's tokens, newest first. */
export async function listApiTokens(
  principal: TokenPrincipal,
  db: Executor,
): Promise<readonly ApiTokenRecord[]> {
  return guard('list API tokens', async () => {
    const rows = await db
      .selectFrom('api_tokens')
      .selectAll()
      .where('principal_kind', '=', principal.kind)
      .where('principal_id', '=', principal.id)
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .execute();
    return Object.freeze(rows.map(toApiToken));
  });
}

/** Revokes a token; false when it does not exist or was revoked already (the first time stands). */
export async function revokeApiToken(id: string, now: number, db: Executor): Promise<boolean> {
  return guard('revoke an API token', async () => {
    const result = await db
      .updateTable('api_tokens')
      .set({ revoked_at: now })
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  });
}

/** Records that a token was just used. */
export async function touchApiToken(id: string, now: number, db: Executor): Promise<void> {
  await guard('record an API token use', () =>
    db.updateTable('api_tokens').set({ last_used_at: now }).where('id', '=', id).execute(),
  );
}

function toApiToken(row: Selectable<ApiTokensTable>): ApiTokenRecord {
  return Object.freeze({
    id: row.id,
    prefix: row.prefix,
    secretHash: row.secret_hash,
    principal: Object.freeze({ kind: row.principal_kind, id: row.principal_id }),
    scopes: Object.freeze(fromJson<string[]>(row.scopes)),
    createdAt: row.created_at,
    expiresAt: optional(row.expires_at),
    revokedAt: optional(row.revoked_at),
    lastUsedAt: optional(row.last_used_at),
  });
}
