import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createGatehouse,
  type Gatehouse,
  GatehouseCancelled,
  GatehouseDenied,
  GatehouseExpired,
  GatehouseRefused,
  GatehouseUnavailable,
  type GuardContext,
} from '../src/index.js';
import { faultyFetch, startTestGatehouse, type TestGatehouse } from './gatehouse-harness.test-support.js';
import { SDK_TEST_POLICY } from './sdk-policy.test-support.js';

// gate.guard and gate.guardResult against a real Gatehouse: every way an action may or may
// not run, and what is recorded about it.

let server: TestGatehouse;
let gate: Gatehouse;

beforeAll(async () => {
  server = await startTestGatehouse(SDK_TEST_POLICY);
  gate = createGatehouse({ url: server.url, token: server.tokens.agent, retry: { delayMs: 1 } });
});
afterAll(async () => {
  await server?.close();
});

/** The audit rows about one request, by type. */
async function auditTypesOf(requestId: string): Promise<string[]> {
  return (await server.audit())
    .filter((row) => row.subject === `request:${requestId}`)
    .map((row) => row.type);
}

/** A rejection, for assertions (fails when the promise resolves). */
async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

describe('an allowed action', () => {
  it('runs fn once with its consumed grant, reports success, and returns its value', async () => {
    const contexts: GuardContext[] = [];
    const value = await gate.guard('files.list', { dir: '/srv' }, (params, context) => {
      contexts.push(context);
      return `listed ${params.dir}`;
    });
    expect(value).toBe('listed /srv');
    expect(contexts).toHaveLength(1);
    const [context] = contexts;
    if (context === undefined || context.failedOpen) throw new Error('expected an approved run');
    expect(context.consumed).toMatchObject({ action: 'files.list', params: { dir: '/srv' } });
    expect(context.grant.split('.')).toHaveLength(3);
    expect(await auditTypesOf(context.requestId)).toEqual([
      'request.created',
      'request.approved',
      'grant.issued',
      'grant.consumed',
      'request.outcome',
    ]);
    const detail = await gate.getRequest(context.requestId);
    expect(detail.outcome?.result).toBe('succeeded');
  });

  it('reports a failing fn as failed with its message, and rethrows its error', async () => {
    let requestId: string | undefined;
    const error = await rejectionOf(
      gate.guard('files.list', { dir: '/missing' }, (_params, context) => {
        requestId = context.requestId;
        throw new Error('ENOENT: no such directory');
      }),
    );
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(GatehouseDenied);
    const detail = await gate.getRequest(requestId as string);
    expect(detail.outcome).toMatchObject({ result: 'failed', detail: 'ENOENT: no such directory' });
  });

  it('reports what outcomeOf says about the value', async () => {
    let requestId: string | undefined;
    await gate.guard(
      'files.list',
      { dir: '/partial' },
      (_params, context) => {
        requestId = context.requestId;
        return { exitCode: 2 };
      },
      {
        outcomeOf: (value) => ({
          result: value.exitCode === 0 ? 'succeeded' : 'failed',
          detail: `exit ${value.exitCode}`,
        }),
      },
    );
    expect((await gate.getRequest(requestId as string)).outcome).toMatchObject({
      result: 'failed',
      detail: 'exit 2',
    });
  });
});

