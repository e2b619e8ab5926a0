import { NotFoundError, ValidationError } from '../domain-errors.js';
import type { Executor } from '../storage/transaction.js';
import { getUser } from '../storage/users-dal.js';
import { getUserEmail, setUserEmail } from '../storage/users-email-dal.js';
import type { AuthenticatedPrincipal } from './authenticated-principal.js';
import { actsAsAdmin, requireAdmin, runDirectoryChange, runDirectoryRead } from './directory-guard.js';

/** The longest address SMTP carries (RFC 5321: 64 for the local part, 254 in all). */
const MAX_EMAIL = 254;
/**
 * A deliberately strict address: dot-atom local part and a dotted host name of letters, digits
 * and hyphens. Quoted local parts, IP literals and comments are valid mail but never needed here.
 */
const EMAIL =
  /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$/;

/**
 * Checks an email address (strictly: `name@host.example`) and returns it.
 * @throws ValidationError naming `email` when it is not one.
 */
export function checkEmail(email: string): string {
  const local = email.split('@')[0] ?? '';
  if (email.length > MAX_EMAIL || local.length > 64 || !EMAIL.test(email)) {
    throw new ValidationError('email', 'expected an email address such as alice@example.com');
  }
  return email;
}

/**
 * Sets (or, with `null`, clears) a user's email address: the admin for anyone, a user for
 * themselves. Audited `user.email.changed` with the actor; the address itself stays out of the
 * append-only log (it is personal data that must stay erasable). Setting the same address again
 * changes and records nothing.
 */
export async function setEmailOfUser(
  principal: AuthenticatedPrincipal,
  userId: string,
  email: string | null,
  now: number,
  db: Executor,
): Promise<void> {
  const address = email === null ? undefined : checkEmail(email);
  const operation = { name: 'user.setEmail', subject: `user:${userId}` };
  await runDirectoryChange(principal, operation, now, db, async ({ trx, acting, record }) => {
    const self = acting.id === userId;
    if (!self) {
      const denial = requireAdmin(acting, 'set other users’ email addresses');
      if (denial !== undefined) return denial;
    }
    if ((await getUser(userId, trx)) === undefined) throw new NotFoundError('user', userId);
    if ((await getUserEmail(userId, trx)) === address) return;
    await setUserEmail(userId, address, trx);
    record('user.email.changed', operation.subject, {
      by: self ? 'self' : 'admin',
      cleared: address === undefined,
    });
  });
}

/**
 * The email addresses of `userIds` the principal may see: every one for the admin, only their
 * own for anyone else (addresses are personal data, not directory data).
 */
export async function visibleEmails(
  principal: AuthenticatedPrincipal,
  userIds: readonly string[],
  now: number,
  db: Executor,
): Promise<ReadonlyMap<string, string>> {
  const operation = { name: 'user.emails', subject: 'users' };
  return runDirectoryRead(principal, operation, now, db, async (acting) => {
    const visible = actsAsAdmin(acting) ? userIds : userIds.filter((id) => id === acting.id);
    const emails = new Map<string, string>();
    for (const id of visible) {
      const email = await getUserEmail(id, db);
      if (email !== undefined) emails.set(id, email);
    }
    return emails;
  });
}
