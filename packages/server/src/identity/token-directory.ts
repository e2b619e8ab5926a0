import { NotFoundError, ValidationError } from '../domain-errors.js';
import { getAgent } from '../storage/agents-dal.js';
import {
  type ApiTokenRecord,
  findApiTokenByPrefix,
  insertApiToken,
  listApiTokens,
  revokeApiToken,
  type TokenPrincipal,
} from '../storage/api-tokens-dal.js';
import type { Executor } from '../storage/transaction.js';
import { getUser } from '../storage/users-dal.js';
import { mayManageAgent } from './agent-directory.js';
import { generateApiToken } from './api-token.js';
import type { AuthenticatedPrincipal } from './authenticated-principal.js';
import {
  type Acting,
  actsAsAdmin,
  type Denial,
  type DirectoryDeps,
  deny,
  runDirectoryChange,
  runDirectoryRead,
} from './directory-guard.js';
import {
  AGENT_DEFAULT_SCOPES,
  AGENT_FORBIDDEN_SCOPES,
  humanScopes,
  parseScopes,
  type TokenScope,
  USER_DEFAULT_SCOPES,
} from './token-scopes.js';

/** A token as lists show it: everything but the secret's hash. Its `id` is its public prefix. */
export type TokenView = Omit<ApiTokenRecord, 'secretHash'>;

/** A new token. */
export interface NewTokenInput {
  /** The agent the token is for; without it, the token is the acting user's own. */
  readonly agentId?: string;
  /** Defaults to the agent or user defaults (`AGENT_DEFAULT_SCOPES`, `USER_DEFAULT_SCOPES`). */
  readonly scopes?: readonly string[];
  /** When it stops working; none means until revoked. */
  readonly expiresAt?: number;
}

/** A token just made: its text, shown this once and never again, and its metadata. */
export interface IssuedToken {
  readonly token: string;
  readonly metadata: TokenView;
}

/** API tokens: issue, list, revoke. */
export interface TokenDirectory {
  /**
   * A user issues a token for themselves, or for an agent they may manage (its owner, a maintainer
   * of its owning team, the admin). Agent tokens never carry `requests:review`, `policy:write` or
   * `admin`; no token carries more than its issuer's own credential. Audited `token.created`
   * (prefix, scopes, principal; never the secret).
   */
  createToken(actor: AuthenticatedPrincipal, input: NewTokenInput, now: number): Promise<IssuedToken>;
  /** A principal's tokens, newest first, metadata only: one's own, a managed agent's, or (the admin) anyone's. */
  listTokens(
    actor: AuthenticatedPrincipal,
    principal: TokenPrincipal | undefined,
    now: number,
  ): Promise<readonly TokenView[]>;
  /** The token's own user, whoever may manage its agent, or the admin revokes it. Audited `token.revoked`. */
  revokeToken(actor: AuthenticatedPrincipal, tokenId: string, now: number): Promise<void>;
}

