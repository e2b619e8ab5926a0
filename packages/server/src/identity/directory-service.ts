import { type ActsForDirectory, createActsForDirectory } from './agent-acts-for.js';
import { type AgentDirectory, createAgentDirectory } from './agent-directory.js';
import type { DirectoryDeps } from './directory-guard.js';
import { createGroupDirectory, type GroupDirectory } from './group-directory.js';
import { createPasswordHasher } from './password-hasher.js';
import { createTeamDirectory, type TeamDirectory } from './team-directory.js';
import { createTokenDirectory, type TokenDirectory } from './token-directory.js';
import { createUserDirectory, type UserDirectory } from './user-directory.js';

/**
 * The directory: users, teams, approval groups, agents and API tokens. Every function takes the
 * acting principal first, checks its permission against the database's current state, makes the
 * change and its audit record in one transaction, and audits a refusal (`permission.denied`)
 * before throwing ForbiddenError.
 */
export type DirectoryService = UserDirectory &
  TeamDirectory &
  GroupDirectory &
  AgentDirectory &
  ActsForDirectory &
  TokenDirectory;

/**
 * Creates the directory over the server's database (not a transaction) and password hasher.
 * @example const directory = createDirectoryService({ db }); await directory.createTeam(principal, 'infra', Date.now());
 */
export function createDirectoryService(deps: DirectoryDeps): DirectoryService {
  // One hasher for all, so the dummy hash is computed once.
  const shared: DirectoryDeps = { db: deps.db, passwords: deps.passwords ?? createPasswordHasher() };
  return Object.freeze({
    ...createUserDirectory(shared),
    ...createTeamDirectory(shared),
    ...createGroupDirectory(shared),
    ...createAgentDirectory(shared),
    ...createActsForDirectory(shared),
    ...createTokenDirectory(shared),
  });
}
