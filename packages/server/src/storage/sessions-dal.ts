import type { Selectable } from 'kysely';
import type { SessionsTable } from './database-types.js';
import { guard } from './driver-errors.js';
import type { Executor } from './transaction.js';

/** A browser session, keyed by the hash of its secret (the secret itself is never stored). */
export interface SessionRecord {
  readonly id: string;
  readonly userId: string;
  readonly csrfTokenHash: string;
  readonly createdAt: number;
  readonly expiresAt: number;
  readonly lastSeenAt: number;
}

/** Stores a new session. */
export async function insertSession(session: SessionRecord, db: Executor): Promise<void> {
  await guard('store a session', () =>
    db
      .insertInto('sessions')
      .values({
        id: session.id,
        user_id: session.userId,
        csrf_token_hash: session.csrfTokenHash,
        created_at: session.createdAt,
        expires_at: session.expiresAt,
        last_seen_at: session.lastSeenAt,
      })
      .execute(),
  );
}

/** The session with this id (secret hash), if it exists and has not expired at `now`. */
export async function getSession(id: string, now: number, db: Executor): Promise<SessionRecord | undefined> {
  return guard('read a session', async () => {
    const row = await db
      .selectFrom('sessions')
      .selectAll()
      .where('id', '=', id)
      .where('expires_at', '>', now)
      .executeTakeFirst();
    return row === undefined ? undefined : toSession(row);
  });
}

/** Marks a session as seen and slides its expiry; false when it is gone. */
export async function touchSession(
  id: string,
  now: number,
  expiresAt: number,
  db: Executor,
): Promise<boolean> {
  return guard('refresh a session', async () => {
    const result = await db
      .updateTable('sessions')
      .set({ last_seen_at: now, expires_at: expiresAt })
      .where('id', '=', id)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  });
}

/** Ends one session (logout). */
export async function deleteSession(id: string, db: Executor): Promise<void> {
  await guard('end a session', () => db.deleteFrom('sessions').where('id', '=', id).execute());
}

/** Ends every session of a user (password change, disable); returns how many. */
export async function deleteUserSessions(userId: string, db: Executor): Promise<number> {
  return guard('end a user’s sessions', async () => {
    const result = await db.deleteFrom('sessions').where('user_id', '=', userId).executeTakeFirst();
    return Number(result.numDeletedRows);
  });
}

/** Removes sessions expired at `now`; returns how many. */
export async function deleteExpiredSessions(now: number, db: Executor): Promise<number> {
  return guard('remove expired sessions', async () => {
    const result = await db.deleteFrom('sessions').where('expires_at', '<=', now).executeTakeFirst();
    return Number(result.numDeletedRows);
  });
}

function toSession(row: Selectable<SessionsTable>): SessionRecord {
  return Object.freeze({
    id: row.id,
    userId: row.user_id,
    csrfTokenHash: row.csrf_token_hash,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    lastSeenAt: row.last_seen_at,
  });
}
