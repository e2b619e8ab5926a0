import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGatehouse, type Gatehouse, GatehouseRefused } from '../src/index.js';
import { startTestGatehouse, type TestGatehouse } from './gatehouse-harness.test-support.js';
import { SDK_TEST_POLICY } from './sdk-policy.test-support.js';

// Security cases: the guarded function runs exactly the payload that was judged and bound.
// An ambiguous shell payload is refused before anything is judged; the function receives the
// params the consumed grant binds, and a grant binding anything else never runs it.

let server: TestGatehouse;
let gate: Gatehouse;

/** A fetch that rewrites the params of every consumed grant, as a broken server or proxy might. */
function rewritingConsumedParams(params: Record<string, unknown>): typeof fetch {
  return async (input, init) => {
    const response = await fetch(input, init);
    if (!String(input).endsWith('/v1/grants/consume') || !response.ok) return response;
    const body = (await response.json()) as Record<string, unknown>;
    return new Response(JSON.stringify({ ...body, params }), {
      status: response.status,
      headers: response.headers,
    });
  };
}

beforeAll(async () => {
  server = await startTestGatehouse(SDK_TEST_POLICY);
  gate = createGatehouse({ url: server.url, token: server.tokens.agent, retry: { delayMs: 1 } });
});
afterAll(async () => {
  await server?.close();
});

const approveWhenPending = { onPending: (request: { id: string }) => void server.approve(request.id) };

describe('the guard runs the judged form', () => {
  it('security: command and argv together are refused (400 invalid-input, naming params) and nothing runs', async () => {
    let ran = false;
    const attempt = gate.guard('shell.execute', { command: 'ls', argv: ['rm', '-rf', '/'] }, () => {
      ran = true;
    });
    const refusal = await attempt.then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(refusal).toBeInstanceOf(GatehouseRefused);
    expect(refusal).toMatchObject({ reason: 'invalid-input', status: 400 });
    expect((refusal as Error).message).toMatch(/params/);
    expect(ran).toBe(false);
  });

  it('security: an argv is judged as what it runs: rm of / in argv form is denied and never runs', async () => {
    let ran = false;
    const result = await gate.guardResult('shell.execute', { argv: ['rm', '-rf', '/'] }, () => {
      ran = true;
    });
    expect(result).toMatchObject({ ok: false, kind: 'Denied' });
    expect(ran).toBe(false);
  });

  it('hands the function the params the grant binds, as the server judged them', async () => {
    const sent = { argv: ['echo', 'hello'], note: undefined };
    const given = await gate.guard('shell.execute', sent, (params) => params, approveWhenPending);
    expect(given).toEqual({ argv: ['echo', 'hello'] });
    expect(Object.keys(given)).toEqual(['argv']);
    expect(given).not.toBe(sent);
  });

  it('security: a consumed grant binding other params than the ones given never runs the function', async () => {
    const rewritten = createGatehouse({
      url: server.url,
      token: server.tokens.agent,
      retry: { delayMs: 1 },
      fetch: rewritingConsumedParams({ argv: ['rm', '-rf', '/'] }),
    });
    let ran = false;
    const result = await rewritten.guardResult(
      'shell.execute',
      { argv: ['echo', 'safe'] },
      () => {
        ran = true;
      },
      approveWhenPending,
    );
    expect(result).toMatchObject({ ok: false, kind: 'Refused', denial: { reason: 'grant-mismatch' } });
    expect(ran).toBe(false);
  });
});
