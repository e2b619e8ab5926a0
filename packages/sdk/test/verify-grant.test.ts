import { generateKeyPairSync, sign } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyGrantOffline } from '../../server/src/grants/grant-offline-verify.js';
import { createGatehouse, type JwksDocument, verifyGrant } from '../src/index.js';
import { startTestGatehouse, type TestGatehouse } from './gatehouse-harness.test-support.js';
import { SDK_TEST_POLICY } from './sdk-policy.test-support.js';

// Offline grant verification: real grants from a real Gatehouse verify; every kind of bad
// token is refused with the same code the server's own offline verifier gives it.

let server: TestGatehouse;
let grant: string;
let requestId: string;
let jwks: JwksDocument;
const AUDIENCE = 'gatehouse';

beforeAll(async () => {
  server = await startTestGatehouse(SDK_TEST_POLICY);
  const gate = createGatehouse({ url: server.url, token: server.tokens.agent });
  const submitted = await gate.submit('files.list', { dir: '/var' });
  grant = submitted.grant as string;
  requestId = submitted.request.id;
  jwks = (await (await fetch(`${server.url}/.well-known/jwks.json`)).json()) as JwksDocument;
});
afterAll(async () => {
  await server?.close();
});

const b64 = (value: unknown) =>
  Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
const partsOf = (token: string) => token.split('.') as [string, string, string];
const decode = (segment: string) =>
  JSON.parse(Buffer.from(segment, 'base64url').toString('utf8')) as Record<string, unknown>;

/** The SDK's verdict and the server's, for one token against one key set. */
async function bothVerdicts(token: unknown, keys: JwksDocument = jwks, now = Date.now()) {
  const sdk = await verifyGrant(token, { jwks: keys, audience: AUDIENCE, now });
  const offline = verifyGrantOffline(token, keys as Parameters<typeof verifyGrantOffline>[1], {
    audience: AUDIENCE,
    now,
  });
  return { sdk: sdk.ok ? 'ok' : sdk.code, server: offline.ok ? 'ok' : offline.code };
}

/** A key of our own, published in a JWKS of our own, to sign tokens with exact claims. */
const own = (() => {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const kid = 'test-key-1';
  const { x } = publicKey.export({ format: 'jwk' });
  const keys: JwksDocument = { keys: [{ kty: 'OKP', crv: 'Ed25519', x, kid, alg: 'EdDSA', use: 'sig' }] };
  const signed = (
    claims: Record<string, unknown>,
    header: Record<string, unknown> = { alg: 'EdDSA', kid, typ: 'gatehouse-grant+jws' },
  ) => {
    const input = `${b64(header)}.${b64(claims)}`;
    return `${input}.${sign(null, Buffer.from(input), privateKey).toString('base64url')}`;
  };
  return { kid, keys, signed };
})();

const goodClaims = (overrides: Record<string, unknown> = {}) => {
  const expMs = Date.now() + 600_000;
  return {
    v: 1,
    iss: 'http://gatehouse.test',
    aud: AUDIENCE,
    sub: 'req-1',
    jti: 'jti-1',
    act: 'deploy.production',
    ph: 'a'.repeat(64),
    iat: Math.floor(Date.now() / 1000),
    exp: Math.floor(expMs / 1000),
    exp_ms: expMs,
    ...overrides,
  };
};

