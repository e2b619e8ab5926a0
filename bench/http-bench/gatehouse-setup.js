/**
 * The Gatehouse under test: the real server (`startGatehouse` from the built
 * `@gatehouse/server`) in this process on 127.0.0.1, port 0, over SQLite in a temp directory
 * with the storage's default durability (WAL, synchronous=FULL, group commit), a policy file
 * written for the benchmark, a bootstrapped admin, and a moderator and an agent with API tokens
 * made through the identity directory service. No webhooks, email or LLM: every GATEHOUSE_*
 * variable is removed from this process's environment first.
 */

import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  createDirectoryService,
  humanScopes,
  loadServerConfig,
  loadUserStanding,
  openDatabase,
  startGatehouse,
} from '@gatehouse/server';
import pino from 'pino';

/** `bench.read` is allowed at once (a grant is issued); `bench.write` waits for one moderator. */
export const BENCH_POLICY_YAML = `# Written by bench/http-bench.js for one run.
version: 1
defaults: { decision: deny, expiresIn: 24h, onTimeout: deny, grantTtl: 10m }
rules:
  - name: bench-read
    match: { action: bench.read }
    allow: true
  - name: bench-write
    match: { action: bench.write }
    require:
      stages:
        - { approvers: { role: moderator }, min: 1 }
    risk: medium
`;

const ADMIN = 'bench-admin';
const MODERATOR = 'bench-moderator';
const AGENT = 'bench-agent';

/** A principal as a signed-in browser session of `userId` would carry it (every scope of the role). */
async function sessionPrincipalOf(userId, db) {
  const standing = await loadUserStanding(userId, db);
  if (standing === undefined) throw new Error(`no user ${userId}`);
  return {
    kind: 'user',
    id: userId,
    role: standing.role,
    teams: standing.teams,
    scopes: humanScopes(standing.role),
    via: 'session',
  };
}

/**
 * The admin creates the moderator and the agent (owned by the admin, so the moderator is no
 * party to its requests); the moderator and the admin (for the agent) issue their tokens with
 * the default scopes. Uses a connection of its own, closed before any load starts.
 */
async function createPrincipals(databaseUrl) {
  const database = await openDatabase({ url: databaseUrl });
  try {
    const directory = createDirectoryService({ db: database.db });
    const now = Date.now();
    const admin = await sessionPrincipalOf(ADMIN, database.db);
    await directory.createUser(admin, { username: MODERATOR, role: 'moderator' }, now);
    await directory.createAgent(admin, { name: AGENT }, now);
    const agentToken = await directory.createToken(admin, { agentId: AGENT }, now);
    const moderator = await sessionPrincipalOf(MODERATOR, database.db);
    const moderatorToken = await directory.createToken(moderator, {}, now);
    return { agentToken: agentToken.token, moderatorToken: moderatorToken.token };
  } finally {
    await database.close();
  }
}

/**
 * Starts the server and makes the principals. Warnings and errors of the server's logger go to
 * stderr, so stdout carries only the report's summary line.
 * @returns {Promise<{ origin: { host: string, port: number }, dataDir: string, databaseFile: string,
 *   agentToken: string, moderatorToken: string, stop(): Promise<void>, removeDataDir(): Promise<void> }>}
 */
export async function startBenchGatehouse() {
  // Parts of the server read the environment themselves (webhooks, email, LLM summaries): the
  // benchmark measures the server with none of them, whatever the shell has set.
  for (const key of Object.keys(process.env)) if (key.startsWith('GATEHOUSE_')) delete process.env[key];
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'gatehouse-http-bench-'));
  const policyPath = path.join(dataDir, 'policy.yaml');
  await writeFile(policyPath, BENCH_POLICY_YAML);
  const config = loadServerConfig(
    {
      GATEHOUSE_HOST: '127.0.0.1',
      GATEHOUSE_PORT: '0',
      GATEHOUSE_DATA_DIR: dataDir,
      GATEHOUSE_POLICY: policyPath,
      GATEHOUSE_LOG_LEVEL: 'warn',
      GATEHOUSE_BOOTSTRAP_ADMIN: ADMIN,
      // Never printed: nobody signs in during the run, the directory acts for the admin.
      GATEHOUSE_BOOTSTRAP_PASSWORD: randomBytes(18).toString('base64url'),
    },
    undefined,
  );
  const logger = pino({ level: config.logLevel }, pino.destination(2));
  const running = await startGatehouse(config, { logger });
  try {
    const tokens = await createPrincipals(config.databaseUrl);
    return {
      origin: { host: '127.0.0.1', port: running.port },
      dataDir,
      databaseFile: config.databaseUrl.slice('sqlite:'.length),
      ...tokens,
      stop: () => running.close(),
      removeDataDir: () => rm(dataDir, { recursive: true, force: true }),
    };
  } catch (error) {
    await running.close();
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
}
