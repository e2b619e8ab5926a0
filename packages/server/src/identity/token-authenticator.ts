import { UnauthenticatedError } from '../domain-errors.js';
import { getAgent } from '../storage/agents-dal.js';
import { type ApiTokenRecord, findApiTokenByPrefix, touchApiToken } from '../storage/api-tokens-dal.js';
import type { Executor } from '../storage/transaction.js';
import { getUser } from '../storage/users-dal.js';
import { parseApiToken, tokenSecretMatches } from './api-token.js';
import { type AuthenticatedPrincipal, actorOf } from './authenticated-principal.js';
import { ANONYMOUS_ACTOR, auditDraft, auditRefusal } from './identity-audit.js';
import { loadAgentStanding, loadUserStanding } from './principal-loader.js';
import { AGENT_FORBIDDEN_SCOPES, humanScopes, narrowScopes, withoutScopes } from './token-scopes.js';

/** Why a token was refused; the reason is in the error's data and in the audit record. */
export type TokenRefusalReason =
  | 'malformed'
  | 'unknown'
  | 'bad-secret'
  | 'expired'
  | 'revoked'
  | 'principal-disabled';

/** A token's last use is written at most this often, so a busy agent does not cost a write per request. */
export const TOKEN_TOUCH_INTERVAL_MS = 60_000;

const REFUSAL_MESSAGES: Readonly<Record<TokenRefusalReason, string>> = {
  malformed: 'The API token is malformed',
  unknown: 'The API token is not valid',
  'bad-secret': 'The API token is not valid',
  expired: 'The API token has expired',
  revoked: 'The API token has been revoked',
  'principal-disabled': 'The account this API token belongs to is disabled',
};

/**
 * Authenticates `gh_<prefix>_<secret>`: the principal it belongs to, with the token's scopes
 * narrowed to what that principal may hold. Every refusal is audited (`auth.token.refused`, data
 * `{ reason, prefix }`, never the secret) before it is thrown; pass the database, not a transaction.
 * The secret is checked before the token's state, so a wrong secret learns nothing about it.
 * @throws UnauthenticatedError with `data.reason` a `TokenRefusalReason`.
 */
export async function authenticateToken(
  text: string,
  now: number,
  db: Executor,
): Promise<AuthenticatedPrincipal> {
  const parsed = parseApiToken(text);
  if (parsed === undefined) return refuse('malformed', ANONYMOUS_ACTOR, undefined, now, db);
  const token = await findApiTokenByPrefix(parsed.prefix, db);
  if (token === undefined) return refuse('unknown', ANONYMOUS_ACTOR, parsed.prefix, now, db);
  const actor = actorOf(token.principal);
  if (!tokenSecretMatches(parsed.secret, token.secretHash)) {
    return refuse('bad-secret', actor, token.prefix, now, db);
  }
  if (token.revokedAt !== undefined) return refuse('revoked', actor, token.prefix, now, db);
  if (token.expiresAt !== undefined && token.expiresAt <= now) {
    return refuse('expired', actor, token.prefix, now, db);
  }
  const principal = await principalOf(token, db);
  if (principal === undefined) return refuse('principal-disabled', actor, token.prefix, now, db);
  if (token.lastUsedAt === undefined || now - token.lastUsedAt >= TOKEN_TOUCH_INTERVAL_MS) {
    await touchApiToken(token.id, now, db);
  }
  return principal;
}

/** The enabled principal behind a token, or undefined when it (or an agent's owning user) is gone or disabled. */
async function principalOf(token: ApiTokenRecord, db: Executor): Promise<AuthenticatedPrincipal | undefined> {
  const base = { via: 'token' as const, tokenId: token.id };
  if (token.principal.kind === 'user') {
    const user = await getUser(token.principal.id, db);
    if (user === undefined || user.disabled) return undefined;
    const standing = await loadUserStanding(user.id, db);
    if (standing === undefined) return undefined;
    return Object.freeze({
      kind: 'user',
      id: user.id,
      role: standing.role,
      teams: standing.teams,
      // A token never grants more than its user holds now: an old admin's `admin` scope lapses with the seat.
      scopes: narrowScopes(token.scopes, humanScopes(standing.role)),
      ...base,
    });
  }
  const agent = await getAgent(token.principal.id, db);
  if (agent === undefined || agent.disabled) return undefined;
  if (agent.owner.kind === 'user') {
    // An agent acts for its owner: a disabled owner's agents stop with them.
    const owner = await getUser(agent.owner.id, db);
    if (owner === undefined || owner.disabled) return undefined;
  }
  const standing = await loadAgentStanding(agent, db);
  return Object.freeze({
    kind: 'agent',
    id: agent.id,
    teams: standing.teams,
    ...(standing.owner === undefined ? {} : { owner: standing.owner }),
    ...(standing.ownerTeam === undefined ? {} : { ownerTeam: standing.ownerTeam }),
    // Creation refuses these already; dropping them here too keeps a hand-edited row harmless.
    scopes: withoutScopes(token.scopes, AGENT_FORBIDDEN_SCOPES),
    ...base,
  });
}

async function refuse(
  reason: TokenRefusalReason,
  actor: string,
  prefix: string | undefined,
  now: number,
  db: Executor,
): Promise<never> {
  const subject = prefix === undefined ? 'token' : `token:${prefix}`;
  await auditRefusal(
    auditDraft('auth.token.refused', actor, subject, { reason, ...(prefix === undefined ? {} : { prefix }) }),
    now,
    db,
  );
  throw new UnauthenticatedError(REFUSAL_MESSAGES[reason], reason);
}
