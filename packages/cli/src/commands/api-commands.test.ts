import { readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { credentialsPath } from '../api/credentials-store.js';
import { runCli } from '../cli.js';
import {
  ADMIN_PASSWORD,
  apiEnv,
  callApi,
  captureIo,
  cleanUp,
  cli,
  issueToken,
  jsonOf,
  startTestGatehouse,
  type TestGatehouse,
  tempDir,
} from '../cli-harness.test-support.js';

/** Deploys need one moderator; the test's agent is owned by bob, so only alice may approve. */
const REVIEW_POLICY = `version: 1
defaults: { decision: allow, expiresIn: 1h, onTimeout: deny, grantTtl: 10m }
rules:
  - name: deploys-need-a-moderator
    match: { action: "deploy.*" }
    require:
      stages:
        - { approvers: { role: moderator }, min: 1 }
    risk: high
`;

const BROKEN_POLICY = `version: 1
rules:
  - name: broken
    match: { action: shell.execute }
    deny: [not, a, string]
`;

let gatehouse: TestGatehouse;
let agentToken: string;
let aliceToken: string;
let bobToken: string;
let adminToken: string;

interface AuditRow {
  readonly type: string;
  readonly actor: string;
  readonly subject: string;
  readonly data: Record<string, unknown>;
}

async function auditRecords(): Promise<AuditRow[]> {
  const run = await cli(['audit', 'export', '--json'], { env: gatehouse.hostEnv });
  return jsonOf<{ records: AuditRow[] }>(run).records;
}

async function submit(action: string, reason: string, onBehalfOf?: string): Promise<string> {
  const response = await callApi<{ request: { id: string } }>(gatehouse, agentToken, 'POST', '/v1/requests', {
    action,
    params: { version: '1.2.3' },
    context: { environment: 'prod', ticket: 'OPS-1' },
    reason,
    ...(onBehalfOf === undefined ? {} : { onBehalfOf }),
  });
  expect(response.status).toBe(201);
  return response.body.request.id;
}

beforeAll(async () => {
  gatehouse = await startTestGatehouse({ policy: REVIEW_POLICY });
  const env = gatehouse.hostEnv;
  for (const name of ['alice', 'bob']) {
    const created = await cli(['user', 'create', name, '--role', 'moderator', '--password-stdin'], {
      env,
      stdin: `${name}-password-long-enough`,
    });
    expect(created.code).toBe(0);
  }
  expect(
    (await cli(['agent', 'create', 'deployer', '--owner', 'bob', '--acts-for', 'bob'], { env })).code,
  ).toBe(0);
  agentToken = await issueToken(gatehouse, '--agent', 'deployer');
  aliceToken = await issueToken(gatehouse, '--user', 'alice');
  bobToken = await issueToken(gatehouse, '--user', 'bob');
  adminToken = await issueToken(
    gatehouse,
    '--user',
    'admin',
    ...['requests:read', 'requests:review', 'policy:read', 'policy:write', 'admin'].flatMap((s) => [
      '--scope',
      s,
    ]),
  );
});

afterAll(cleanUp);

describe('gatehouse login / logout', () => {
  it('logs in with a password, stores only a new token in a 0600 file, and logout revokes it', async () => {
    const config = await tempDir();
    const env = { XDG_CONFIG_HOME: config };
    const run = await cli(
      ['login', '--server', gatehouse.url, '--username', 'alice', '--password-stdin', '--json'],
      {
        env,
        stdin: 'alice-password-long-enough\n',
      },
    );
    expect(run.code).toBe(0);
    const file = credentialsPath(env);
    expect(jsonOf(run)).toMatchObject({
      server: gatehouse.url,
      principal: { kind: 'user', id: 'alice' },
      credentialsFile: file,
    });
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await stat(path.dirname(file))).mode & 0o777).toBe(0o700);
    const saved = await readFile(file, 'utf8');
    expect(saved).not.toContain('alice-password-long-enough');
    const token = (JSON.parse(saved) as { token: string }).token;
    expect(token).toMatch(/^gh_/);

    // The saved login is all an API command needs.
    expect((await cli(['requests', 'ls', '--json'], { env })).code).toBe(0);

    const logout = await cli(['logout', '--json'], { env });
    expect(logout.code).toBe(0);
    expect(jsonOf(logout)).toEqual({ loggedOut: true, server: gatehouse.url, revoked: true });
    await expect(stat(file)).rejects.toThrow();
    expect((await callApi(gatehouse, token, 'GET', '/v1/auth/session')).status).toBe(401);
    expect((await cli(['requests', 'ls'], { env })).code).toBe(2);
  });

  it('checks and saves a token from stdin, and logout leaves a token it did not create alone', async () => {
    const env = { XDG_CONFIG_HOME: await tempDir() };
    const run = await cli(['login', '--server', `${gatehouse.url}/`, '--token-stdin'], {
      env,
      stdin: `${aliceToken}\n`,
    });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`Logged in to ${gatehouse.url} as user alice`);
    expect((await cli(['logout'], { env })).code).toBe(0);
    expect((await callApi(gatehouse, aliceToken, 'GET', '/v1/auth/session')).status).toBe(200);
  });

  it('exits 5 for a wrong password or a bad token, and saves nothing', async () => {
    const env = { XDG_CONFIG_HOME: await tempDir() };
    const password = await cli(
      ['login', '--server', gatehouse.url, '--username', 'alice', '--password-stdin'],
      {
        env,
        stdin: 'not-alices-password',
      },
    );
    expect(password.code).toBe(5);
    expect(password.stderr.trimEnd().split('\n')).toHaveLength(1);
    const token = await cli(['login', '--server', gatehouse.url, '--token-stdin'], {
      env,
      stdin: 'gh_nope_nope',
    });
    expect(token.code).toBe(5);
    await expect(stat(credentialsPath(env))).rejects.toThrow();
  });

  it('never sends the saved token to another server', async () => {
    const env = { XDG_CONFIG_HOME: await tempDir() };
    expect(
      (await cli(['login', '--server', gatehouse.url, '--token-stdin'], { env, stdin: aliceToken })).code,
    ).toBe(0);
    const other = await cli(['requests', 'ls', '--server', 'http://127.0.0.1:9'], { env });
    expect(other.code).toBe(5);
    expect(other.stderr).toMatch(/not logged in to http:\/\/127\.0\.0\.1:9/);
  });
});

