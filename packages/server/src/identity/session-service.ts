import { appendAudit } from '../audit/audit-writer.js';
import { ForbiddenError, UnauthenticatedError, ValidationError } from '../domain-errors.js';
import {
  deleteSession,
  getSession,
  insertSession,
  type SessionRecord,
  touchSession,
} from '../storage/sessions-dal.js';
import { type Executor, withTransaction } from '../storage/transaction.js';
import { getUser } from '../storage/users-dal.js';
import { type AuthenticatedPrincipal, actorOf } from './authenticated-principal.js';
import { auditDraft, auditRefusal } from './identity-audit.js';
import { constantTimeEquals, randomBase64url, sha256Hex } from './identity-crypto.js';
import { loadUserStanding } from './principal-loader.js';
import { humanScopes } from './token-scopes.js';

/** A session ends after this long without use. */
export const SESSION_IDLE_TIMEOUT_MS = 12 * 60 * 60 * 1000;

/** A session ends this long after login, however busy. */
export const SESSION_ABSOLUTE_TIMEOUT_MS = 7 * 24 * 60 * 60 * 1000;

/** The sliding expiry is written at most this often, not on every request. */
export const SESSION_TOUCH_INTERVAL_MS = 60_000;

// 32 random bytes as unpadded base64url.
const SECRET_TEXT = /^[A-Za-z0-9_-]{43}$/;

/** A new session: the two secrets go to the browser once; the server keeps only their hashes. */
export interface NewSession {
  /** The session cookie's value. */
  readonly cookieValue: string;
  /** The token the web app sends back in `x-csrf-token` on unsafe requests. */
  readonly csrfToken: string;
  /** When the session ends unless used (it slides with use, up to the absolute limit). */
  readonly expiresAt: number;
  /** The stored session's id (the hash of the cookie value): safe to log and audit. */
  readonly sessionId: string;
}

/**
 * Starts a session for a user, storing only SHA-256 hashes of the cookie value and the CSRF
 * token. Does not audit: the caller (login) records why the session exists, in the same transaction.
 */
export async function createSession(userId: string, now: number, db: Executor): Promise<NewSession> {
  const cookieValue = randomBase64url(32);
  const csrfToken = randomBase64url(32);
  const session: SessionRecord = {
    id: sha256Hex(cookieValue),
    userId,
    csrfTokenHash: sha256Hex(csrfToken),
    createdAt: now,
    expiresAt: slidExpiry(now, now),
    lastSeenAt: now,
  };
  await insertSession(session, db);
  return Object.freeze({ cookieValue, csrfToken, expiresAt: session.expiresAt, sessionId: session.id });
}

/**
 * The user behind a session cookie, with every scope a human of their role holds, and the
 * session's expiry slid forward (written at most once a minute). Unknown or expired cookies are
 * refused without an audit record (that is every browser coming back after a day); a live
 * session of a disabled user is refused, ended and audited (`auth.session.refused`).
 * @throws UnauthenticatedError (`malformed`, `unknown`, `principal-disabled`).
 */
export async function authenticateSession(
  cookieValue: string,
  now: number,
  db: Executor,
): Promise<AuthenticatedPrincipal> {
  if (!SECRET_TEXT.test(cookieValue)) throw new UnauthenticatedError('The session is not valid', 'malformed');
  const session = await getSession(sha256Hex(cookieValue), now, db);
  if (session === undefined || session.createdAt + SESSION_ABSOLUTE_TIMEOUT_MS <= now) {
    throw new UnauthenticatedError('The session has expired or ended', 'unknown');
  }
  const user = await getUser(session.userId, db);
  const standing = user === undefined || user.disabled ? undefined : await loadUserStanding(user.id, db);
  if (standing === undefined) {
    await withTransaction(db, async (trx) => {
      await deleteSession(session.id, trx);
      await appendAudit(
        [
          auditDraft('auth.session.refused', `user:${session.userId}`, `user:${session.userId}`, {
            reason: 'principal-disabled',
            session: session.id,
          }),
        ],
        now,
        trx,
      );
    });
    throw new UnauthenticatedError('The account is disabled', 'principal-disabled');
  }
  if (now - session.lastSeenAt >= SESSION_TOUCH_INTERVAL_MS) {
    await touchSession(session.id, now, slidExpiry(session.createdAt, now), db);
  }
  return Object.freeze({
    kind: 'user',
    id: session.userId,
    role: standing.role,
    teams: standing.teams,
    scopes: humanScopes(standing.role),
    via: 'session',
    sessionId: session.id,
    csrfTokenHash: session.csrfTokenHash,
  });
}

/**
 * Checks the CSRF token a cookie-session request sent (the HTTP layer calls this for every unsafe
 * method). Token-authenticated requests carry no ambient credential and pass. A missing or wrong
 * token is audited (`auth.csrf.refused`) and refused; the comparison is constant-time.
 * @throws ForbiddenError with reason `csrf`.
 */
export async function verifyCsrf(
  principal: AuthenticatedPrincipal,
  headerValue: string | undefined,
  now: number,
  db: Executor,
): Promise<void> {
  if (principal.via !== 'session') return;
  const expected = principal.csrfTokenHash;
  const problem =
    headerValue === undefined || headerValue === '' || expected === undefined
      ? 'missing'
      : constantTimeEquals(sha256Hex(headerValue), expected)
        ? undefined
        : 'mismatch';
  if (problem === undefined) return;
  const actor = actorOf(principal);
  await auditRefusal(
    auditDraft('auth.csrf.refused', actor, actor, { reason: problem, session: principal.sessionId ?? null }),
    now,
    db,
  );
  throw new ForbiddenError('The CSRF token is missing or wrong', 'csrf', { problem });
}

/** Ends the principal's browser session and records it (`auth.logout`). */
export async function logout(principal: AuthenticatedPrincipal, now: number, db: Executor): Promise<void> {
  const sessionId = principal.sessionId;
  if (principal.via !== 'session' || sessionId === undefined) {
    throw new ValidationError('session', 'only a browser session can log out; revoke a token instead');
  }
  const actor = actorOf(principal);
  await withTransaction(db, async (trx) => {
    await deleteSession(sessionId, trx);
    await appendAudit([auditDraft('auth.logout', actor, actor, { session: sessionId })], now, trx);
  });
}

/** The expiry after a use at `now`: 12 h on, but never past 7 days after the session began. */
function slidExpiry(createdAt: number, now: number): number {
  return Math.min(now + SESSION_IDLE_TIMEOUT_MS, createdAt + SESSION_ABSOLUTE_TIMEOUT_MS);
}
