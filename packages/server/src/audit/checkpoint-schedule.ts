import type { AuditCheckpoint } from '@gatehouse/core';
import type { KeyRing } from '../grants/signing-key-service.js';
import type { Executor } from '../storage/transaction.js';
import { writeAuditCheckpoint } from './audit-checkpoint-service.js';

/** What the checkpoint schedule needs. */
export interface CheckpointScheduleOptions {
  readonly db: Executor;
  /** Interval between checkpoints, in ms. */
  readonly everyMs: number;
  /** The current key ring (read at each tick, so a rotation takes effect at the next one). */
  readonly keyRing: () => KeyRing;
  /** Where a failed write goes (the schedule keeps running). Called when the schedule is idle again. */
  readonly onError: (error: unknown) => void;
  /** Told of each checkpoint written (not of ticks that found nothing new), once the schedule is idle again. */
  readonly onCheckpoint?: (checkpoint: AuditCheckpoint) => void;
  /** The clock, in ms since the epoch (default `Date.now`). */
  readonly now?: () => number;
}

/** A periodic checkpoint writer. */
export interface CheckpointSchedule {
  /** Starts ticking (again); a no-op while started. */
  start(): void;
  /** Stops ticking and resolves once a write in progress has finished. */
  stop(): Promise<void>;
}

/**
 * Writes an audit checkpoint every `everyMs` (skipped when the head has not moved, or while the
 * previous write is still running). The interval is unref'd: it never keeps the process alive.
 *
 * @example const schedule = createCheckpointSchedule({ db, everyMs: 60_000, keyRing: () => ring, onError: log.error }); schedule.start();
 */
export function createCheckpointSchedule(options: CheckpointScheduleOptions): CheckpointSchedule {
  const { db, everyMs, keyRing, onError, onCheckpoint } = options;
  if (!Number.isSafeInteger(everyMs) || everyMs <= 0)
    throw new RangeError('everyMs must be a positive integer number of milliseconds');
  const now = options.now ?? Date.now;
  let timer: ReturnType<typeof setInterval> | undefined;
  let inFlight: Promise<void> | undefined;

  type Outcome = { readonly checkpoint?: AuditCheckpoint } | { readonly error: unknown };

  async function write(): Promise<Outcome> {
    try {
      const checkpoint = await writeAuditCheckpoint(db, keyRing(), now());
      return checkpoint === undefined ? {} : { checkpoint };
    } catch (error) {
      return { error };
    }
  }

  function report(outcome: Outcome): void {
    try {
      if ('error' in outcome) onError(outcome.error);
      else if (outcome.checkpoint !== undefined) onCheckpoint?.(outcome.checkpoint);
    } catch {
      // A throwing callback has nowhere to go from a timer; it must not become an unhandled rejection.
    }
  }

  function tick(): void {
    if (inFlight !== undefined) return;
    // Callbacks run once the schedule is idle again, so the next tick after one always writes.
    inFlight = write().then((outcome) => {
      inFlight = undefined;
      report(outcome);
    });
  }

  return Object.freeze({
    start() {
      if (timer !== undefined) return;
      timer = setInterval(tick, everyMs);
      timer.unref();
    },
    async stop() {
      if (timer !== undefined) clearInterval(timer);
      timer = undefined;
      await inFlight;
    },
  });
}