describe('gatehouse requests', () => {
  it('lists, shows and approves a request', async () => {
    const id = await submit('deploy.web', 'ship the \u001b[31mfix\u001b[0m', 'bob');
    const alice = apiEnv(gatehouse, aliceToken);

    const table = await cli(['requests', 'ls', '--status', 'pending'], { env: alice });
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^ID\s+STATUS\s+ACTION\s+REQUESTER\s+RISK\s+AGE/);
    expect(table.stdout).toMatch(
      new RegExp(`${id}\\s+pending\\s+deploy\\.web\\s+agent:deployer\\s+high\\s+\\d+s`),
    );
    const mine = jsonOf<{ requests: { id: string }[] }>(
      await cli(['requests', 'ls', '--awaiting-me', '--json'], { env: alice }),
    );
    expect(mine.requests.map((request) => request.id)).toContain(id);
    const owners = jsonOf<{ requests: { id: string }[] }>(
      await cli(['requests', 'ls', '--awaiting-me', '--json'], { env: apiEnv(gatehouse, bobToken) }),
    );
    expect(owners.requests.map((request) => request.id)).not.toContain(id);

    const show = await cli(['requests', 'show', id], { env: alice });
    expect(show.code).toBe(0);
    expect(show.stdout).toContain(`Request ${id}  PENDING  risk high`);
    // Three groups, in order, each holding only its own kind.
    const [verified = '', bound = '', claimed = ''] = show.stdout
      .split(/^(?=Verified by Gatehouse:|Bound by the grant|Claimed by the agent)/m)
      .slice(1)
      .map((section) => section.split(/\n\n/)[0] ?? '');
    expect(verified).toMatch(/^Verified by Gatehouse:\n\s+requester:\s+agent:deployer \(owned by bob\)/);
    expect(verified).toMatch(/on behalf of: bob \(on the agent’s actsFor list\)/);
    expect(verified).not.toMatch(/ship|OPS-1|prod/);
    expect(bound).toMatch(/^Bound by the grant .*:\n\s+action:\s+deploy\.web\n\s+params:/);
    expect(bound).toMatch(/"environment": "prod"/);
    expect(bound).toMatch(/on behalf of: bob\n\s+payload hash: [0-9a-f]{64}/);
    expect(bound).not.toMatch(/ship|OPS-1/);
    expect(claimed).toMatch(/^Claimed by the agent \(not verified\):\n\s+reason:\s+ship the\s+\[31mfix \[0m/);
    expect(claimed).toMatch(/"ticket": "OPS-1"/);
    expect(show.stdout).not.toContain('\u001b');
    expect(show.stdout).toMatch(/1\. .* \[current\] 0\/1 approval from role:moderator/);
    expect(show.stdout).toMatch(/Timeline:\n\s+\S+\s+request\.created\s+by agent:deployer/);
    const shown = jsonOf<{ verified: unknown; bound: unknown; claimed: unknown }>(
      await cli(['requests', 'show', id, '--json'], { env: alice }),
    );
    expect(shown).toMatchObject({
      id,
      status: 'pending',
      verified: {
        requester: { kind: 'agent', id: 'deployer', owner: 'bob' },
        onBehalfOf: { user: 'bob', basis: 'acts-for' },
      },
      bound: {
        action: 'deploy.web',
        params: { version: '1.2.3' },
        context: { environment: 'prod' },
        onBehalfOf: 'bob',
      },
      claimed: { reason: 'ship the \u001b[31mfix\u001b[0m', context: { ticket: 'OPS-1' } },
    });
    expect(JSON.stringify(shown.verified)).not.toMatch(/ship|OPS-1/);

    const approve = await cli(['requests', 'approve', id, '--comment', 'looks right'], { env: alice });
    expect(approve.code).toBe(0);
    expect(approve.stdout).toBe(`Approved request ${id}: it is approved\n`);
  });

  it('security: the agent’s owner cannot approve its request from the CLI (refused, exit 1, audited)', async () => {
    const id = await submit('deploy.api', 'owner tries to approve');
    const run = await cli(['requests', 'approve', id, '--json'], { env: apiEnv(gatehouse, bobToken) });
    expect(run.code).toBe(1);
    expect(jsonOf(run)).toMatchObject({ error: { exitCode: 1 } });
    expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
    const refusal = (await auditRecords()).find(
      (record) => record.type === 'review.refused' && record.subject === `request:${id}`,
    );
    expect(refusal).toMatchObject({ actor: 'user:bob' });
  });

  it('denies with a comment, refuses a second decision, and cancels', async () => {
    const denied = await submit('deploy.db', 'migrate');
    const alice = apiEnv(gatehouse, aliceToken);
    const deny = await cli(['requests', 'deny', denied, '--comment', 'not during the freeze', '--json'], {
      env: alice,
    });
    expect(deny.code).toBe(0);
    expect(jsonOf(deny)).toMatchObject({
      id: denied,
      status: 'denied',
      reviews: [{ comment: 'not during the freeze' }],
    });
    const again = await cli(['requests', 'approve', denied], { env: alice });
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/^gatehouse requests approve: .+/);

    const cancelled = await submit('deploy.cache', 'flush');
    const cancel = await cli(['requests', 'cancel', cancelled], { env: apiEnv(gatehouse, agentToken) });
    expect(cancel.code).toBe(0);
    expect(cancel.stdout).toBe(`Cancelled request ${cancelled}: it is cancelled\n`);
    expect((await cli(['requests', 'show', 'no-such-request'], { env: alice })).code).toBe(1);
  });

  it('watch prints a line per event it may see, as text and as JSON lines, until interrupted', async () => {
    const id = await submit('deploy.watch', 'watch me');
    const stop = new AbortController();
    const io = captureIo({ env: apiEnv(gatehouse, adminToken), signal: stop.signal });
    const watching = runCli(['requests', 'watch', '--since', '0', '--status', 'pending'], io);
    await io.waitFor(
      'out',
      new RegExp(`request\\.created  request:${id}  by agent:deployer  action="deploy\\.watch"`),
    );
    stop.abort();
    expect(await watching).toBe(0);
    // Only events that leave a request pending: no logins, no directory changes, no approvals.
    for (const line of io.stdout().trimEnd().split('\n'))
      expect(line).toMatch(/ (request\.created|review\.\w+|stage\.completed) /);

    const stopJson = new AbortController();
    const jsonIo = captureIo({ env: apiEnv(gatehouse, adminToken), signal: stopJson.signal });
    const jsonWatch = runCli(['requests', 'watch', '--since', '0', '--json'], jsonIo);
    await jsonIo.waitFor('out', new RegExp(`"subject":"request:${id}"`));
    stopJson.abort();
    expect(await jsonWatch).toBe(0);
    const records = jsonIo
      .stdout()
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as { seq: number; type: string });
    expect(records[0]?.seq).toBe(1);
    expect(records.map((record) => record.seq)).toEqual(records.map((_, index) => index + 1));
  });
});