describe('an action that needs a reviewer', () => {
  it('runs fn only after the reviewer approves', async () => {
    let ran = false;
    let pendingId: string | undefined;
    const value = await gate.guard(
      'deploy.production',
      { ref: 'v1.2.0' },
      () => {
        ran = true;
        return 'deployed';
      },
      {
        reason: 'release v1.2.0',
        onPending: (request) => {
          pendingId = request.id;
          expect(ran).toBe(false);
          void server.approve(request.id);
        },
      },
    );
    expect(value).toBe('deployed');
    expect(await auditTypesOf(pendingId as string)).toEqual([
      'request.created',
      'review.recorded',
      'stage.completed',
      'request.approved',
      'grant.issued',
      'grant.consumed',
      'request.outcome',
    ]);
  });

  it('throws Denied with the reviewer and comment, with a sentence for a model', async () => {
    let ran = false;
    const error = await rejectionOf(
      gate.guard('deploy.production', { ref: 'v9' }, () => (ran = true), {
        onPending: (request) => void server.deny(request.id, 'not on a Friday'),
      }),
    );
    expect(ran).toBe(false);
    expect(error).toBeInstanceOf(GatehouseDenied);
    const denied = error as GatehouseDenied;
    expect(denied.kind).toBe('Denied');
    expect(denied.reasons).toEqual([{ source: 'reviewer', reviewer: 'rita', comment: 'not on a Friday' }]);
    expect(denied.toModelMessage()).toMatch(
      /denied deploy\.production by reviewer rita, who said: "not on a Friday"\. It did not run/,
    );
  });

  it('throws Cancelled when the request is withdrawn while waiting', async () => {
    const error = await rejectionOf(
      gate.guard('deploy.staging', { ref: 'v2' }, () => 'ran', {
        onPending: (request) =>
          void server.api(server.tokens.agent, 'POST', `/v1/requests/${request.id}/cancel`),
      }),
    );
    expect(error).toBeInstanceOf(GatehouseCancelled);
    expect((error as GatehouseCancelled).by).toBe('agent:bot');
  });

  it('throws Expired when nobody decides before the request expires', async () => {
    const error = await rejectionOf(gate.guard('report.publish', { id: 7 }, () => 'ran'));
    expect(error).toBeInstanceOf(GatehouseExpired);
    expect((error as GatehouseExpired).toModelMessage()).toMatch(
      /expired before it was approved, so it did not run/,
    );
  });

  it('gives up after `timeout`, withdraws the request, and throws Unavailable (timeout)', async () => {
    let requestId: string | undefined;
    const error = await rejectionOf(
      gate.guard('deploy.production', { ref: 'slow' }, () => 'ran', {
        timeout: 1,
        onPending: (request) => {
          requestId = request.id;
        },
      }),
    );
    expect(error).toBeInstanceOf(GatehouseUnavailable);
    expect((error as GatehouseUnavailable).reason).toBe('timeout');
    expect((await gate.getRequest(requestId as string)).status).toBe('cancelled');
  });

  it('stops when the signal aborts, rejecting with its reason and withdrawing the request', async () => {
    const controller = new AbortController();
    let requestId: string | undefined;
    const error = await rejectionOf(
      gate.guard('deploy.production', { ref: 'aborted' }, () => 'ran', {
        signal: controller.signal,
        onPending: (request) => {
          requestId = request.id;
          controller.abort(new Error('the user pressed stop'));
        },
      }),
    );
    expect((error as Error).message).toBe('the user pressed stop');
    expect((await gate.getRequest(requestId as string)).status).toBe('cancelled');
  });
});

describe('a denied action', () => {
  it('never runs fn, throws Denied with the rule and its reason, and is audited', async () => {
    let ran = false;
    const error = await rejectionOf(gate.guard('secret.read', { name: 'db-password' }, () => (ran = true)));
    expect(ran).toBe(false);
    expect(error).toBeInstanceOf(GatehouseDenied);
    const denied = error as GatehouseDenied;
    expect(denied.reasons).toEqual([
      { source: 'policy', rule: 'no-secrets', reason: 'Reading secrets is not allowed' },
    ]);
    expect(denied.toModelMessage()).toBe(
      'Gatehouse denied secret.read by policy rule "no-secrets": Reading secrets is not allowed. It did not run. ' +
        'Do not retry it unchanged: choose another way to reach the goal, or ask the user.',
    );
    const rows = (await server.audit('request.denied')).filter(
      (row) => row.subject === `request:${denied.requestId}`,
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]?.data).toMatchObject({ by: 'policy', reasons: [{ rule: 'no-secrets' }] });
  });

  it('guardResult returns the denial as a value instead of throwing', async () => {
    const result = await gate.guardResult('secret.read', { name: 'api-key' }, () => 'ran');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.kind).toBe('Denied');
    expect(result.denial).toBeInstanceOf(GatehouseDenied);
  });

  it('guardResult returns the value of an allowed action', async () => {
    const result = await gate.guardResult('files.list', { dir: '/etc' }, () => 42);
    expect(result).toMatchObject({ ok: true, value: 42, failedOpen: false });
  });
});

