import type { AuthenticatedPrincipal, OpenDatabase } from '@gatehouse/server';
import { CliError, EXIT } from '../cli-error.js';
import { loadServer } from '../server-module.js';

type Db = OpenDatabase['db'];

/**
 * The admin, as host commands act: whoever on the server host can open the database can do
 * anything, so the commands act as the holder of the admin seat through the directory
 * services, and the audit records name that user (`user:<admin>`), exactly as if the admin
 * had made the change over the API.
 */
export async function adminPrincipal(db: Db): Promise<AuthenticatedPrincipal> {
  const server = await loadServer();
  const admin = await server.getAdmin(db);
  if (admin === undefined) {
    throw new CliError('there is no admin yet: run gatehouse init (or gatehouse serve) first', EXIT.problems);
  }
  return userPrincipal(admin.id, db);
}

/**
 * A user as a local, host-side credential: their current role and teams, and every scope that
 * role may hold. Only `token create --user` acts as someone other than the admin, because a
 * user's own token can only be issued by that user.
 */
export async function userPrincipal(userId: string, db: Db): Promise<AuthenticatedPrincipal> {
  const server = await loadServer();
  const user = await server.getUser(userId, db);
  const standing =
    user === undefined || user.disabled ? undefined : await server.loadUserStanding(userId, db);
  if (standing === undefined) {
    throw new CliError(`no enabled user "${userId}"`, EXIT.problems);
  }
  return Object.freeze({
    kind: 'user',
    id: userId,
    role: standing.role,
    teams: standing.teams,
    scopes: server.humanScopes(standing.role),
    // There is no session and no token: the operator's access to the database is the credential.
    via: 'session',
  });
}
