import { createCheckpoint, hashAuditRecord } from '@gatehouse/core';
import { createEd25519Signer, createEd25519VerifierFromJwks, nodeSha256 } from '@gatehouse/core/node';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { foreignKey } from '../grants/grant-fixtures.test-support.js';
import { jwksDocument } from '../grants/jwks.js';
import { ensureSigningKey, type KeyRing, loadStoredKeysVerifier } from '../grants/signing-key-service.js';
import { insertAuditCheckpoint } from '../storage/audit-checkpoints-dal.js';
import { streamAuditEvents } from '../storage/audit-dal.js';
import { insertSigningKey } from '../storage/signing-keys-dal.js';
import { ENGINES, openTestStorage, type TestStorage } from '../storage/storage-test-engines.test-support.js';
import { writeAuditCheckpoint } from './audit-checkpoint-service.js';
import { appendEvents, breakAppendOnlyGuards } from './audit-fixtures.test-support.js';
import { verifyStoredAudit } from './audit-verify-service.js';

const T0 = 1_800_000_000_000;

for (const engine of ENGINES) {
  describe(`audit verify (${engine})`, () => {
    let storage: TestStorage;
    let ring: KeyRing;

    /** Verifies against every stored key, reading two rows at a time (so batches join up). */
    const verify = async (options: Parameters<typeof verifyStoredAudit>[2] = {}) =>
      verifyStoredAudit(storage.db, await loadStoredKeysVerifier(storage.db), { batchSize: 2, ...options });

    /** A log of 6 records (the key's creation, then 5 events) with a checkpoint at seq 5. */
    beforeEach(async () => {
      storage = await openTestStorage(engine);
      ring = await ensureSigningKey(storage.db, T0);
      await appendEvents(storage, 4, T0 + 1);
      await writeAuditCheckpoint(storage.db, ring, T0 + 2);
      await appendEvents(storage, 1, T0 + 3);
    });
    afterEach(async () => {
      await storage?.dispose();
    });

    it('an intact log verifies, with its checkpoint', async () => {
      const verdict = await verify();
      expect(verdict).toMatchObject({ ok: true, count: 6, head: { seq: 6 }, checkpointsVerified: 1 });
    });

    it('an audit row edited in the database is found by verify', async () => {
      await breakAppendOnlyGuards(storage);
      await storage.db
        .updateTable('audit_events')
        .set({ actor: 'user:mallory' })
        .where('seq', '=', 3)
        .execute();
      expect(await verify()).toMatchObject({ ok: false, firstBad: { seq: 3, index: 2, problem: 'edited' } });
    });

    it('an audit row deleted in the database is found by verify', async () => {
      await breakAppendOnlyGuards(storage);
      await storage.db.deleteFrom('audit_events').where('seq', '=', 3).execute();
      const verdict = await verify();
      expect(verdict).toMatchObject({
        ok: false,
        firstBad: { seq: 4, index: 2, problem: 'deleted-or-inserted' },
      });
      expect(verdict.ok === false && verdict.firstBad.message).toContain('records 3..3 are missing');
    });

    it('truncation after a checkpoint is caught', async () => {
      await breakAppendOnlyGuards(storage);
      await storage.db.deleteFrom('audit_events').where('seq', '>=', 4).execute();
      expect(await verify()).toMatchObject({
        ok: false,
        firstBad: { seq: 4, index: 3, problem: 'truncated' },
      });
    });

    it('truncation past the latest checkpoint is caught with the head seen last time', async () => {
      const lastSeen = await verify();
      await breakAppendOnlyGuards(storage);
      await storage.db.deleteFrom('audit_events').where('seq', '=', 6).execute();
      // Without an outside anchor the shorter log is self-consistent: the documented limit.
      expect(await verify()).toMatchObject({ ok: true, count: 5 });
      const expectedHead = lastSeen.ok ? lastSeen.head : undefined;
      expect(await verify({ expectedHead })).toMatchObject({
        ok: false,
        firstBad: { seq: 6, problem: 'truncated' },
      });
    });

    it('a log rewritten with recomputed hashes is caught at its checkpoint', async () => {
      await breakAppendOnlyGuards(storage);
      const events = [];
      for await (const event of streamAuditEvents(1, 100, storage.db)) events.push(event);
      // Edit record 3, then re-link every later record so the chain itself is consistent again.
      let prevHash = events[1]?.hash ?? '';
      for (const event of events.slice(2)) {
        const fields = {
          ...event,
          v: 1 as const,
          prevHash,
          data: event.seq === 3 ? { forged: true } : event.data,
        };
        const hash = hashAuditRecord(fields, nodeSha256);
        await storage.db
          .updateTable('audit_events')
          .set({ data: JSON.stringify(fields.data), prev_hash: prevHash, hash })
          .where('seq', '=', event.seq)
          .execute();
        prevHash = hash;
      }
      expect(await verify()).toMatchObject({
        ok: false,
        firstBad: { seq: 5, problem: 'checkpoint-mismatch' },
      });
    });

    it('a checkpoint with a forged signature is found', async () => {
      const attacker = createEd25519Signer(foreignKey().privateKey, ring.active.kid);
      const forged = createCheckpoint({ seq: 5, hash: '0'.repeat(64) }, T0 + 9, attacker);
      await storage.db
        .updateTable('audit_checkpoints')
        .set({ signature: forged.signature })
        .where('seq', '=', 5)
        .execute();
      expect(await verify()).toMatchObject({
        ok: false,
        firstBad: { seq: 5, problem: 'bad-checkpoint-signature' },
      });
    });

    it('a checkpoint by a key slipped into the database is found with the published JWKS', async () => {
      const published = JSON.parse(JSON.stringify(jwksDocument(ring)));
      // The attacker replaces records 3.. with their own, adds a key of theirs and signs a
      // checkpoint over the new head with it.
      await breakAppendOnlyGuards(storage);
      await storage.db.deleteFrom('audit_checkpoints').execute();
      await storage.db.deleteFrom('audit_events').where('seq', '>=', 3).execute();
      const rewritten = await appendEvents(storage, 3, T0 + 5);
      const attacker = foreignKey();
      const publicJwk = { ...attacker.publicKey.export({ format: 'jwk' }), kid: 'mallory' };
      await insertSigningKey({ kid: 'mallory', alg: 'EdDSA', publicJwk, createdAt: T0 }, storage.db);
      const forgedHead = rewritten.at(-1)!;
      const signer = createEd25519Signer(attacker.privateKey, 'mallory');
      await insertAuditCheckpoint(createCheckpoint(forgedHead, T0 + 6, signer), storage.db);

      // Trusting the database's own keys, the rewritten log passes; the published keys do not.
      expect(await verify()).toMatchObject({ ok: true, count: 5, checkpointsVerified: 1 });
      const outside = createEd25519VerifierFromJwks(published.keys);
      expect(await verifyStoredAudit(storage.db, outside)).toMatchObject({
        ok: false,
        firstBad: { seq: 5, problem: 'bad-checkpoint-signature' },
      });
    });

    it('an unreadable checkpoint row is reported, not thrown', async () => {
      await storage.db.updateTable('audit_checkpoints').set({ v: 2 }).where('seq', '=', 5).execute();
      const verdict = await verify();
      expect(verdict).toMatchObject({ ok: false, firstBad: { seq: 5, problem: 'bad-checkpoint-signature' } });
      expect(verdict.ok === false && verdict.firstBad.message).toContain('cannot be read');
    });
  });
}
