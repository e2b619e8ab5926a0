import { verifyAuditChain } from '@gatehouse/core';
import { nodeSha256 } from '@gatehouse/core/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeAuditCheckpoint } from '../../audit/audit-checkpoint-service.js';
import { ENGINES } from '../../storage/storage-test-engines.test-support.js';
import { createTestApp, type TestApp } from '../http-test-app.test-support.js';

// biome-ignore lint/suspicious/noExplicitAny: response bodies are read loosely and asserted field by field.
type Body = any;

for (const engine of ENGINES) {
  describe(`audit routes on ${engine}`, () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp(engine);
      for (const action of ['deploy.production', 'shell.execute', 'secret.read']) {
        await t.call('POST', '/v1/requests', { as: 'ci-bot', body: { action, params: {} } });
      }
    });
    afterAll(async () => {
      await t.dispose();
    });

    const get = async (path: string, as = 'admin') => {
      const res = await t.call('GET', path, { as });
      return { status: res.status, body: (await res.json()) as Body };
    };

    it('reads the log in order, filtered by type and subject, page by page', async () => {
      const all = await t.audit();
      const first = await get('/v1/audit?limit=2');
      expect(first.body.records.map((r: Body) => r.seq)).toEqual([1, 2]);
      expect(first.body.nextSeq).toBe(3);
      const next = await get(`/v1/audit?limit=2&fromSeq=${first.body.nextSeq}`);
      expect(next.body.records[0].seq).toBe(3);

      const created = await get('/v1/audit?type=request.created&limit=1000', 'mod');
      expect(created.body.records.map((r: Body) => r.seq)).toEqual(
        all.filter((r) => r.type === 'request.created').map((r) => r.seq),
      );
      expect(created.body.nextSeq).toBeUndefined();
      const subject = created.body.records[0].subject as string;
      const about = await get(`/v1/audit?subject=${encodeURIComponent(subject)}`);
      expect(about.body.records.every((r: Body) => r.subject === subject)).toBe(true);
    });

    it('security: a plain user may not read the audit log (403) and it is audited', async () => {
      const { status, body } = await get('/v1/audit', 'alice');
      expect(status).toBe(403);
      expect(body.reason).toBe('moderator-only');
      expect((await t.audit('permission.denied')).at(-1)).toMatchObject({
        actor: 'user:alice',
        data: { operation: 'audit.read', reason: 'moderator-only' },
      });
    });

    it('exports JSON Lines that verify offline with the core (the admin only)', async () => {
      const res = await t.call('GET', '/v1/audit/export', { as: 'admin' });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/x-ndjson');
      const lines = (await res.text()).trimEnd().split('\n');
      const records = lines.map((line) => JSON.parse(line));
      expect(records.map((r) => r.seq)).toEqual((await t.audit()).map((r) => r.seq));
      expect(verifyAuditChain(records, { sha256: nodeSha256 })).toMatchObject({
        ok: true,
        count: records.length,
      });
      const byMod = await t.call('GET', '/v1/audit/export', { as: 'mod' });
      expect(byMod.status).toBe(403);
    });

    it('verifies the stored chain and its signed checkpoints', async () => {
      await writeAuditCheckpoint(t.storage.db, t.context.keyRing(), t.context.now());
      const res = await t.call('POST', '/v1/audit/verify', { as: 'mod' });
      expect(res.status).toBe(200);
      const verdict = (await res.json()) as Body;
      expect(verdict).toMatchObject({ ok: true, checkpointsVerified: 1 });
      expect(verdict.count).toBeGreaterThan(5);

      const wrongHead = await t.call('POST', '/v1/audit/verify', {
        as: 'mod',
        body: { expectedHead: { seq: verdict.head.seq, hash: '0'.repeat(64) } },
      });
      expect(((await wrongHead.json()) as Body).ok).toBe(false);
    });
  });
}