describe('gatehouse policy apply', () => {
  it('applies a policy as the admin and prints the new version', async () => {
    const file = path.join(await tempDir(), 'policy.yaml');
    await writeFile(file, `${REVIEW_POLICY}# applied from the CLI\n`);
    const run = await cli(['policy', 'apply', file, '--json'], { env: apiEnv(gatehouse, adminToken) });
    expect(run.code).toBe(0);
    expect(jsonOf<{ version: string }>(run).version).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it('prints every error as file:line:column and exits 1 when the server refuses the policy', async () => {
    const file = path.join(await tempDir(), 'broken.yaml');
    await writeFile(file, BROKEN_POLICY);
    const run = await cli(['policy', 'apply', file], { env: apiEnv(gatehouse, adminToken) });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:5:\\d+: error\\[[a-z-]+\\]: `, 'm'),
    );
    const json = await cli(['policy', 'apply', file, '--json'], { env: apiEnv(gatehouse, adminToken) });
    expect(jsonOf<{ errors: { line: number }[] }>(json).errors[0]?.line).toBe(5);
  });

  it('security: a moderator cannot apply a policy (refused, exit 1, audited)', async () => {
    const file = path.join(await tempDir(), 'policy.yaml');
    await writeFile(file, REVIEW_POLICY);
    const run = await cli(['policy', 'apply', file], { env: apiEnv(gatehouse, aliceToken) });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/admin-only/);
    const refusal = (await auditRecords()).find((record) => record.type === 'permission.denied');
    expect(refusal).toMatchObject({
      actor: 'user:alice',
      data: { operation: 'policy.apply', reason: 'admin-only' },
    });
  });

  it('keeps the admin password out of everything it printed', async () => {
    expect(JSON.stringify(await auditRecords())).not.toContain(ADMIN_PASSWORD);
  });
});
