import { randomUUID } from 'node:crypto';
import type { ApprovalRequest } from '@gatehouse/core';
import { createTestApp, TEST_PASSWORD, type TestApp } from '../../src/http/http-test-app.test-support.js';
import { createExpiryWorker } from '../../src/requests/expiry-worker.js';
import { createSignedGrantIssuer } from '../../src/requests/signed-grant-issuer.js';
import { type AuditEventRecord, getAuditHead, streamAuditEvents } from '../../src/storage/audit-dal.js';
import { getGrant, type StoredGrant } from '../../src/storage/grants-dal.js';
import { getActivePolicy } from '../../src/storage/policies-dal.js';
import { getRequest } from '../../src/storage/requests-dal.js';
import type { StorageEngine } from '../../src/storage/storage-engine.js';
import { SECURITY_POLICY } from './security-policy.test-support.js';

// The world the security suite attacks (imported by *.test.ts only): the real HTTP app over a
// fresh database, with the harness's principals (admin, mod, alice of infra, bob, ci-bot of
// alice) and a few more, each with an API token. Attacks go through `app.request`; what they
// changed (or did not) is read straight from the database.

// biome-ignore lint/suspicious/noExplicitAny: response bodies are read loosely and asserted field by field.
export type Body = any;

/** An HTTP answer, its body parsed. */
export interface Reply {
  readonly status: number;
  readonly body: Body;
  readonly headers: Headers;
}

