import { randomUUID } from 'node:crypto';
import type { OpenAPIHono } from '@hono/zod-openapi';
import { Registry } from 'prom-client';
import { loadServerConfig, type ServerConfig } from '../config/server-config.js';
import { createEventHub } from '../events/event-hub.js';
import { ensureSigningKey } from '../grants/signing-key-service.js';
import type { AuthenticatedPrincipal } from '../identity/authenticated-principal.js';
import { bootstrapAdmin } from '../identity/bootstrap-admin.js';
import { createDirectoryService, type DirectoryService } from '../identity/directory-service.js';
import { createLoginLimiter } from '../identity/login-limiter.js';
import { login } from '../identity/login-service.js';
import { createPasswordHasher } from '../identity/password-hasher.js';
import { SESSION_COOKIE_NAME } from '../identity/session-cookie.js';
import { authenticateSession } from '../identity/session-service.js';
import { createPolicyStore } from '../policy/policy-store.js';
import { createRequestService } from '../requests/request-service.js';
import { createSignedGrantIssuer } from '../requests/signed-grant-issuer.js';
import { type AuditEventRecord, getAuditHead, streamAuditEvents } from '../storage/audit-dal.js';
import type { StorageEngine } from '../storage/storage-engine.js';
import { openTestStorage, type TestStorage } from '../storage/storage-test-engines.test-support.js';
import { createHttpApp } from './http-app.js';
import type { HttpContext, HttpEnv } from './http-context.js';

// Builds the real app over a fresh database for one engine (imported by *.test.ts only):
// real policy store, request service, signing keys, identity; principals made through the
// identity services. Nothing of ours is faked.

/** The policy most HTTP tests run under. */
export const TEST_POLICY = `version: 1
defaults: { decision: allow, expiresIn: 1h, onTimeout: deny, grantTtl: 10m }
rules:
  - name: deploys
    match: { action: "deploy.*" }
    require:
      stages:
        - { approvers: { role: moderator }, min: 1 }
    override: { by: [admin], justification: required }
    risk: high
  - name: no-secrets
    match: { action: secret.read }
    deny: "Reading secrets is not allowed"
`;

/** A password every test user has. */
export const TEST_PASSWORD = 'correct horse battery staple';

/** One signed-in browser session. */
export interface TestSession {
  readonly cookie: string;
  readonly csrfToken: string;
  readonly principal: AuthenticatedPrincipal;
}

/** What `call` sends. */
export interface CallOptions {
  /** Who calls: a name from `tokens` (Bearer), or raw headers. */
  readonly as?: string;
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
}

/** A running app over a fresh database, and the principals in it. */
export interface TestApp {
  readonly engine: StorageEngine;
  readonly app: OpenAPIHono<HttpEnv>;
  readonly context: HttpContext;
  readonly storage: TestStorage;
  readonly directory: DirectoryService;
  /** Bearer tokens by name: admin, mod, alice, bob (users), ci-bot (an agent alice owns). */
  readonly tokens: Readonly<Record<string, string>>;
  /** Principals by name (as their tokens authenticate them). */
  readonly principals: Readonly<Record<string, AuthenticatedPrincipal>>;
  /** What the app logged. */
  readonly logs: readonly { level: string; fields: Record<string, unknown>; message?: string }[];
  /** Moves the clock on. */
  advance(ms: number): void;
  /** Sends a request in process. */
  call(method: string, path: string, options?: CallOptions): Promise<Response>;
  /** Signs a user in with a password, as a browser would. */
  signIn(username: string): Promise<TestSession>;
  /** Audit records, all or of one type, in order. */
  audit(type?: string): Promise<AuditEventRecord[]>;
  dispose(): Promise<void>;
}

const CHEAP_PASSWORDS = createPasswordHasher({ memoryCost: 1024, timeCost: 1, parallelism: 1 });

/** How to build a test app. */
export interface TestAppOptions {
  /** The policy installed at start (default {@link TEST_POLICY}). */
  readonly policy?: string;
  /** The server's public URL (default `http://gatehouse.test`). */
  readonly publicUrl?: string;
}