describe('verifyGrant', () => {
  it('accepts a real grant fetched with jwksUrl, and gives its claims', async () => {
    const verdict = await verifyGrant(grant, {
      jwksUrl: `${server.url}/.well-known/jwks.json`,
      audience: AUDIENCE,
    });
    expect(verdict.ok).toBe(true);
    if (!verdict.ok) return;
    expect(verdict.claims).toMatchObject({ v: 1, sub: requestId, act: 'files.list', aud: AUDIENCE });
    expect(verdict.kid).toBe(jwks.keys[0]?.kid);
  });

  it('gate.verifyGrant uses the server it is bound to', async () => {
    const gate = createGatehouse({ url: server.url, token: server.tokens.agent });
    expect((await gate.verifyGrant(grant, { audience: AUDIENCE })).ok).toBe(true);
  });

  it('refuses an edited payload with its signature kept (bad-signature)', async () => {
    const [header, payload, signature] = partsOf(grant);
    const forged = `${header}.${b64({ ...decode(payload), act: 'secret.read' })}.${signature}`;
    expect(await bothVerdicts(forged)).toEqual({ sdk: 'bad-signature', server: 'bad-signature' });
  });

  it('refuses a token signed by a foreign key under Gatehouse kid (bad-signature)', async () => {
    const kid = jwks.keys[0]?.kid as string;
    const foreign = own.signed(goodClaims(), { alg: 'EdDSA', kid, typ: 'gatehouse-grant+jws' });
    expect(await bothVerdicts(foreign)).toEqual({ sdk: 'bad-signature', server: 'bad-signature' });
  });

  it('refuses algorithm confusion: alg none and HS256 (unsupported-algorithm)', async () => {
    const [header, payload, signature] = partsOf(grant);
    const headerOf = (alg: string) => b64({ ...decode(header), alg });
    expect(await bothVerdicts(`${headerOf('none')}.${payload}.`)).toEqual({
      sdk: 'unsupported-algorithm',
      server: 'unsupported-algorithm',
    });
    expect(await bothVerdicts(`${headerOf('HS256')}.${payload}.${signature}`)).toEqual({
      sdk: 'unsupported-algorithm',
      server: 'unsupported-algorithm',
    });
  });

  it('refuses a header that brings its own key, an unknown parameter or another typ (malformed)', async () => {
    const [header, payload, signature] = partsOf(grant);
    const variants = [
      { ...decode(header), jwk: own.keys.keys[0] },
      { ...decode(header), cty: 'JWT' },
      { ...decode(header), typ: 'JWT' },
    ];
    for (const variant of variants) {
      expect(await bothVerdicts(`${b64(variant)}.${payload}.${signature}`)).toEqual({
        sdk: 'malformed',
        server: 'malformed',
      });
    }
  });

  it('refuses an unknown kid (unknown-key)', async () => {
    const [header, payload, signature] = partsOf(grant);
    const token = `${b64({ ...decode(header), kid: 'nobody' })}.${payload}.${signature}`;
    expect(await bothVerdicts(token)).toEqual({ sdk: 'unknown-key', server: 'unknown-key' });
  });

  it('refuses a second spelling of the signature, other shapes and oversized tokens (malformed)', async () => {
    const [header, payload, signature] = partsOf(grant);
    // The last character of an Ed25519 signature carries 4 spare bits: flip one of them.
    const last = signature.at(-1) as string;
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const respelled = `${signature.slice(0, -1)}${alphabet[alphabet.indexOf(last) ^ 1]}`;
    for (const token of [
      `${header}.${payload}.${respelled}`,
      `${header}.${payload}`,
      `${header}.${payload}.${signature}.extra`,
      'x'.repeat(5_000),
      42,
    ]) {
      expect(await bothVerdicts(token)).toEqual({ sdk: 'malformed', server: 'malformed' });
    }
  });

  it('refuses another audience (wrong-audience) and an expired grant (expired)', async () => {
    const claims = decode(partsOf(grant)[1]);
    const sdk = await verifyGrant(grant, { jwks, audience: 'someone-else' });
    expect(sdk).toMatchObject({ ok: false, code: 'wrong-audience' });
    expect(await bothVerdicts(grant, jwks, claims.exp_ms as number)).toEqual({
      sdk: 'expired',
      server: 'expired',
    });
    expect(await bothVerdicts(grant, jwks, (claims.exp_ms as number) - 1)).toEqual({
      sdk: 'ok',
      server: 'ok',
    });
  });

  it('refuses signed tokens whose claims break the format (invalid-claims, unsupported-version)', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [goodClaims({ v: 2 }), 'unsupported-version'],
      [goodClaims({ extra: true }), 'invalid-claims'],
      [goodClaims({ ph: 'A'.repeat(64) }), 'invalid-claims'],
      [goodClaims({ exp: 1 }), 'invalid-claims'],
      [goodClaims({ sub: '' }), 'invalid-claims'],
      [goodClaims({ iat: 1.5 }), 'invalid-claims'],
    ];
    for (const [claims, code] of cases) {
      expect(await bothVerdicts(own.signed(claims), own.keys)).toEqual({ sdk: code, server: code });
    }
    expect(await bothVerdicts(own.signed(goodClaims()), own.keys)).toEqual({ sdk: 'ok', server: 'ok' });
  });

  it('throws for a key set with a malformed Ed25519 key, as the server does', async () => {
    const broken: JwksDocument = { keys: [{ kty: 'OKP', crv: 'Ed25519', x: 'not-a-key', kid: 'k' }] };
    await expect(verifyGrant(grant, { jwks: broken, audience: AUDIENCE })).rejects.toThrow(/k/);
    expect(() =>
      verifyGrantOffline(grant, broken as Parameters<typeof verifyGrantOffline>[1], {
        audience: AUDIENCE,
        now: 0,
      }),
    ).toThrow();
  });
});
