import { describe, expect, it } from 'vitest';
import { ForbiddenError, ValidationError } from '../domain-errors.js';
import { generateApiToken, hashTokenSecret, parseApiToken, tokenSecretMatches } from './api-token.js';
import { requireScope, toCorePrincipal, toReviewer } from './authenticated-principal.js';
import { sessionOf } from './identity-fixtures.test-support.js';
import { humanScopes, parseScopes, TOKEN_SCOPES } from './token-scopes.js';

describe('API token format', () => {
  it('makes gh_<12 base32 chars>_<43 base64url chars> and stores only the secret’s SHA-256', () => {
    const token = generateApiToken();
    expect(token.text).toMatch(/^gh_[a-z2-7]{12}_[A-Za-z0-9_-]{43}$/);
    const parsed = parseApiToken(token.text);
    expect(parsed?.prefix).toBe(token.prefix);
    expect(token.secretHash).toBe(hashTokenSecret(parsed?.secret ?? ''));
    expect(token.secretHash).toMatch(/^[0-9a-f]{64}$/);
    expect(token.text).not.toContain(token.secretHash);
  });

  it('makes a different prefix and secret every time', () => {
    const tokens = Array.from({ length: 50 }, () => generateApiToken());
    expect(new Set(tokens.map((t) => t.prefix)).size).toBe(50);
    expect(new Set(tokens.map((t) => t.text)).size).toBe(50);
  });

  it('parses secrets that contain the separator', () => {
    const secret = `${'_'.repeat(10)}${'a'.repeat(33)}`;
    expect(parseApiToken(`gh_abcdefghijkl_${secret}`)).toEqual({ prefix: 'abcdefghijkl', secret });
  });

  it.each([
    ['empty', ''],
    ['no scheme', 'abcdefghijkl_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'],
    ['uppercase prefix', `gh_ABCDEFGHIJKL_${'a'.repeat(43)}`],
    ['short prefix', `gh_abcdefghijk_${'a'.repeat(43)}`],
    ['short secret', `gh_abcdefghijkl_${'a'.repeat(42)}`],
    ['long secret', `gh_abcdefghijkl_${'a'.repeat(44)}`],
    ['padding', `gh_abcdefghijkl_${'a'.repeat(42)}=`],
    ['trailing space', `gh_abcdefghijkl_${'a'.repeat(43)} `],
  ])('refuses a malformed token: %s', (_name, text) => {
    expect(parseApiToken(text)).toBeUndefined();
  });

  it('compares secrets by hash', () => {
    const token = generateApiToken();
    const { secret } = parseApiToken(token.text) ?? { secret: '' };
    expect(tokenSecretMatches(secret, token.secretHash)).toBe(true);
    expect(tokenSecretMatches(`${secret.slice(0, -1)}x`, token.secretHash)).toBe(secret.endsWith('x'));
    expect(tokenSecretMatches(secret, 'short')).toBe(false);
  });
});

describe('scopes', () => {
  it('accepts known scopes once each and refuses unknown or none', () => {
    expect(parseScopes(['requests:read', 'requests:read', 'policy:read'])).toEqual([
      'requests:read',
      'policy:read',
    ]);
    expect(() => parseScopes(['requests:delete'])).toThrow(ValidationError);
    expect(() => parseScopes([])).toThrow(ValidationError);
  });

  it('gives the admin every scope and other humans all but admin', () => {
    expect(humanScopes('admin')).toEqual(TOKEN_SCOPES);
    expect(humanScopes('moderator')).not.toContain('admin');
    expect(humanScopes('user')).toContain('requests:review');
  });
});

describe('principal helpers', () => {
  it('maps a user to the core’s principal and reviewer', () => {
    const alice = sessionOf('alice', 'moderator', ['infra']);
    expect(toCorePrincipal(alice)).toEqual({
      kind: 'user',
      id: 'alice',
      role: 'moderator',
      teams: ['infra'],
    });
    expect(toReviewer(alice)).toEqual({
      kind: 'user',
      id: 'alice',
      role: 'moderator',
      teams: ['infra'],
      groups: [],
    });
    expect(toReviewer({ ...alice, groups: ['operators'] }).groups).toEqual(['operators']);
  });

  it('maps an agent with its owner and no role, so the core refuses it as a reviewer', () => {
    const bot = {
      kind: 'agent',
      id: 'ci-bot',
      teams: ['infra'],
      owner: 'alice',
      scopes: ['requests:create'],
      via: 'token',
      tokenId: 'abcdefghijkl',
    } as const;
    expect(toCorePrincipal(bot)).toEqual({ kind: 'agent', id: 'ci-bot', teams: ['infra'], owner: 'alice' });
    expect(toReviewer(bot)).toEqual({ kind: 'agent', id: 'ci-bot', teams: ['infra'], groups: [] });
  });

  it('requires a scope with a ForbiddenError naming it', () => {
    const bot = { kind: 'agent', id: 'b', teams: [], scopes: ['requests:read'], via: 'token' } as const;
    expect(() => requireScope(bot, 'requests:read')).not.toThrow();
    const error = (() => {
      try {
        requireScope(bot, 'requests:review');
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(ForbiddenError);
    expect((error as ForbiddenError).data).toMatchObject({
      reason: 'missing-scope',
      scope: 'requests:review',
    });
  });
});
