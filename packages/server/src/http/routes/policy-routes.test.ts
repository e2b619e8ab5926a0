import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { policyVersionOf } from '../../policy/policy-store.js';
import { ENGINES } from '../../storage/storage-test-engines.test-support.js';
import { createTestApp, TEST_POLICY, type TestApp } from '../http-test-app.test-support.js';

// biome-ignore lint/suspicious/noExplicitAny: response bodies are read loosely and asserted field by field.
type Body = any;

const NEXT_POLICY = `version: 1
defaults: { decision: deny }
rules:
  - name: reads
    match: { action: "files.read" }
    allow: true
`;

for (const engine of ENGINES) {
  describe(`policy routes on ${engine}`, () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp(engine);
    });
    afterAll(async () => {
      await t.dispose();
    });

    const get = async (path: string, as = 'alice') => {
      const res = await t.call('GET', path, { as });
      return { status: res.status, body: (await res.json()) as Body };
    };

    it('shows the active policy with its rules in order', async () => {
      const { status, body } = await get('/v1/policy');
      expect(status).toBe(200);
      expect(body).toMatchObject({ version: policyVersionOf(TEST_POLICY), source: TEST_POLICY });
      expect(body.rules).toEqual([
        {
          name: 'deploys',
          position: { file: expect.any(String), line: 4, column: 5 },
          outcome: 'require',
          match: { actions: ['deploy.*'] },
          risk: 'high',
        },
        expect.objectContaining({ name: 'no-secrets', outcome: 'deny' }),
      ]);
    });

    it('security: a moderator replacing the policy is refused (403) and audited', async () => {
      const res = await t.call('PUT', '/v1/policy', { as: 'mod', body: { source: NEXT_POLICY } });
      expect(res.status).toBe(403);
      expect(((await res.json()) as Body).reason).toBe('admin-only');
      expect((await t.audit('permission.denied')).at(-1)).toMatchObject({
        actor: 'user:mod',
        subject: 'policy',
        data: { operation: 'policy.apply', reason: 'admin-only' },
      });
      expect((await get('/v1/policy')).body.version).toBe(policyVersionOf(TEST_POLICY));
    });

    it('refuses an invalid policy with 422 and the line and column of each problem', async () => {
      const source = 'rules:\n  - name: x\n    match: { action: "a..b" }\n    deny: no\n';
      const res = await t.call('PUT', '/v1/policy', { as: 'admin', body: { source } });
      expect(res.status).toBe(422);
      const body = (await res.json()) as Body;
      expect(body.type).toBe('https://gatehouse.dev/problems/policy-invalid');
      expect(body.errors[0]).toMatchObject({
        line: 3,
        column: expect.any(Number),
        code: 'never-matching-glob',
      });
    });

    it('refuses a policy whose condition reads what the agent claims: 422 claimed-field at its column', async () => {
      const source = [
        'rules:',
        '  - name: urgent-skips-review',
        '    match: { action: "deploy.*" }',
        `    when: "context.reason.contains('urgent')"`,
        '    allow: true',
        '',
      ].join('\n');
      const res = await t.call('PUT', '/v1/policy', { as: 'admin', body: { source } });
      expect(res.status).toBe(422);
      expect(((await res.json()) as Body).errors).toEqual([
        { line: 4, column: 12, code: 'claimed-field', message: expect.stringContaining('context.reason') },
      ]);
      expect((await get('/v1/policy')).body.version).not.toBe(policyVersionOf(source));
      const lint = await t.call('POST', '/v1/policy/lint', { as: 'bob', body: { source } });
      expect(await lint.json()).toMatchObject({ valid: false, errors: [{ line: 4, code: 'claimed-field' }] });
    });

    it('applies a new policy for the admin (audited) and keeps every version', async () => {
      const res = await t.call('PUT', '/v1/policy', { as: 'admin', body: { source: NEXT_POLICY } });
      expect(res.status).toBe(200);
      const version = policyVersionOf(NEXT_POLICY);
      expect(((await res.json()) as Body).version).toBe(version);
      expect((await t.audit('policy.applied')).at(-1)).toMatchObject({
        actor: 'user:admin',
        subject: `policy:${version}`,
      });

      const list = await get('/v1/policy/versions');
      expect(list.body.versions.map((v: Body) => [v.version, v.active])).toEqual(
        expect.arrayContaining([
          [version, true],
          [policyVersionOf(TEST_POLICY), false],
        ]),
      );
      const old = await get(`/v1/policy/versions/${policyVersionOf(TEST_POLICY)}`);
      expect(old.body).toMatchObject({ source: TEST_POLICY, createdBy: 'system', active: false });
      expect((await get('/v1/policy/versions/sha256:unknown')).status).toBe(404);
    });

    it('lints without storing: valid, or every problem positioned', async () => {
      const before = (await t.audit()).length;
      const ok = await t.call('POST', '/v1/policy/lint', { as: 'bob', body: { source: TEST_POLICY } });
      expect(await ok.json()).toEqual({ valid: true, errors: [] });
      const bad = await t.call('POST', '/v1/policy/lint', { as: 'bob', body: { source: 'rules: 7\n' } });
      const body = (await bad.json()) as Body;
      expect(body.valid).toBe(false);
      expect(body.errors[0]).toMatchObject({ line: 1, column: expect.any(Number), code: expect.any(String) });
      expect((await t.audit()).length).toBe(before);
    });

    it('security: an agent may not read or lint the policy (403, audited)', async () => {
      const read = await t.call('GET', '/v1/policy', { as: 'ci-bot' });
      expect(read.status).toBe(403);
      expect(((await read.json()) as Body).reason).toBe('missing-scope');
      const lint = await t.call('POST', '/v1/policy/lint', { as: 'ci-bot', body: { source: TEST_POLICY } });
      expect(lint.status).toBe(403);
      expect((await t.audit('permission.denied')).at(-1)).toMatchObject({
        actor: 'agent:ci-bot',
        data: { operation: 'policy.lint', reason: 'agent-not-allowed' },
      });
    });
  });
}