/** Creates the token directory over `deps.db`. */
export function createTokenDirectory(deps: DirectoryDeps): TokenDirectory {
  const { db } = deps;

  return Object.freeze<TokenDirectory>({
    async createToken(actor, input, now) {
      const requested = input.scopes === undefined ? undefined : parseScopes(input.scopes);
      if (
        input.expiresAt !== undefined &&
        !(Number.isSafeInteger(input.expiresAt) && input.expiresAt > now)
      ) {
        throw new ValidationError('expiresAt', 'must be a time in the future (ms since the epoch)');
      }
      const subjectOwner =
        input.agentId === undefined ? `${actor.kind}:${actor.id}` : `agent:${input.agentId}`;
      const operation = { name: 'token.create', subject: subjectOwner };
      return runDirectoryChange(actor, operation, now, db, async ({ trx, acting, record }) => {
        const principal: TokenPrincipal =
          input.agentId === undefined
            ? { kind: 'user', id: acting.id }
            : { kind: 'agent', id: input.agentId };
        const scopes = requested ?? (principal.kind === 'agent' ? AGENT_DEFAULT_SCOPES : USER_DEFAULT_SCOPES);
        const denial =
          principal.kind === 'agent'
            ? await mayIssueForAgent(acting, principal.id, scopes, trx)
            : mayIssueForSelf(acting, scopes);
        if (denial !== undefined) return denial;
        const issued = generateApiToken();
        const stored = {
          id: issued.prefix,
          prefix: issued.prefix,
          secretHash: issued.secretHash,
          principal: Object.freeze(principal),
          scopes: Object.freeze([...scopes]),
          createdAt: now,
          ...(input.expiresAt === undefined ? {} : { expiresAt: input.expiresAt }),
        };
        await insertApiToken(stored, trx);
        record('token.created', `token:${issued.prefix}`, {
          prefix: issued.prefix,
          scopes: stored.scopes,
          principal: `${principal.kind}:${principal.id}`,
          expiresAt: input.expiresAt ?? null,
        });
        const { secretHash: _hash, ...metadata } = stored;
        return Object.freeze({ token: issued.text, metadata: Object.freeze(metadata) });
      });
    },

    async listTokens(actor, principal, now) {
      const owner = principal ?? { kind: 'user', id: actor.id };
      const operation = { name: 'token.list', subject: `${owner.kind}:${owner.id}` };
      return runDirectoryRead(actor, operation, now, db, async (acting) => {
        const denial = await mayManageTokensOf(acting, owner, db);
        if (denial !== undefined) return denial;
        const tokens = await listApiTokens(owner, db);
        return Object.freeze(tokens.map(({ secretHash: _hash, ...view }) => Object.freeze(view)));
      });
    },

    async revokeToken(actor, tokenId, now) {
      const operation = { name: 'token.revoke', subject: `token:${tokenId}` };
      await runDirectoryChange(actor, operation, now, db, async ({ trx, acting, record }) => {
        // A token's id is its prefix (see createToken), the public id lists show.
        const token = await findApiTokenByPrefix(tokenId, trx);
        if (token === undefined) throw new NotFoundError('API token', tokenId);
        const denial = await mayManageTokensOf(acting, token.principal, trx);
        if (denial !== undefined) return denial;
        if (!(await revokeApiToken(token.id, now, trx))) return;
        record('token.revoked', operation.subject, {
          prefix: token.prefix,
          principal: `${token.principal.kind}:${token.principal.id}`,
        });
      });
    },
  });
}

/** A user's own token: only scopes their role holds, and on a token, only scopes that token holds. */
function mayIssueForSelf(acting: Acting, scopes: readonly TokenScope[]): Denial | undefined {
  const beyondRole = scopes.filter((scope) => !humanScopes(acting.role).includes(scope));
  if (beyondRole.length > 0) {
    return deny('scope-not-held', `Your role cannot hold the scope ${beyondRole.join(', ')}`);
  }
  return noEscalation(acting, scopes);
}

async function mayIssueForAgent(
  acting: Acting,
  agentId: string,
  scopes: readonly TokenScope[],
  db: Executor,
): Promise<Denial | undefined> {
  const agent = await getAgent(agentId, db);
  if (agent === undefined) throw new NotFoundError('agent', agentId);
  const ownership = await mayManageAgent(acting, agent, db);
  if (ownership !== undefined) return ownership;
  const forbidden = scopes.filter((scope) => AGENT_FORBIDDEN_SCOPES.includes(scope));
  if (forbidden.length > 0) {
    return deny(
      'agent-forbidden-scope',
      `An agent token can never carry ${forbidden.join(', ')}: agents never review`,
    );
  }
  if (agent.disabled) throw new ValidationError('agentId', `agent ${agentId} is disabled`);
  return noEscalation(acting, scopes);
}

/** A token-authenticated issuer cannot mint a token stronger than the one it holds. */
function noEscalation(acting: Acting, scopes: readonly TokenScope[]): Denial | undefined {
  if (acting.principal.via !== 'token') return undefined;
  const extra = scopes.filter((scope) => !acting.principal.scopes.includes(scope));
  if (extra.length === 0) return undefined;
  return deny('scope-escalation', `This credential does not hold ${extra.join(', ')}, so it cannot grant it`);
}

/** Who may list and revoke a principal's tokens: the user themselves, an agent's managers, the admin. */
async function mayManageTokensOf(
  acting: Acting,
  owner: TokenPrincipal,
  db: Executor,
): Promise<Denial | undefined> {
  if (owner.kind === 'user') {
    if (owner.id === acting.id || actsAsAdmin(acting)) return undefined;
    if ((await getUser(owner.id, db)) === undefined) throw new NotFoundError('user', owner.id);
    return deny('not-token-owner', 'Only the user themselves or the admin can manage a user’s tokens');
  }
  const agent = await getAgent(owner.id, db);
  if (agent === undefined) throw new NotFoundError('agent', owner.id);
  return mayManageAgent(acting, agent, db);
}
