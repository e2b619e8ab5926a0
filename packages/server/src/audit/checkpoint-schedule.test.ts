import type { AuditCheckpoint } from '@gatehouse/core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ensureSigningKey, type KeyRing } from '../grants/signing-key-service.js';
import { listAuditCheckpoints } from '../storage/audit-checkpoints-dal.js';
import { ENGINES, openTestStorage, type TestStorage } from '../storage/storage-test-engines.test-support.js';
import { appendEvents } from './audit-fixtures.test-support.js';
import { createCheckpointSchedule } from './checkpoint-schedule.js';

const T0 = 1_800_000_000_000;
const EVERY = 60_000;

for (const engine of ENGINES) {
  describe(`checkpoint schedule (${engine})`, () => {
    let storage: TestStorage;
    let ring: KeyRing;
    let clock: number;

    beforeEach(async () => {
      storage = await openTestStorage(engine);
      ring = await ensureSigningKey(storage.db, T0);
      clock = T0 + 1;
      // Only the interval is faked: database drivers keep their real timers.
      vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    });
    afterEach(async () => {
      vi.useRealTimers();
      await storage?.dispose();
    });

    /** A promise for the next value `push` receives: how the tests wait on the schedule's events. */
    function events<T>() {
      const waiting: ((value: T) => void)[] = [];
      const seen: T[] = [];
      return {
        seen,
        push: (value: T) => {
          seen.push(value);
          waiting.shift()?.(value);
        },
        next: () => new Promise<T>((resolve) => waiting.push(resolve)),
      };
    }

    it('writes a checkpoint at each tick where the head moved, and stops', async () => {
      const written = events<AuditCheckpoint>();
      const errors: unknown[] = [];
      const schedule = createCheckpointSchedule({
        db: storage.db,
        everyMs: EVERY,
        keyRing: () => ring,
        now: () => clock,
        onError: (error) => errors.push(error),
        onCheckpoint: written.push,
      });
      schedule.start();
      schedule.start(); // idempotent: still one interval
      expect(written.seen).toEqual([]); // nothing before the first tick

      let next = written.next();
      vi.advanceTimersByTime(EVERY);
      expect(await next).toMatchObject({ seq: 1, at: T0 + 1, keyId: ring.active.kid });

      await appendEvents(storage, 2, T0 + 2);
      clock = T0 + 3;
      next = written.next();
      vi.advanceTimersByTime(EVERY);
      expect(await next).toMatchObject({ seq: 3, at: T0 + 3 });

      vi.advanceTimersByTime(EVERY); // the head has not moved: this tick writes nothing
      await schedule.stop(); // and stop() waits for it
      await appendEvents(storage, 1, T0 + 4);
      vi.advanceTimersByTime(10 * EVERY); // stopped: no more ticks
      await schedule.stop();
      expect(written.seen.map((c) => c.seq)).toEqual([1, 3]);
      expect((await listAuditCheckpoints(storage.db)).map((c) => c.seq)).toEqual([1, 3]);
      expect(errors).toEqual([]);
    });

    it('reports a failed write and keeps running', async () => {
      const errors = events<unknown>();
      const written = events<AuditCheckpoint>();
      let broken = true;
      const failure = new Error('no key ring');
      const schedule = createCheckpointSchedule({
        db: storage.db,
        everyMs: EVERY,
        keyRing: () => {
          if (broken) throw failure;
          return ring;
        },
        now: () => clock,
        onError: errors.push,
        onCheckpoint: written.push,
      });
      schedule.start();
      const failed = errors.next();
      vi.advanceTimersByTime(EVERY);
      expect(await failed).toBe(failure);

      broken = false;
      const next = written.next();
      vi.advanceTimersByTime(EVERY);
      expect(await next).toMatchObject({ seq: 1 });
      await schedule.stop();
      expect(errors.seen).toEqual([failure]);
    });

    it('refuses a non-positive interval', () => {
      const options = { db: storage.db, keyRing: () => ring, onError: () => {} };
      expect(() => createCheckpointSchedule({ ...options, everyMs: 0 })).toThrow(RangeError);
      expect(() => createCheckpointSchedule({ ...options, everyMs: Number.NaN })).toThrow(RangeError);
    });
  });
}