describe('idempotent submission', () => {
  it('a submit whose answer was lost is retried with the same key and makes one request', async () => {
    const faults = faultyFetch(async ({ method, path, index, forward }) => {
      if (method !== 'POST' || path !== '/v1/requests' || index > 0) return undefined;
      await forward(); // the server stores the request; its answer never arrives
      throw new TypeError('fetch failed');
    });
    const flaky = createGatehouse({
      url: server.url,
      token: server.tokens.agent,
      fetch: faults.fetch,
      retry: { delayMs: 1 },
    });
    const marker = `lost-answer-${Date.now()}`;
    const value = await flaky.guard('files.list', { dir: marker }, (_params, context) => context.requestId);
    const submits = faults.headers.filter((_headers, index) => faults.calls[index] === 'POST /v1/requests');
    expect(submits).toHaveLength(2);
    expect(submits[0]?.get('idempotency-key')).toMatch(/^[0-9a-f-]{36}$/);
    expect(submits[1]?.get('idempotency-key')).toBe(submits[0]?.get('idempotency-key'));
    const listed = await server.api<{ requests: { id: string; params: { dir?: string } }[] }>(
      server.tokens.agent,
      'GET',
      '/v1/requests?action=files.list&limit=200',
    );
    const made = listed.body.requests.filter((request) => request.bound.params.dir === marker);
    expect(made.map((request) => request.id)).toEqual([value]);
    const created = (await server.audit('request.created')).filter(
      (row) => row.subject === `request:${value}`,
    );
    expect(created).toHaveLength(1);
  });
});

describe('fail closed', () => {
  const unreachable = 'http://127.0.0.1:9';

  it('an unreachable Gatehouse never runs fn and throws Unavailable', async () => {
    let ran = false;
    const offline = createGatehouse({
      url: unreachable,
      token: 'gh_unused',
      retry: { attempts: 2, delayMs: 1 },
    });
    const error = await rejectionOf(offline.guard('files.list', { dir: '/' }, () => (ran = true)));
    expect(ran).toBe(false);
    expect(error).toBeInstanceOf(GatehouseUnavailable);
    expect((error as GatehouseUnavailable).reason).toBe('network');
    expect((error as Error).message).not.toContain('gh_unused');
  });

  it('with failOpen, an unreachable Gatehouse runs fn and says it failed open', async () => {
    const offline = createGatehouse({
      url: unreachable,
      token: 'gh_unused',
      failOpen: true,
      retry: { attempts: 1 },
    });
    const result = await offline.guardResult(
      'files.list',
      { dir: '/' },
      (_params, context) => context.failedOpen,
    );
    expect(result).toMatchObject({ ok: true, value: true, failedOpen: true });
  });

  it('failOpen never runs a denied action', async () => {
    const open = createGatehouse({ url: server.url, token: server.tokens.agent, failOpen: true });
    const result = await open.guardResult('secret.read', { name: 'x' }, () => 'ran');
    expect(result.ok).toBe(false);
  });

  it('a rejected token is a refusal (unauthenticated), and nothing runs', async () => {
    const stranger = createGatehouse({ url: server.url, token: 'gh_not_a_real_token' });
    const error = await rejectionOf(stranger.guard('files.list', { dir: '/' }, () => 'ran'));
    expect(error).toBeInstanceOf(GatehouseRefused);
    expect((error as GatehouseRefused).reason).toBe('unauthenticated');
  });
});

describe('gated', () => {
  it('wraps a function so each call is guarded with params from its arguments', async () => {
    const calls: string[] = [];
    const restart = gate.gated(
      async (service: string, force: boolean) => {
        calls.push(`${service}:${force}`);
        return `restarted ${service}`;
      },
      { action: 'service.restart', params: ([service, force]) => ({ service, force }) },
    );
    expect(await restart('nginx', true)).toBe('restarted nginx');
    expect(calls).toEqual(['nginx:true']);
    const consumed = (await server.audit('grant.consumed')).length;
    expect(consumed).toBeGreaterThan(0);
  });

  it('a gated call of a denied action throws and never calls the function', async () => {
    let called = false;
    const readSecret = gate.gated(
      (name: string) => {
        called = true;
        return name;
      },
      { action: 'secret.read', params: ([name]) => ({ name }) },
    );
    expect(await rejectionOf(readSecret('token'))).toBeInstanceOf(GatehouseDenied);
    expect(called).toBe(false);
  });
});
