import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadServerConfig } from '../../src/config/server-config.js';
import { type RunningGatehouse, startGatehouse } from '../../src/gatehouse-server.js';
import {
  createTestDatabase,
  POSTGRES_TEST_URL,
  type TestDatabase,
} from '../../src/storage/storage-test-engines.test-support.js';

// Two Gatehouse nodes, each started by the real composition root, on one PostgreSQL schema
// (issue 8, item 7): a policy applied or a group changed through one node is in force on the
// other within a second, and the other keeps receiving changes after its LISTEN connection is
// killed. Waiting is polling with a deadline; the deadline is what is asserted.

const PASSWORD = 'correct horse battery staple';
const IN_FORCE_WITHIN_MS = 1_000;

const POLICY = `version: 1
defaults: { decision: allow, expiresIn: 1h, onTimeout: deny, grantTtl: 10m }
groups:
  desk: { users: [frank] }
rules:
  - name: desk-changes
    match: { action: desk.change }
    require:
      stages:
        - { approvers: { group: desk }, min: 1 }
`;

const withDeny = (action: string) =>
  `${POLICY}  - name: no-${action.replace('.', '-')}\n    match: { action: ${action} }\n    deny: "closed"\n`;

interface Reply {
  readonly status: number;
  // biome-ignore lint/suspicious/noExplicitAny: bodies are read loosely and asserted field by field.
  readonly body: any;
}

