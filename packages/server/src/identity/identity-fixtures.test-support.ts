import type { Role } from '@gatehouse/core';
import { bootstrapAdmin as seatAdmin } from '../storage/admin-seat-dal.js';
import type { AuditEventRecord } from '../storage/audit-dal.js';
import { streamAuditEvents } from '../storage/audit-dal.js';
import { createTeam, setTeamMember, type TeamRole } from '../storage/teams-dal.js';
import type { Executor } from '../storage/transaction.js';
import { type BaseRole, createUser, setUserDisabled } from '../storage/users-dal.js';
import type { AuthenticatedPrincipal } from './authenticated-principal.js';
import { createPasswordHasher } from './password-hasher.js';
import { humanScopes } from './token-scopes.js';

// Builders for the identity suite (imported by *.test.ts only).

/** argon2id at test costs (1 MiB, 1 pass): the production default is OWASP's, 19 MiB and 2 passes. */
export const TEST_PASSWORDS = createPasswordHasher({ memoryCost: 1024, timeCost: 1, parallelism: 1 });

/** A password that passes the length check. */
export const GOOD_PASSWORD = 'correct horse battery';

/** Stores a user (id = username) with `GOOD_PASSWORD` unless told otherwise. */
export async function seedUser(
  db: Executor,
  id: string,
  options: { role?: BaseRole; password?: string; disabled?: boolean } = {},
): Promise<void> {
  const passwordHash = await TEST_PASSWORDS.hash(options.password ?? GOOD_PASSWORD);
  await createUser(
    { id, username: id, displayName: id, role: options.role ?? 'user', passwordHash, createdAt: 1_000 },
    db,
  );
  if (options.disabled) await setUserDisabled(id, true, db);
}

/** Stores a user and seats them as the admin. */
export async function seedAdmin(db: Executor, id: string): Promise<void> {
  await seedUser(db, id, { role: 'moderator' });
  await seatAdmin(id, db);
}

/** Stores a team (id = name) with the given members. */
export async function seedTeam(
  db: Executor,
  name: string,
  members: Readonly<Record<string, TeamRole>> = {},
): Promise<void> {
  await createTeam({ id: name, name }, db);
  for (const [userId, role] of Object.entries(members)) await setTeamMember(name, userId, role, db);
}

/** A browser-session principal for a user, as `authenticateSession` would build it. */
export function sessionOf(
  id: string,
  role: Role = 'user',
  teams: readonly string[] = [],
): AuthenticatedPrincipal {
  return { kind: 'user', id, role, teams, scopes: humanScopes(role), via: 'session', sessionId: `s-${id}` };
}

/** Every audit event, or those of one type, in order. */
export async function auditEvents(db: Executor, type?: string): Promise<readonly AuditEventRecord[]> {
  const events: AuditEventRecord[] = [];
  for await (const event of streamAuditEvents(1, 1_000, db)) {
    if (type === undefined || event.type === type) events.push(event);
  }
  return events;
}

/** The last audit event of a type (fails the test by returning undefined when there is none). */
export async function lastAudit(db: Executor, type: string): Promise<AuditEventRecord | undefined> {
  return (await auditEvents(db, type)).at(-1);
}

/** What a promise rejected with (or fails when it resolved). */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection, but the promise resolved');
}
