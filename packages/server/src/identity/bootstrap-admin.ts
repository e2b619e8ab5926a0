import { appendAudit } from '../audit/audit-writer.js';
import { ValidationError } from '../domain-errors.js';
import { getAdmin, bootstrapAdmin as seatAdmin } from '../storage/admin-seat-dal.js';
import { ConflictError } from '../storage/storage-errors.js';
import { type Executor, withTransaction } from '../storage/transaction.js';
import { createUser, getUserByUsername } from '../storage/users-dal.js';
import { checkName } from './directory-names.js';
import { auditDraft, SYSTEM_ACTOR } from './identity-audit.js';
import { randomBase64url } from './identity-crypto.js';
import { checkPassword, createPasswordHasher, type PasswordHasher } from './password-hasher.js';

/** The first admin's username when none is configured. */
export const DEFAULT_BOOTSTRAP_USERNAME = 'admin';

/** The first admin, as configured (`GATEHOUSE_BOOTSTRAP_ADMIN`, `GATEHOUSE_BOOTSTRAP_PASSWORD`). */
export interface BootstrapAdminInput {
  /** Defaults to `admin`. */
  readonly username?: string;
  /** Defaults to a generated one-time password, returned once. */
  readonly password?: string;
}

/** What bootstrap did. `generatedPassword` is there only when one was made: print it once, store it nowhere. */
export type BootstrapAdminResult =
  | { readonly created: false }
  | { readonly created: true; readonly username: string; readonly generatedPassword?: string };

/** What bootstrap needs besides the database. */
export interface BootstrapDeps {
  /** Defaults to argon2id at OWASP's costs. */
  readonly passwords?: PasswordHasher;
}

const NOT_CREATED: BootstrapAdminResult = Object.freeze({ created: false });

/**
 * Creates the first admin when there is none: the user and the admin seat in one transaction,
 * audited (`user.created`, `admin.bootstrapped`). Idempotent: with an admin seated it does nothing.
 * Safe when two nodes start at once: the seat's single row decides, and the loser's user is
 * rolled back with its failed seat; it gets `{ created: false }`.
 * @example const result = await bootstrapAdmin({ username: config.bootstrapAdmin, password: config.bootstrapPassword }, Date.now(), db);
 */
export async function bootstrapAdmin(
  input: BootstrapAdminInput,
  now: number,
  db: Executor,
  deps: BootstrapDeps = {},
): Promise<BootstrapAdminResult> {
  if ((await getAdmin(db)) !== undefined) return NOT_CREATED;
  const username = checkName(input.username ?? DEFAULT_BOOTSTRAP_USERNAME, 'username');
  // 18 random bytes: 24 base64url characters, 144 bits.
  const generatedPassword = input.password === undefined ? randomBase64url(18) : undefined;
  const password = input.password ?? generatedPassword ?? '';
  checkPassword(password);
  const passwordHash = await (deps.passwords ?? createPasswordHasher()).hash(password);

  try {
    const created = await withTransaction(db, async (trx) => {
      if ((await getAdmin(trx)) !== undefined) return false;
      const user = await createUser(
        { id: username, username, displayName: username, role: 'moderator', passwordHash, createdAt: now },
        trx,
      );
      await seatAdmin(user.id, trx);
      const subject = `user:${user.id}`;
      await appendAudit(
        [
          auditDraft('user.created', SYSTEM_ACTOR, subject, { username, role: user.role }),
          auditDraft('admin.bootstrapped', SYSTEM_ACTOR, subject, {
            username,
            generatedPassword: generatedPassword !== undefined,
          }),
        ],
        now,
        trx,
      );
      return true;
    });
    if (!created) return NOT_CREATED;
  } catch (error) {
    if (!(error instanceof ConflictError)) throw error;
    // Another node seated an admin first (the seat, or the same username, was taken meanwhile).
    if ((await getAdmin(db)) !== undefined) return NOT_CREATED;
    if ((await getUserByUsername(username, db)) !== undefined) {
      throw new ValidationError(
        'username',
        `a user named "${username}" exists but no admin is seated; bootstrap with another username`,
      );
    }
    throw error;
  }
  return Object.freeze({
    created: true,
    username,
    ...(generatedPassword === undefined ? {} : { generatedPassword }),
  });
}
