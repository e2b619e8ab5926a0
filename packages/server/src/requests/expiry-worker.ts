import { RefusedError } from '../domain-errors.js';
import { claimDueTimers, deleteTimer, getRequest } from '../storage/index.js';
import { commitEvent } from './request-commit.js';
import type { RequestServiceDeps } from './request-service-deps.js';

/** Runs due timers: pending requests expire on time and `onTimeout` applies. */
export interface ExpiryWorker {
  /** Claim and run every due timer now (also what start-up runs, to catch up after downtime). */
  runDue(): Promise<number>;
  start(): void;
  stop(): Promise<void>;
}

const BATCH = 100;
const LEASE_MS = 60_000;

/**
 * Timers are rows claimed with a lease (`FOR UPDATE SKIP LOCKED` on PostgreSQL), so with
 * several nodes each fires once; a node that dies mid-way leaves its lease to run out.
 */
export function createExpiryWorker(
  deps: RequestServiceDeps,
  nodeId: string,
  options: { everyMs?: number; onError?: (error: unknown) => void } = {},
): ExpiryWorker {
  const everyMs = options.everyMs ?? 1_000;
  let interval: NodeJS.Timeout | undefined;
  let running: Promise<number> | undefined;

  async function runDue(): Promise<number> {
    let fired = 0;
    for (;;) {
      const timers = await claimDueTimers(deps.now(), nodeId, BATCH, LEASE_MS, deps.db);
      for (const timer of timers) {
        const stored = await getRequest(timer.requestId, deps.db);
        const due = stored?.request.status === 'pending' && stored.request.expiresAt <= deps.now();
        try {
          if (due) {
            await commitEvent(deps, timer.requestId, { type: 'timeout' });
            fired++;
          }
        } catch (error) {
          // Already decided, or not yet due after an escalation moved the deadline: nothing to do.
          if (!(error instanceof RefusedError)) throw error;
        }
        await deleteTimer(timer.id, deps.db);
      }
      if (timers.length < BATCH) return fired;
    }
  }

  const tick = () => {
    running ??= runDue()
      .catch((error: unknown) => {
        options.onError?.(error);
        return 0;
      })
      .finally(() => {
        running = undefined;
      });
  };

  return {
    runDue,
    start() {
      interval ??= setInterval(tick, everyMs);
      interval.unref();
    },
    async stop() {
      if (interval !== undefined) clearInterval(interval);
      interval = undefined;
      await running;
    },
  };
}