/** Who calls and with what: a principal's token by name, a raw token, or a browser cookie. */
export interface SendOptions {
  readonly as?: string;
  readonly token?: string;
  readonly cookie?: string;
  readonly csrf?: string;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

/** A submission, as an agent sends it. */
export interface Submission {
  readonly action: string;
  readonly params?: Readonly<Record<string, unknown>>;
  readonly context?: Readonly<Record<string, unknown>>;
  readonly onBehalfOf?: string;
}

/** The app, its principals' tokens, and readers of what is stored. */
export interface SecurityWorld {
  readonly t: TestApp;
  /** API tokens by principal: the harness's, and carol, dave, erin, frank, gus, mod-bot. */
  readonly tokens: Readonly<Record<string, string>>;
  send(method: string, path: string, options?: SendOptions): Promise<Reply>;
  /** Submits and expects 201: the request id and the answer. */
  submit(as: string, submission: Submission): Promise<{ id: string; body: Body }>;
  /** Votes as `as` (a token name) over HTTP. */
  review(as: string, id: string, decision: 'approve' | 'deny', comment?: string): Promise<Reply>;
  /** A `deploy.production` of ci-bot approved by mod: its id, grant token and grant id. */
  approvedDeploy(params?: Readonly<Record<string, unknown>>): Promise<ApprovedRequest>;
  /** The request as stored. */
  request(id: string): Promise<ApprovalRequest>;
  /** The grant row as stored. */
  grant(jti: string): Promise<StoredGrant>;
  /** The active policy's version, as stored. */
  policyVersion(): Promise<string | undefined>;
  /** The seq of the newest audit record (0 when none). */
  auditHead(): Promise<number>;
  /** Every audit record after `seq`, in order. */
  auditSince(seq: number): Promise<AuditEventRecord[]>;
  /** Runs the expiry worker once, as a node's timer would. */
  runExpiry(): Promise<number>;
  dispose(): Promise<void>;
}

/** An approved request and its (usable) grant. */
export interface ApprovedRequest {
  readonly id: string;
  readonly grant: string;
  readonly jti: string;
  readonly params: Readonly<Record<string, unknown>>;
}

/** Extra plain users, and the team each is a member of. */
const EXTRA_USERS: readonly { name: string; team?: string }[] = [
  { name: 'carol' },
  { name: 'dave', team: 'ops' },
  { name: 'erin', team: 'infra' },
  { name: 'frank' },
  { name: 'gus', team: 'ops' },
];

/** Builds the world for `engine` under {@link SECURITY_POLICY} (or `policy`). */
export async function createSecurityWorld(
  engine: StorageEngine,
  policy: string = SECURITY_POLICY,
): Promise<SecurityWorld> {
  const t = await createTestApp(engine, { policy });
  const { directory, storage } = t;
  const db = storage.db;
  const admin = t.principals.admin;
  const mod = t.principals.mod;
  if (admin === undefined || mod === undefined) throw new Error('the harness has no admin or mod');
  const tokens: Record<string, string> = { ...t.tokens };
  const now = t.context.now;

  await directory.createTeam(admin, 'ops', now());
  for (const user of EXTRA_USERS) {
    await directory.createUser(admin, { username: user.name, password: TEST_PASSWORD }, now());
    if (user.team !== undefined) await directory.addTeamMember(admin, user.team, user.name, 'member', now());
    const session = await t.signIn(user.name);
    tokens[user.name] = (await directory.createToken(session.principal, {}, now())).token;
  }
  // ci-bot may act for mod (the admin's consent on mod's behalf): requests on behalf of mod.
  await directory.addActsFor(admin, 'ci-bot', 'mod', now());
  await directory.createAgent(mod, { name: 'mod-bot' }, now());
  tokens['mod-bot'] = (await directory.createToken(mod, { agentId: 'mod-bot' }, now())).token;

  const send = async (method: string, path: string, options: SendOptions = {}): Promise<Reply> => {
    const headers: Record<string, string> = { ...options.headers };
    const token = options.token ?? (options.as === undefined ? undefined : tokens[options.as]);
    if (options.as !== undefined && token === undefined) throw new Error(`no token for ${options.as}`);
    if (token !== undefined) headers.authorization = `Bearer ${token}`;
    if (options.cookie !== undefined) headers.cookie = options.cookie;
    if (options.csrf !== undefined) headers['x-csrf-token'] = options.csrf;
    if (options.body !== undefined) headers['content-type'] ??= 'application/json';
    const res = await t.app.request(path, {
      method,
      headers,
      ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
    });
    const text = await res.text();
    return { status: res.status, body: text === '' ? undefined : JSON.parse(text), headers: res.headers };
  };

  const submit = async (as: string, submission: Submission) => {
    const reply = await send('POST', '/v1/requests', { as, body: submission });
    if (reply.status !== 201) throw new Error(`submission refused: ${JSON.stringify(reply.body)}`);
    return { id: reply.body.request.id as string, body: reply.body };
  };

  const review = (as: string, id: string, decision: 'approve' | 'deny', comment?: string) =>
    send('POST', `/v1/requests/${id}/reviews`, {
      as,
      body: { decision, ...(comment === undefined ? {} : { comment }) },
    });

  const request = async (id: string) => {
    const stored = await getRequest(id, db);
    if (stored === undefined) throw new Error(`no request ${id}`);
    return stored.request;
  };

  const expiry = createExpiryWorker(
    {
      db,
      policies: t.context.policies,
      grants: createSignedGrantIssuer(t.context.config, t.context.keyRing),
      events: t.context.events,
      now,
      newId: () => randomUUID(),
    },
    'security-suite',
  );

  return {
    t,
    tokens,
    send,
    submit,
    review,
    async approvedDeploy(params = { version: randomUUID() }) {
      const { id } = await submit('ci-bot', { action: 'deploy.production', params });
      const approved = await review('mod', id, 'approve');
      if (approved.status !== 200) throw new Error(`approval refused: ${JSON.stringify(approved.body)}`);
      const detail = await send('GET', `/v1/requests/${id}`, { as: 'ci-bot' });
      const jti = (await request(id)).grant?.jti;
      if (typeof detail.body.grantToken !== 'string' || jti === undefined) throw new Error('no grant');
      return { id, grant: detail.body.grantToken, jti, params };
    },
    request,
    async grant(jti) {
      const stored = await getGrant(jti, db);
      if (stored === undefined) throw new Error(`no grant ${jti}`);
      return stored;
    },
    async policyVersion() {
      return (await getActivePolicy(db))?.version;
    },
    async auditHead() {
      return (await getAuditHead(db))?.seq ?? 0;
    },
    async auditSince(seq) {
      const records: AuditEventRecord[] = [];
      for await (const record of streamAuditEvents(seq + 1, 1_000, db)) records.push(record);
      return records;
    },
    runExpiry: () => expiry.runDue(),
    dispose: () => t.dispose(),
  };
}