/** Builds the app for `engine`, with users admin, mod, alice (maintainer of infra), bob, and agent ci-bot (alice's). */
export async function createTestApp(engine: StorageEngine, options: TestAppOptions = {}): Promise<TestApp> {
  const storage = await openTestStorage(engine);
  const { db } = storage;
  let now = Date.parse('2026-11-24T09:00:00Z');
  const clock = () => now;
  const config: ServerConfig = loadServerConfig(
    {
      GATEHOUSE_PUBLIC_URL: options.publicUrl ?? 'http://gatehouse.test',
      GATEHOUSE_GRANT_AUDIENCE: 'test-executors',
    },
    undefined,
  );
  const keyRing = await ensureSigningKey(db, clock());
  const policies = await createPolicyStore(db);
  await policies.installIfNone(options.policy ?? TEST_POLICY, clock());
  await bootstrapAdmin({ username: 'admin', password: TEST_PASSWORD }, clock(), db, {
    passwords: CHEAP_PASSWORDS,
  });
  const events = createEventHub((await getAuditHead(db))?.seq ?? 0);
  const requests = createRequestService({
    db,
    policies,
    grants: createSignedGrantIssuer(config, () => keyRing),
    events,
    now: clock,
    newId: () => randomUUID(),
  });
  const logs: { level: string; fields: Record<string, unknown>; message?: string }[] = [];
  const log = (level: string) => (fields: Record<string, unknown>, message?: string) => {
    logs.push({ level, fields, ...(message === undefined ? {} : { message }) });
  };
  const context: HttpContext = {
    db,
    config,
    requests,
    policies,
    events,
    keyRing: () => keyRing,
    now: clock,
    loginLimiter: createLoginLimiter(),
    logger: { info: log('info'), warn: log('warn'), error: log('error') },
    metrics: new Registry(),
    ready: async () => {
      await getAuditHead(db);
      policies.current();
      return true;
    },
    passwords: CHEAP_PASSWORDS,
  };
  const app = createHttpApp(context);
  const directory = createDirectoryService({ db, passwords: CHEAP_PASSWORDS });

  const signIn = async (username: string): Promise<TestSession> => {
    const session = await login({ username, password: TEST_PASSWORD, ip: 'test', now: clock() }, db, {
      limiter: createLoginLimiter(),
      passwords: CHEAP_PASSWORDS,
    });
    const principal = await authenticateSession(session.cookieValue, clock(), db);
    return {
      cookie: `${SESSION_COOKIE_NAME}=${session.cookieValue}`,
      csrfToken: session.csrfToken,
      principal,
    };
  };

  const admin = (await signIn('admin')).principal;
  await directory.createUser(admin, { username: 'mod', role: 'moderator', password: TEST_PASSWORD }, clock());
  for (const username of ['alice', 'bob']) {
    await directory.createUser(admin, { username, password: TEST_PASSWORD }, clock());
  }
  await directory.createTeam(admin, 'infra', clock());
  await directory.addTeamMember(admin, 'infra', 'alice', 'maintainer', clock());
  const tokens: Record<string, string> = {};
  const principals: Record<string, AuthenticatedPrincipal> = {};
  const adminScopes = [
    'requests:create',
    'requests:read',
    'requests:review',
    'grants:consume',
    'policy:read',
    'policy:write',
    'admin',
  ];
  for (const username of ['admin', 'mod', 'alice', 'bob']) {
    const session = (await signIn(username)).principal;
    const issued = await directory.createToken(
      session,
      username === 'admin' ? { scopes: adminScopes } : {},
      clock(),
    );
    tokens[username] = issued.token;
    principals[username] = session;
  }
  const alice = principals.alice as AuthenticatedPrincipal;
  await directory.createAgent(alice, { name: 'ci-bot' }, clock());
  tokens['ci-bot'] = (await directory.createToken(alice, { agentId: 'ci-bot' }, clock())).token;

  return {
    engine,
    app,
    context,
    storage,
    directory,
    tokens,
    principals,
    logs,
    advance(ms) {
      now += ms;
    },
    async call(method, path, options = {}) {
      const headers: Record<string, string> = { ...options.headers };
      const token = options.as === undefined ? undefined : tokens[options.as];
      if (options.as !== undefined && token === undefined) throw new Error(`no token for ${options.as}`);
      if (token !== undefined) headers.authorization = `Bearer ${token}`;
      if (options.body !== undefined) headers['content-type'] ??= 'application/json';
      return app.request(path, {
        method,
        headers,
        ...(options.body === undefined
          ? {}
          : { body: typeof options.body === 'string' ? options.body : JSON.stringify(options.body) }),
      });
    },
    signIn,
    async audit(type) {
      const records: AuditEventRecord[] = [];
      for await (const record of streamAuditEvents(1, 1_000, db)) {
        if (type === undefined || record.type === type) records.push(record);
      }
      return records;
    },
    async dispose() {
      await storage.dispose();
    },
  };
}
