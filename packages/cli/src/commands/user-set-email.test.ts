import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  callApi,
  cleanUp,
  cli,
  issueToken,
  jsonOf,
  startTestGatehouse,
  type TestGatehouse,
} from '../cli-harness.test-support.js';

// gatehouse user set-email on the host: the same directory rule and audit record as the API.

let gatehouse: TestGatehouse;

beforeAll(async () => {
  gatehouse = await startTestGatehouse();
  expect((await cli(['user', 'create', 'alice'], { env: gatehouse.hostEnv })).code).toBe(0);
});

afterAll(cleanUp);

describe('gatehouse user set-email', () => {
  it('sets the address, audited as the admin, and the API shows it to the admin and the user', async () => {
    const run = await cli(['user', 'set-email', 'alice', 'alice@example.com', '--json'], {
      env: gatehouse.hostEnv,
    });
    expect(run.code, run.stderr).toBe(0);
    expect(jsonOf(run)).toEqual({ username: 'alice', email: 'alice@example.com' });
    const admin = await issueToken(gatehouse, '--user', 'admin', '--scope', 'admin');
    const users = await callApi<{ users: { id: string; email?: string }[] }>(
      gatehouse,
      admin,
      'GET',
      '/v1/users',
    );
    expect(users.body.users.find((u) => u.id === 'alice')?.email).toBe('alice@example.com');
    const audit = jsonOf<{ records: { type: string; actor: string; subject: string; data: unknown }[] }>(
      await cli(['audit', 'export', '--json'], { env: gatehouse.hostEnv }),
    ).records;
    expect(audit.filter((r) => r.type === 'user.email.changed').at(-1)).toMatchObject({
      actor: 'user:admin',
      subject: 'user:alice',
      data: { by: 'admin', cleared: false },
    });
    const alice = await issueToken(gatehouse, '--user', 'alice');
    const own = await callApi<{ users: { id: string; email?: string }[] }>(
      gatehouse,
      alice,
      'GET',
      '/v1/users',
    );
    expect(own.body.users.find((u) => u.id === 'alice')?.email).toBe('alice@example.com');
  });

  it('refuses a malformed address (exit 2, naming email) and an unknown user (exit 1)', async () => {
    const bad = await cli(['user', 'set-email', 'alice', 'not-an-address'], { env: gatehouse.hostEnv });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/email/);
    const unknown = await cli(['user', 'set-email', 'nobody', 'n@example.com'], { env: gatehouse.hostEnv });
    expect(unknown.code).toBe(1);
  });
});
