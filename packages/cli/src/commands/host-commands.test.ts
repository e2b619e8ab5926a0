import { stat } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  apiEnv,
  callApi,
  cleanUp,
  cli,
  hostEnv,
  jsonOf,
  postgresTestUrl,
  startTestGatehouse,
  tempDir,
} from '../cli-harness.test-support.js';

afterAll(cleanUp);

interface AuditLine {
  readonly seq: number;
  readonly type: string;
  readonly actor: string;
  readonly subject: string;
  readonly data: Record<string, unknown>;
}

async function auditOf(env: Record<string, string>): Promise<AuditLine[]> {
  const run = await cli(['audit', 'export', '--json'], { env });
  expect(run.stderr).toBe('');
  return jsonOf<{ records: AuditLine[] }>(run).records;
}

const ENGINES = ['sqlite', 'postgres'] as const;

/** A fresh installation's environment on an engine: a data directory, and a PostgreSQL schema if asked. */
async function installation(engine: (typeof ENGINES)[number], dataDir?: string) {
  const dir = dataDir ?? (await tempDir());
  const databaseUrl = engine === 'postgres' ? await postgresTestUrl() : undefined;
  return { dataDir: dir, databaseUrl, env: hostEnv(dir, databaseUrl) };
}

for (const engine of ENGINES) {
  describe(`gatehouse init (${engine})`, () => {
    it('sets up an installation once and changes nothing the second time', async () => {
      const setup = await installation(engine, path.join(await tempDir(), 'data'));
      const { dataDir, databaseUrl } = setup;
      const { GATEHOUSE_BOOTSTRAP_PASSWORD: _fixed, ...env } = setup.env;

      const first = await cli(['init'], { env });
      expect(first.code).toBe(0);
      expect(first.stdout).toContain(`Created the data directory ${dataDir}`);
      expect(first.stdout).toContain('Wrote the example policy');
      expect(first.stdout).toMatch(/Migrated the database .* \(\d+ migrations?\)/);
      const password = /one-time password:\s+(\S+)/.exec(first.stdout)?.[1];
      expect(password).toMatch(/^[A-Za-z0-9_-]{24}$/);
      expect(first.stdout).toContain('username:           admin');
      expect((await stat(path.join(dataDir, 'policy.yaml'))).isFile()).toBe(true);

      const second = await cli(['init', '--json'], { env });
      expect(second.code).toBe(0);
      expect(jsonOf(second)).toEqual({
        dataDir: { path: dataDir, created: false },
        policy: { path: path.join(dataDir, 'policy.yaml'), written: false },
        database: {
          url: databaseUrl ?? `sqlite:${path.join(dataDir, 'gatehouse.db')}`,
          migrationsApplied: [],
        },
        firstAdmin: { created: false },
      });
      expect(second.stdout).not.toContain(password);
      // The password printed once works: the server accepts it.
      const gatehouse = await startTestGatehouse({
        dataDir,
        ...(databaseUrl === undefined ? {} : { databaseUrl }),
      });
      const login = await fetch(`${gatehouse.url}/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'admin', password }),
      });
      expect(login.status).toBe(200);
    });

    it('--json reports the generated password once', async () => {
      const { GATEHOUSE_BOOTSTRAP_PASSWORD: _fixed, ...env } = (await installation(engine)).env;
      const run = await cli(['init', '--json'], { env });
      expect(run.code).toBe(0);
      const report = jsonOf<{ firstAdmin: { created: boolean; username: string; oneTimePassword: string } }>(
        run,
      );
      expect(report.firstAdmin).toMatchObject({ created: true, username: 'admin' });
      expect(report.firstAdmin.oneTimePassword).toMatch(/^[A-Za-z0-9_-]{24}$/);
    });

    it('refuses host commands on an installation that was never initialised', async () => {
      const run = await cli(['user', 'list'], { env: (await installation(engine)).env });
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(
        engine === 'sqlite' ? /no Gatehouse database at .*: run gatehouse init/ : /no admin yet/,
      );
    });
  });

  describe(`gatehouse user/team/group/agent/token (${engine}, on the server host, as the admin)`, () => {
    it('creates a directory whose token works against the API, audited as the admin', async () => {
      const { dataDir, databaseUrl, env } = await installation(engine);
      expect((await cli(['init'], { env })).code).toBe(0);

      const bob = await cli(['user', 'create', 'bob'], { env });
      expect(bob.code).toBe(0);
      expect(bob.stdout).toMatch(/One-time password for bob \(shown only now\): \S{24}/);
      const carol = await cli(
        ['user', 'create', 'carol', '--role', 'moderator', '--password-stdin', '--json'],
        {
          env,
          stdin: 'carol-password-long-enough\n',
        },
      );
      expect(carol.code).toBe(0);
      expect(jsonOf(carol)).toMatchObject({ user: { username: 'carol', role: 'moderator' } });
      expect(jsonOf(carol)).not.toHaveProperty('generatedPassword');

      expect((await cli(['team', 'create', 'infra', '--json'], { env })).code).toBe(0);
      const member = await cli(['team', 'add-member', 'infra', 'bob', '--maintainer'], { env });
      expect(member.stderr).toBe('');
      expect(member.stdout).toContain('"bob" is a maintainer of the team "infra"');
      const group = await cli(
        ['group', 'create', 'operators', '--user', 'carol', '--team', 'infra', '--json'],
        { env },
      );
      expect(jsonOf(group)).toEqual({ group: { name: 'operators', users: ['carol'], teams: ['infra'] } });
      const agent = await cli(['agent', 'create', 'ci-bot', '--team', 'infra', '--json'], { env });
      expect(jsonOf(agent)).toMatchObject({ agent: { id: 'ci-bot', owner: { kind: 'team', id: 'infra' } } });
      expect((await cli(['user', 'set-role', 'bob', 'moderator'], { env })).code).toBe(0);

      const listed = jsonOf<{ users: { username: string; role: string }[] }>(
        await cli(['user', 'list', '--json'], { env }),
      );
      expect(listed.users.map(({ username, role }) => [username, role]).sort()).toEqual([
        ['admin', 'admin'],
        ['bob', 'moderator'],
        ['carol', 'moderator'],
      ]);
      expect((await cli(['user', 'list'], { env })).stdout).toMatch(/USERNAME\s+ROLE\s+STATE/);

      const issued = await cli(['token', 'create', '--agent', 'ci-bot', '--expires', '30d', '--json'], {
        env,
      });
      expect(issued.code).toBe(0);
      const token = jsonOf<{ token: string; id: string; scopes: string[]; expiresAt: string }>(issued);
      expect(token.token).toMatch(/^gh_/);
      expect(token.scopes).toEqual(['requests:create', 'requests:read', 'grants:consume']);
      expect(Date.parse(token.expiresAt)).toBeGreaterThan(Date.now() + 29 * 86_400_000);

      const gatehouse = await startTestGatehouse({
        dataDir,
        ...(databaseUrl === undefined ? {} : { databaseUrl }),
      });
      const session = await callApi<{ principal: { kind: string; id: string } }>(
        gatehouse,
        token.token,
        'GET',
        '/v1/auth/session',
      );
      expect(session.status).toBe(200);
      expect(session.body.principal).toMatchObject({ kind: 'agent', id: 'ci-bot' });
      expect((await cli(['requests', 'ls', '--json'], { env: apiEnv(gatehouse, token.token) })).code).toBe(0);

      const records = await auditOf(env);
      const made = (type: string) => records.find((record) => record.type === type);
      expect(made('user.created')).toMatchObject({ actor: 'system', subject: 'user:admin' });
      for (const type of [
        'team.created',
        'team.member.added',
        'group.created',
        'agent.created',
        'token.created',
      ]) {
        expect(made(type), type).toMatchObject({ actor: 'user:admin' });
      }
      expect(
        records.filter((record) => record.type === 'user.created' && record.actor === 'user:admin'),
      ).toHaveLength(2);
      expect(made('token.created')?.data).toMatchObject({ prefix: token.id, principal: 'agent:ci-bot' });
      expect(JSON.stringify(records)).not.toContain(token.token);
    });

    it('issues a user’s own token acting as that user, and transfers the admin seat with set-role admin', async () => {
      const { env } = await installation(engine);
      expect((await cli(['init'], { env })).stderr).toBe('');
      expect((await cli(['user', 'create', 'dave'], { env })).code).toBe(0);
      const token = await cli(['token', 'create', '--user', 'dave', '--json'], { env });
      expect(token.code).toBe(0);
      expect(jsonOf(token)).toMatchObject({ principal: { kind: 'user', id: 'dave' } });
      // A user token never carries more than the user's role.
      const escalation = await cli(['token', 'create', '--user', 'dave', '--scope', 'admin'], { env });
      expect(escalation.code).toBe(1);
      expect(escalation.stderr).toMatch(/cannot hold the scope admin/);

      const transfer = await cli(['user', 'set-role', 'dave', 'admin', '--json'], { env });
      expect(transfer.code).toBe(0);
      const users = jsonOf<{ users: { username: string; role: string }[] }>(
        await cli(['user', 'list', '--json'], { env }),
      );
      expect(users.users.find((user) => user.username === 'dave')?.role).toBe('admin');
      expect(users.users.find((user) => user.username === 'admin')?.role).toBe('moderator');
      const records = await auditOf(env);
      expect(records.find((record) => record.type === 'admin.transferred')).toMatchObject({
        actor: 'user:admin',
        subject: 'user:dave',
      });
      expect(records.find((record) => record.type === 'token.created')).toMatchObject({ actor: 'user:dave' });
    });

    it('reports refusals and conflicts with exit 1 and one line', async () => {
      const { env } = await installation(engine);
      expect((await cli(['init'], { env })).stderr).toBe('');
      expect((await cli(['user', 'create', 'erin'], { env })).code).toBe(0);
      const again = await cli(['user', 'create', 'erin'], { env });
      expect(again.code).toBe(1);
      expect(again.stderr.trimEnd().split('\n')).toHaveLength(1);
      const unknown = await cli(['team', 'add-member', 'nope', 'erin'], { env });
      expect(unknown.code).toBe(1);
      expect(unknown.stderr).toMatch(/No team "nope"/);
      const badName = await cli(['user', 'create', 'Not A Name'], { env });
      expect(badName.code).toBe(2);
      expect(badName.stderr).toMatch(/username: must be/);
    });
  });
}
