import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Authorization, createGatehouse, type Gatehouse, GatehouseRefused } from '../src/index.js';
import { startTestGatehouse, type TestGatehouse } from './gatehouse-harness.test-support.js';
import { SDK_TEST_POLICY } from './sdk-policy.test-support.js';

// Security cases of grant consumption through the SDK, against a real Gatehouse: each attack
// is refused with a typed answer, and the refusal is in the audit log.

let server: TestGatehouse;
let gate: Gatehouse;

beforeAll(async () => {
  server = await startTestGatehouse(SDK_TEST_POLICY);
  gate = createGatehouse({ url: server.url, token: server.tokens.agent, retry: { delayMs: 1 } });
});
afterAll(async () => {
  await server?.close();
});

async function refusalOf(promise: Promise<unknown>): Promise<GatehouseRefused> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof GatehouseRefused) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

/** An approved deploy: authorized by rita, its grant not yet consumed. */
function approvedDeploy(ref: string): Promise<Authorization> {
  return gate.authorize(
    'deploy.production',
    { ref },
    { onPending: (request) => void server.approve(request.id) },
  );
}

async function refusalsAbout(subject: string) {
  return (await server.audit('grant.refused')).filter((row) => row.subject === subject);
}

describe('grant security', () => {
  it('a grant presented with changed params is refused (grant-mismatch) and audited; the approved payload still works', async () => {
    const { grant, requestId } = await approvedDeploy('v1.0.0');
    const refusal = await refusalOf(
      gate.consume(grant, { action: 'deploy.production', params: { ref: 'v6.6.6' } }),
    );
    expect(refusal.reason).toBe('grant-mismatch');
    expect(refusal.status).toBe(403);
    const [audited] = await refusalsAbout(`request:${requestId}`);
    expect(audited?.data).toMatchObject({ code: 'grant-mismatch' });

    const consumed = await gate.consume(grant, { action: 'deploy.production', params: { ref: 'v1.0.0' } });
    expect(consumed).toMatchObject({ requestId, params: { ref: 'v1.0.0' } });
  });

  it('a grant presented for another action is refused (grant-mismatch) and audited', async () => {
    const { grant, requestId } = await approvedDeploy('v1.1.0');
    const refusal = await refusalOf(
      gate.consume(grant, { action: 'deploy.staging', params: { ref: 'v1.1.0' } }),
    );
    expect(refusal.reason).toBe('grant-mismatch');
    expect(await refusalsAbout(`request:${requestId}`)).toHaveLength(1);
  });

  it('a grant used twice is refused the second time (grant-consumed) and audited', async () => {
    const { grant, requestId } = await approvedDeploy('v2.0.0');
    const payload = { action: 'deploy.production', params: { ref: 'v2.0.0' } };
    await gate.consumeGrant(grant, payload);
    const refusal = await refusalOf(gate.consumeGrant(grant, payload));
    expect(refusal.reason).toBe('grant-consumed');
    expect(refusal.status).toBe(409);
    const [audited] = await refusalsAbout(`request:${requestId}`);
    expect(audited?.data).toMatchObject({ code: 'grant-consumed' });
  });

  it('a forged grant (payload edited, signature kept) is refused and audited as unverified', async () => {
    const { grant } = await approvedDeploy('v3.0.0');
    const [header, payload, signature] = grant.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
    const forgedPayload = Buffer.from(JSON.stringify({ ...claims, act: 'secret.read' })).toString(
      'base64url',
    );
    const before = (await refusalsAbout('grant:unverified')).length;
    const refusal = await refusalOf(
      gate.consume(`${header}.${forgedPayload}.${signature}`, {
        action: 'secret.read',
        params: { ref: 'v3.0.0' },
      }),
    );
    expect(refusal.reason).toBe('grant-bad-signature');
    const after = await refusalsAbout('grant:unverified');
    expect(after).toHaveLength(before + 1);
    expect(after.at(-1)).toMatchObject({ actor: 'agent:bot', data: { code: 'bad-signature' } });
    // The token is a bearer credential: it is never written to the audit log.
    expect(JSON.stringify(after.at(-1))).not.toContain(signature);
  });

  it('a guard never runs fn when its grant is refused', async () => {
    const { grant, requestId } = await approvedDeploy('v4.0.0');
    await gate.consume(grant, { action: 'deploy.production', params: { ref: 'v4.0.0' } });
    let ran = false;
    const approved = {
      requestId,
      grant,
      request: (await gate.getRequest(requestId)) as Authorization['request'],
    };
    const result = await gate.guardResult('deploy.production', { ref: 'v4.0.0' }, () => (ran = true), {
      approved,
    });
    expect(ran).toBe(false);
    expect(result).toMatchObject({ ok: false, kind: 'Refused' });
  });
});
