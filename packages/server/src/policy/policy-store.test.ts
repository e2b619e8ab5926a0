import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ForbiddenError } from '../domain-errors.js';
import { listSubjectAuditEvents } from '../storage/index.js';
import { ENGINES, openTestStorage, type TestStorage } from '../storage/storage-test-engines.test-support.js';
import { DEFAULT_POLICY_YAML } from './default-policy.js';
import { createPolicyStore, policyVersionOf } from './policy-store.js';
import { PolicyValidationError } from './policy-validation-error.js';

for (const engine of ENGINES) {
  describe(`policy store on ${engine}`, () => {
    let storage: TestStorage;
    beforeAll(async () => {
      storage = await openTestStorage(engine);
    });
    afterAll(async () => {
      await storage.dispose();
    });

    it('installs the first policy once, audited, and compiles it', async () => {
      const store = await createPolicyStore(storage.db);
      expect(() => store.current()).toThrow();
      expect(await store.installIfNone(DEFAULT_POLICY_YAML, 1_000)).toBe(true);
      expect(await store.installIfNone('rules: []', 2_000)).toBe(false);
      const active = store.current();
      expect(active.version).toBe(policyVersionOf(DEFAULT_POLICY_YAML));
      expect(active.compiled.rules.length).toBe(active.policy.rules.length);
      const audit = await listSubjectAuditEvents(`policy:${active.version}`, storage.db);
      expect(audit.map((record) => record.type)).toEqual(['policy.applied']);
    });

    it('refuses a non-admin replacing the policy, and keeps the active one', async () => {
      const store = await createPolicyStore(storage.db);
      const before = store.current().version;
      await expect(
        store.apply({ actor: 'user:mallory', isAdmin: false }, 'defaults: {decision: deny}', 3_000),
      ).rejects.toThrow(ForbiddenError);
      expect(store.current().version).toBe(before);
    });

    it('refuses an invalid policy with every problem positioned, and keeps the active one', async () => {
      const store = await createPolicyStore(storage.db);
      const before = store.current().version;
      const error = await store
        .apply(
          { actor: 'user:admin', isAdmin: true },
          'rules:\n  - name: x\n    match: { action: "a..b" }\n    deny: no\n',
          3_000,
        )
        .catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(PolicyValidationError);
      expect((error as PolicyValidationError).diagnostics[0]).toMatchObject({
        code: 'never-matching-glob',
        position: { line: 3 },
      });
      expect(store.current().version).toBe(before);
    });

    it('applies a new version for the admin and another node sees it on reload', async () => {
      const store = await createPolicyStore(storage.db);
      const other = await createPolicyStore(storage.db);
      const source = 'defaults: { decision: deny }\n';
      await store.apply({ actor: 'user:admin', isAdmin: true }, source, 4_000);
      expect(store.current().version).toBe(policyVersionOf(source));
      expect((await other.reload()).version).toBe(policyVersionOf(source));
      expect((await store.getVersion(policyVersionOf(DEFAULT_POLICY_YAML))).source).toBe(DEFAULT_POLICY_YAML);
    });

    it('fresh() answers the version stored now, even before this node heard of the change', async () => {
      const store = await createPolicyStore(storage.db);
      const other = await createPolicyStore(storage.db);
      const cached = other.current();
      expect((await other.fresh()).version).toBe(cached.version);
      expect(await other.fresh()).toBe(cached);
      const source = 'defaults: { decision: allow }\n';
      await store.apply({ actor: 'user:admin', isAdmin: true }, source, 5_000);
      expect(other.current().version).toBe(cached.version);
      expect((await other.fresh()).version).toBe(policyVersionOf(source));
      expect(other.current().version).toBe(policyVersionOf(source));
    });
  });
}