async function call(node: RunningGatehouse, method: string, route: string, token: string, body?: unknown) {
  const res = await fetch(`${node.url}${route}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: text === '' ? undefined : JSON.parse(text) } satisfies Reply;
}

/** Signs `username` in on `node` and mints an API token (for themselves, or for their agent). */
async function tokenFor(node: RunningGatehouse, username: string, body: Record<string, unknown> = {}) {
  const login = await fetch(`${node.url}/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: PASSWORD }),
  });
  expect(login.status).toBe(200);
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const { csrfToken } = (await login.json()) as { csrfToken: string };
  const minted = await fetch(`${node.url}/v1/tokens`, {
    method: 'POST',
    headers: { cookie, 'x-csrf-token': csrfToken, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(minted.status).toBe(201);
  return ((await minted.json()) as { token: string }).token;
}

/** Polls `check` until it holds; returns how long that took, or throws once `deadlineMs` passed. */
async function until(check: () => Promise<boolean>, deadlineMs: number): Promise<number> {
  const started = performance.now();
  for (;;) {
    if (await check()) return performance.now() - started;
    if (performance.now() - started > deadlineMs) throw new Error(`not true within ${deadlineMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('two nodes on one PostgreSQL', () => {
  let database: TestDatabase;
  let dir: string;
  let a: RunningGatehouse;
  let b: RunningGatehouse;
  const nodeB = `node-b-${randomBytes(4).toString('hex')}`;
  const tokens: Record<string, string> = {};

  const start = (nodeId: string) =>
    startGatehouse(
      loadServerConfig(
        {
          DATABASE_URL: database.url,
          GATEHOUSE_PORT: '0',
          GATEHOUSE_DATA_DIR: dir,
          GATEHOUSE_POLICY: path.join(dir, 'policy.yaml'),
          GATEHOUSE_NODE_ID: nodeId,
          GATEHOUSE_BOOTSTRAP_ADMIN: 'admin',
          GATEHOUSE_BOOTSTRAP_PASSWORD: PASSWORD,
        },
        undefined,
      ),
      { logger: pino({ level: 'silent' }) },
    );
  const activeVersionOn = async (node: RunningGatehouse) =>
    (await call(node, 'GET', '/v1/policy', tokens.admin as string)).body.version as string;
  const applyOnA = async (source: string) => {
    const applied = await call(a, 'PUT', '/v1/policy', tokens.admin as string, { source });
    expect(applied.status).toBe(200);
    return applied.body.version as string;
  };

  beforeAll(async () => {
    database = await createTestDatabase('postgres');
    dir = await mkdtemp(path.join(tmpdir(), 'gatehouse-two-nodes-'));
    await writeFile(path.join(dir, 'policy.yaml'), POLICY);
    a = await start(`node-a-${randomBytes(4).toString('hex')}`);
    b = await start(nodeB);
    tokens.admin = await tokenFor(a, 'admin', {
      scopes: ['requests:create', 'requests:read', 'requests:review', 'policy:read', 'policy:write', 'admin'],
    });
    const admin = tokens.admin;
    expect(
      (await call(a, 'POST', '/v1/users', admin, { username: 'vera', role: 'moderator', password: PASSWORD }))
        .status,
    ).toBe(201);
    tokens.vera = await tokenFor(b, 'vera');
    expect((await call(a, 'POST', '/v1/agents', admin, { name: 'bot' })).status).toBe(201);
    tokens.bot = await tokenFor(a, 'admin', { agentId: 'bot' });
    expect((await call(a, 'POST', '/v1/groups', admin, { name: 'desk' })).status).toBe(201);
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
    await database?.drop();
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  it('a policy applied on node A is enforced by node B within a second', async () => {
    const before = await call(b, 'POST', '/v1/requests', tokens.bot as string, {
      action: 'freeze.check',
      params: {},
    });
    expect(before.body.request.status).toBe('approved');

    const version = await applyOnA(withDeny('freeze.check'));
    const took = await until(async () => (await activeVersionOn(b)) === version, IN_FORCE_WITHIN_MS);
    expect(took).toBeLessThan(IN_FORCE_WITHIN_MS);
    const after = await call(b, 'POST', '/v1/requests', tokens.bot as string, {
      action: 'freeze.check',
      params: {},
    });
    expect(after.body.request.status).toBe('denied');
    await applyOnA(POLICY);
  });

  it('a group member removed on node A cannot approve on node B, and counts again once added back', async () => {
    const admin = tokens.admin as string;
    expect(
      (await call(a, 'POST', '/v1/groups/desk/members', admin, { kind: 'user', id: 'vera' })).status,
    ).toBe(204);
    const submitted = await call(b, 'POST', '/v1/requests', tokens.bot as string, {
      action: 'desk.change',
      params: { n: randomUUID() },
    });
    const id = submitted.body.request.id as string;
    expect((await call(a, 'DELETE', '/v1/groups/desk/members/user/vera', admin)).status).toBe(204);

    const refused = await call(b, 'POST', `/v1/requests/${id}/reviews`, tokens.vera as string, {
      decision: 'approve',
    });
    expect({ status: refused.status, reason: refused.body.reason }).toEqual({
      status: 403,
      reason: 'not-eligible',
    });
    const audit = await call(b, 'GET', `/v1/audit?subject=${encodeURIComponent(`request:${id}`)}`, admin);
    expect(audit.status).toBe(200);
    expect(audit.body.records).toContainEqual(
      expect.objectContaining({
        type: 'review.refused',
        actor: 'user:vera',
        data: expect.objectContaining({ code: 'not-eligible' }),
      }),
    );

    expect(
      (await call(a, 'POST', '/v1/groups/desk/members', admin, { kind: 'user', id: 'vera' })).status,
    ).toBe(204);
    const approved = await call(b, 'POST', `/v1/requests/${id}/reviews`, tokens.vera as string, {
      decision: 'approve',
    });
    expect(approved.status).toBe(200);
    expect(approved.body.status).toBe('approved');
  });

  it('a policy group changed on node A counts for a vote on node B at once', async () => {
    const submitted = await call(b, 'POST', '/v1/requests', tokens.bot as string, {
      action: 'desk.change',
      params: { n: randomUUID() },
    });
    const id = submitted.body.request.id as string;
    expect(
      (await call(a, 'DELETE', '/v1/groups/desk/members/user/vera', tokens.admin as string)).status,
    ).toBe(204);
    // No waiting: a vote reads the policy as stored, not the node's cached copy.
    await applyOnA(POLICY.replace('desk: { users: [frank] }', 'desk: { users: [frank, vera] }'));
    const approved = await call(b, 'POST', `/v1/requests/${id}/reviews`, tokens.vera as string, {
      decision: 'approve',
    });
    expect(approved.status).toBe(200);
    await applyOnA(POLICY);
  });

  it('a signing key rotated on node A is published and used by node B within a second', async () => {
    const rotated = await call(a, 'POST', '/v1/admin/signing-keys/rotate', tokens.admin as string);
    expect(rotated.status).toBe(200);
    const kid = rotated.body.kid as string;
    const kidsOn = async (node: RunningGatehouse) => {
      const jwks = (await (await fetch(`${node.url}/.well-known/jwks.json`)).json()) as {
        keys: { kid: string }[];
      };
      return jwks.keys.map((key) => key.kid);
    };
    const took = await until(async () => (await kidsOn(b)).includes(kid), IN_FORCE_WITHIN_MS);
    expect(took).toBeLessThan(IN_FORCE_WITHIN_MS);
    const allowed = await call(b, 'POST', '/v1/requests', tokens.bot as string, {
      action: 'notes.write',
      params: {},
    });
    const header = (allowed.body.grant as string).split('.')[0] ?? '';
    expect(JSON.parse(Buffer.from(header, 'base64url').toString('utf8')).kid).toBe(kid);
  });

  it('node B’s LISTEN connection killed: it catches up on what it missed, reconnects, and still follows', async () => {
    const admin = new pg.Client({ connectionString: POSTGRES_TEST_URL });
    await admin.connect();
    const listenerPid = async () => {
      const { rows } = await admin.query<{ pid: number }>(
        'select pid from pg_stat_activity where application_name = $1',
        [`gatehouse-events:${nodeB}`],
      );
      return rows[0]?.pid;
    };
    try {
      const killed = await listenerPid();
      expect(killed).toBeDefined();
      const { rows } = await admin.query<{ ok: boolean }>('select pg_terminate_backend($1) as ok', [killed]);
      expect(rows[0]?.ok).toBe(true);

      // Applied while B may not be listening: B must catch up once it listens again.
      const missed = await applyOnA(withDeny('freeze.check'));
      await until(async () => (await activeVersionOn(b)) === missed, 5_000);
      const reconnected = await listenerPid();
      expect(reconnected).toBeDefined();
      expect(reconnected).not.toBe(killed);

      const version = await applyOnA(POLICY);
      const took = await until(async () => (await activeVersionOn(b)) === version, IN_FORCE_WITHIN_MS);
      expect(took).toBeLessThan(IN_FORCE_WITHIN_MS);
    } finally {
      await admin.end();
    }
  });
});
