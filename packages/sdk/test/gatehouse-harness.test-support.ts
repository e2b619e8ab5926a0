import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  type AuthenticatedPrincipal,
  createDirectoryService,
  createPasswordHasher,
  getAdmin,
  humanScopes,
  loadServerConfig,
  loadUserStanding,
  type OpenDatabase,
  openDatabase,
  startGatehouse,
} from '../../server/src/index.js';
import { type AuditEventRecord, streamAuditEvents } from '../../server/src/storage/audit-dal.js';

// A real Gatehouse for the SDK, gateway and example suites (imported by *.test.ts only): the
// server started with startGatehouse on a free port over a fresh SQLite database in a
// temporary directory, with principals made through the identity directory service. Reviews
// go through the HTTP API, as a person in another window would make them.

/** The admin's password (GATEHOUSE_BOOTSTRAP_PASSWORD). */
const ADMIN_PASSWORD = 'admin-password-for-sdk-tests';

/** argon2id at test costs: nobody logs in with a password here. */
const CHEAP_PASSWORDS = createPasswordHasher({ memoryCost: 1024, timeCost: 1, parallelism: 1 });

/** A running server and the principals in it. */
export interface TestGatehouse {
  readonly url: string;
  readonly dataDir: string;
  /** A second connection to the server's database, for reading audit rows. */
  readonly db: OpenDatabase['db'];
  /** Tokens: `agent` (the agent `bot`, owned by owen), `reviewer` (rita, a moderator), `owner` (owen). */
  readonly tokens: { readonly agent: string; readonly reviewer: string; readonly owner: string };
  /** Calls the API with a token; the body is parsed JSON (or undefined). */
  api<T = Record<string, unknown>>(
    token: string,
    method: string,
    pathname: string,
    body?: unknown,
  ): Promise<{ status: number; body: T }>;
  /** rita approves request `id` over the API (throws unless it was accepted). */
  approve(id: string): Promise<void>;
  /** rita denies request `id` with a comment. */
  deny(id: string, comment: string): Promise<void>;
  /** Every audit row, or those of one type, in order. */
  audit(type?: string): Promise<AuditEventRecord[]>;
  /** Issues another token for the agent (each test file's clients may want their own). */
  agentToken(): Promise<string>;
  close(): Promise<void>;
}

async function userPrincipal(id: string, db: OpenDatabase['db']): Promise<AuthenticatedPrincipal> {
  const standing = await loadUserStanding(id, db);
  if (standing === undefined) throw new Error(`no user ${id}`);
  return {
    kind: 'user',
    id,
    role: standing.role,
    teams: standing.teams,
    scopes: humanScopes(standing.role),
    via: 'session',
  };
}

/** Starts a real Gatehouse with `policy`, and the users rita (moderator) and owen, and owen's agent `bot`. */
export async function startTestGatehouse(policy: string): Promise<TestGatehouse> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'gatehouse-sdk-'));
  const policyPath = path.join(dataDir, 'policy.yaml');
  await writeFile(policyPath, policy);
  const config = loadServerConfig(
    {
      GATEHOUSE_DATA_DIR: dataDir,
      GATEHOUSE_PORT: '0',
      GATEHOUSE_POLICY: policyPath,
      GATEHOUSE_LOG_LEVEL: 'silent',
      GATEHOUSE_BOOTSTRAP_PASSWORD: ADMIN_PASSWORD,
    },
    undefined,
  );
  const running = await startGatehouse(config);
  const database = await openDatabase({ url: config.databaseUrl });
  const { db } = database;
  const now = () => Date.now();
  const directory = createDirectoryService({ db, passwords: CHEAP_PASSWORDS });
  const adminRecord = await getAdmin(db);
  if (adminRecord === undefined) throw new Error('the server made no admin');
  const admin = await userPrincipal(adminRecord.id, db);
  await directory.createUser(admin, { username: 'rita', role: 'moderator' }, now());
  await directory.createUser(admin, { username: 'owen' }, now());
  await directory.createAgent(admin, { name: 'bot', owner: { kind: 'user', id: 'owen' } }, now());
  const agentToken = async () => (await directory.createToken(admin, { agentId: 'bot' }, now())).token;
  const tokens = {
    agent: await agentToken(),
    reviewer: (await directory.createToken(await userPrincipal('rita', db), {}, now())).token,
    owner: (await directory.createToken(await userPrincipal('owen', db), {}, now())).token,
  };

  async function api<T>(token: string, method: string, pathname: string, body?: unknown) {
    const response = await fetch(`${running.url}${pathname}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, body: (text === '' ? undefined : JSON.parse(text)) as T };
  }

  async function review(id: string, vote: { decision: 'approve' | 'deny'; comment?: string }) {
    const answer = await api(tokens.reviewer, 'POST', `/v1/requests/${id}/reviews`, vote);
    if (answer.status !== 200) throw new Error(`the review was refused: ${JSON.stringify(answer.body)}`);
  }

  let closed = false;
  return {
    url: running.url,
    dataDir,
    db,
    tokens,
    api,
    approve: (id) => review(id, { decision: 'approve' }),
    deny: (id, comment) => review(id, { decision: 'deny', comment }),
    async audit(type) {
      const rows: AuditEventRecord[] = [];
      for await (const row of streamAuditEvents(1, 1_000, db))
        if (type === undefined || row.type === type) rows.push(row);
      return rows;
    },
    agentToken,
    async close() {
      if (closed) return;
      closed = true;
      await running.close();
      await database.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * A fetch that counts the paths it was asked for and can be told to misbehave on some: the
 * network faults (dropped answers, failed event streams) the SDK must survive. Gatehouse
 * itself is never faked: every call that goes through reaches the real server.
 */
export interface FaultyFetch {
  readonly fetch: typeof fetch;
  /** `METHOD /path` of every call, in order (query strings kept). */
  readonly calls: string[];
  /** Headers of every call, in the same order. */
  readonly headers: Headers[];
}

/** What to do with one call: pass it (default), or replace its answer. */
export type FaultRule = (call: {
  readonly method: string;
  readonly path: string;
  readonly index: number;
  readonly forward: () => Promise<Response>;
}) => Promise<Response | undefined> | undefined;

/** A fetch over the real one that applies `rule` to each call. */
export function faultyFetch(rule: FaultRule = () => undefined): FaultyFetch {
  const calls: string[] = [];
  const headers: Headers[] = [];
  const wrapped: typeof fetch = async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const method = init?.method ?? 'GET';
    const index = calls.length;
    calls.push(`${method} ${url.pathname}${url.search}`);
    headers.push(new Headers(init?.headers));
    const forward = () => fetch(input, init);
    return (await rule({ method, path: url.pathname, index, forward })) ?? forward();
  };
  return { fetch: wrapped, calls, headers };
}
