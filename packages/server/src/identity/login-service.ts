import { appendAudit } from '../audit/audit-writer.js';
import { RateLimitedError, UnauthenticatedError } from '../domain-errors.js';
import { type Executor, withTransaction } from '../storage/transaction.js';
import { getUser, getUserByUsername, setLoginState, type UserRecord } from '../storage/users-dal.js';
import { ANONYMOUS_ACTOR, auditDraft, auditRefusal } from './identity-audit.js';
import type { LoginLimiter } from './login-limiter.js';
import { createPasswordHasher, MAX_PASSWORD_LENGTH, type PasswordHasher } from './password-hasher.js';
import { createSession, type NewSession } from './session-service.js';

/** Consecutive failed logins that lock an account. */
export const LOCKOUT_THRESHOLD = 5;

/** How long a locked account stays locked. */
export const LOCKOUT_DURATION_MS = 15 * 60 * 1000;

/** One login attempt, as the HTTP layer received it. */
export interface LoginAttempt {
  readonly username: string;
  readonly password: string;
  /** The client's address, for the per-IP limit and the audit record. */
  readonly ip: string;
  readonly now: number;
}

/** What login needs besides the database: the server's one limiter, and its password hasher. */
export interface LoginDeps {
  readonly limiter: LoginLimiter;
  /** Defaults to argon2id at OWASP's costs. */
  readonly passwords?: PasswordHasher;
}

/** A successful login: the new session, and who it is for. */
export interface LoginSuccess extends NewSession {
  readonly userId: string;
}

/** Why a login failed: recorded in the audit log, never told to the client. */
export type LoginFailureReason = 'unknown-user' | 'bad-password' | 'locked' | 'disabled';

/** The one message every failed login gets, whatever the reason. */
export const LOGIN_FAILED_MESSAGE = 'Invalid username or password';

const defaultPasswords = createPasswordHasher();

type Outcome =
  | { readonly ok: true; readonly session: NewSession; readonly userId: string }
  | { readonly ok: false };

/**
 * Logs a user in with username and password and starts a session. Every attempt is audited
 * (`auth.login.succeeded`, `auth.login.failed` with the reason, `auth.account.locked`); the client
 * learns only that it failed. 5 consecutive failures lock the account for 15 minutes; a per-IP
 * limit refuses floods before any password is checked. Pass the database, not a transaction:
 * the failure's record and counter must commit although the call throws.
 * @throws UnauthenticatedError (one message for every reason) or RateLimitedError.
 */
export async function login(attempt: LoginAttempt, db: Executor, deps: LoginDeps): Promise<LoginSuccess> {
  const { username, password, ip, now } = attempt;
  const passwords = deps.passwords ?? defaultPasswords;
  const verdict = deps.limiter.attempt(ip, now);
  if (!verdict.allowed) {
    // Only the first refusal of a burst is recorded: a flood must not become a flood of writes.
    if (verdict.firstRefusal) {
      await auditRefusal(auditDraft('auth.login.rate-limited', ANONYMOUS_ACTOR, 'login', { ip }), now, db);
    }
    throw new RateLimitedError('Too many login attempts; try again later', verdict.retryAfterSeconds);
  }

  const user = await getUserByUsername(username, db);
  const blocked = user === undefined ? 'unknown-user' : blockedReason(user, now);
  // No stored password can be longer than this, so a longer one is wrong without hashing all of it.
  const possible = password.length <= MAX_PASSWORD_LENGTH * 2;
  // A blocked account is checked against the dummy hash: same cost, and no oracle for its password.
  const passwordOk = await passwords.verify(
    blocked === undefined && possible ? user?.passwordHash : undefined,
    possible ? password : password.slice(0, MAX_PASSWORD_LENGTH),
  );

  const outcome = await withTransaction(db, async (trx): Promise<Outcome> => {
    if (user === undefined) {
      await appendAudit([failed('unknown-user', ANONYMOUS_ACTOR, 'login', { username, ip })], now, trx);
      return { ok: false };
    }
    // Read again inside the transaction: another attempt may have counted a failure meanwhile.
    const current = (await getUser(user.id, trx)) ?? user;
    const actor = `user:${current.id}`;
    const reason = blockedReason(current, now) ?? (passwordOk ? undefined : 'bad-password');
    if (reason === undefined) {
      if (current.failedLogins !== 0 || current.lockedUntil !== undefined) {
        await setLoginState(current.id, { failedLogins: 0 }, trx);
      }
      const session = await createSession(current.id, now, trx);
      await appendAudit(
        [auditDraft('auth.login.succeeded', actor, actor, { ip, session: session.sessionId })],
        now,
        trx,
      );
      return { ok: true, session, userId: current.id };
    }
    if (reason !== 'bad-password') {
      await appendAudit([failed(reason, actor, actor, { ip })], now, trx);
      return { ok: false };
    }
    // A lock that has run out starts the count afresh.
    const failures = (lockExpired(current, now) ? 0 : current.failedLogins) + 1;
    const locks = failures >= LOCKOUT_THRESHOLD;
    const lockedUntil = now + LOCKOUT_DURATION_MS;
    await setLoginState(
      current.id,
      locks ? { failedLogins: failures, lockedUntil } : { failedLogins: failures },
      trx,
    );
    const drafts = [failed('bad-password', actor, actor, { ip, failedLogins: failures })];
    if (locks) {
      drafts.push(
        auditDraft('auth.account.locked', actor, actor, { failedLogins: failures, lockedUntil, ip }),
      );
    }
    await appendAudit(drafts, now, trx);
    return { ok: false };
  });

  if (!outcome.ok) throw new UnauthenticatedError(LOGIN_FAILED_MESSAGE, 'invalid-credentials');
  return Object.freeze({ ...outcome.session, userId: outcome.userId });
}

function blockedReason(user: UserRecord, now: number): 'locked' | 'disabled' | undefined {
  if (user.disabled) return 'disabled';
  if (user.lockedUntil !== undefined && user.lockedUntil > now) return 'locked';
  return undefined;
}

function lockExpired(user: UserRecord, now: number): boolean {
  return user.lockedUntil !== undefined && user.lockedUntil <= now;
}

function failed(reason: LoginFailureReason, actor: string, subject: string, data: Record<string, unknown>) {
  return auditDraft('auth.login.failed', actor, subject, { reason, ...data });
}
