import { canonicalJson, parseAuditCheckpoint, verifyAuditChain } from '@gatehouse/core';
import { nodeSha256 } from '@gatehouse/core/node';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ensureSigningKey, loadStoredKeysVerifier } from '../grants/signing-key-service.js';
import { listAuditCheckpoints } from '../storage/audit-checkpoints-dal.js';
import { getAuditHead } from '../storage/audit-dal.js';
import { ENGINES, openTestStorage, type TestStorage } from '../storage/storage-test-engines.test-support.js';
import { writeAuditCheckpoint } from './audit-checkpoint-service.js';
import { exportAuditJsonl } from './audit-export.js';
import { appendEvents, breakAppendOnlyGuards } from './audit-fixtures.test-support.js';
import { verifyStoredAudit } from './audit-verify-service.js';

const T0 = 1_800_000_000_000;

for (const engine of ENGINES) {
  describe(`audit export (${engine})`, () => {
    let storage: TestStorage;

    beforeEach(async () => {
      storage = await openTestStorage(engine);
    });
    afterEach(async () => {
      await storage?.dispose();
    });

    async function exported(options: Parameters<typeof exportAuditJsonl>[2] = {}) {
      const chunks: string[] = [];
      const summary = await exportAuditJsonl(storage.db, (line) => void chunks.push(line), {
        batchSize: 3,
        ...options,
      });
      return { chunks, summary };
    }

    it('exports nothing from an empty log', async () => {
      expect(await exported()).toEqual({ chunks: [], summary: { count: 0 } });
    });

    it('exports JSON Lines that the core verifies, with the stored checkpoints', async () => {
      const ring = await ensureSigningKey(storage.db, T0);
      await appendEvents(storage, 5, T0 + 1);
      await writeAuditCheckpoint(storage.db, ring, T0 + 2);
      await appendEvents(storage, 2, T0 + 3);

      const { chunks, summary } = await exported();
      expect(summary).toEqual({ count: 8, last: await getAuditHead(storage.db) });
      expect(chunks).toHaveLength(8);
      for (const chunk of chunks) expect(chunk).toMatch(/^[^\n]+\n$/);
      const records = chunks
        .join('')
        .trimEnd()
        .split('\n')
        .map((line) => JSON.parse(line) as unknown);

      const checkpoints = (await listAuditCheckpoints(storage.db)).map(parseAuditCheckpoint);
      const verifier = await loadStoredKeysVerifier(storage.db);
      expect(verifyAuditChain(records, { sha256: nodeSha256, checkpoints, verifier })).toMatchObject({
        ok: true,
        count: 8,
        checkpointsVerified: 1,
      });
    });

    it('writes each record exactly as hashed: canonical JSON, and without its hash the hashed text', async () => {
      await ensureSigningKey(storage.db, T0);
      await appendEvents(storage, 2, T0 + 1);
      for (const line of (await exported()).chunks.map((chunk) => chunk.slice(0, -1))) {
        const { hash, ...hashed } = JSON.parse(line) as Record<string, unknown>;
        expect(line).toBe(canonicalJson({ ...hashed, hash }));
        expect(nodeSha256(canonicalJson(hashed))).toBe(hash);
      }
    });

    it('exports from a given seq, awaiting each write in order', async () => {
      await ensureSigningKey(storage.db, T0);
      await appendEvents(storage, 6, T0 + 1);
      const seqs: number[] = [];
      let pending = 0;
      const summary = await exportAuditJsonl(
        storage.db,
        async (line) => {
          expect(pending).toBe(0);
          pending += 1;
          await Promise.resolve();
          seqs.push((JSON.parse(line) as { seq: number }).seq);
          pending -= 1;
        },
        { fromSeq: 5, batchSize: 2 },
      );
      expect(seqs).toEqual([5, 6, 7]);
      expect(summary).toMatchObject({ count: 3, last: { seq: 7 } });
    });

    it('an export of a tampered log fails verification at the same record as verify', async () => {
      await ensureSigningKey(storage.db, T0);
      await appendEvents(storage, 4, T0 + 1);
      await breakAppendOnlyGuards(storage);
      await storage.db
        .updateTable('audit_events')
        .set({ at: T0 + 99 })
        .where('seq', '=', 4)
        .execute();
      const records = (await exported()).chunks.map((chunk) => JSON.parse(chunk) as unknown);
      const offline = verifyAuditChain(records, { sha256: nodeSha256 });
      const online = await verifyStoredAudit(storage.db, await loadStoredKeysVerifier(storage.db));
      expect(offline).toMatchObject({ ok: false, firstBad: { seq: 4, problem: 'edited' } });
      expect(online).toEqual(offline);
    });
  });
}
