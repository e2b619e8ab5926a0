import type { ActionSummary, ApprovalRequest } from '@gatehouse/core';
import type { Kysely } from 'kysely';
import type { EventHub, GatehouseEvent } from '../events/event-hub.js';
import type { GatehouseDatabase } from '../storage/database-types.js';
import {
  getRequestSummary,
  insertRequestSummary,
  listPendingRequestsWithoutSummary,
} from '../storage/request-summaries-dal.js';
import { getRequest } from '../storage/requests-dal.js';
import { withTransaction } from '../storage/transaction.js';
import type { Summarizer } from './summarizer.js';

/** Summarises new requests off the request path and stores the summaries. */
export interface SummaryWorker {
  /** The stored summary of `request`, writing it first when there is none; concurrent calls share the work. */
  ensure(request: ApprovalRequest): Promise<ActionSummary>;
  /** Summarises pending requests that have none (created while no worker ran); returns how many. */
  catchUp(): Promise<number>;
  /** Resolves once every summary started so far is stored (or failed). */
  idle(): Promise<void>;
  /** Stops listening for new requests and waits for the work in hand. */
  stop(): Promise<void>;
}

/** What the worker needs. */
export interface SummaryWorkerDeps {
  readonly db: Kysely<GatehouseDatabase>;
  readonly events: EventHub;
  readonly summarizer: Summarizer;
  readonly now: () => number;
  readonly onError?: (error: unknown) => void;
}

const CATCH_UP_BATCH = 100;

/**
 * Subscribes to the event hub and, for every `request.created` whose request is pending (waits
 * for people), summarises it asynchronously and stores the summary; the request path never
 * waits for it. If the summarizer fails, the built-in summary is stored. With several nodes on
 * one PostgreSQL each may summarise a request; the first summary stored is kept.
 */
export function createSummaryWorker(deps: SummaryWorkerDeps): SummaryWorker {
  const inFlight = new Map<string, Promise<ActionSummary>>();
  // Event handling not yet settled (reading the request comes before `ensure`), for `idle`.
  const handling = new Set<Promise<void>>();
  let stopped = false;

  async function summarizeAndStore(request: ApprovalRequest): Promise<ActionSummary> {
    const stored = await getRequestSummary(request.id, deps.db);
    if (stored !== undefined) return stored;
    let summary: ActionSummary;
    try {
      summary = await deps.summarizer.summarize(request);
    } catch (error) {
      deps.onError?.(error);
      summary = deps.summarizer.builtIn(request);
    }
    // In a transaction, so on SQLite it shares the group commit instead of an fsync of its own.
    await withTransaction(deps.db, (trx) => insertRequestSummary(request.id, summary, deps.now(), trx));
    return (await getRequestSummary(request.id, deps.db)) ?? summary;
  }

  function ensure(request: ApprovalRequest): Promise<ActionSummary> {
    const running = inFlight.get(request.id);
    if (running !== undefined) return running;
    const work = summarizeAndStore(request).finally(() => inFlight.delete(request.id));
    inFlight.set(request.id, work);
    return work;
  }

  async function onCreated(event: GatehouseEvent): Promise<void> {
    const id = event.subject.startsWith('request:') ? event.subject.slice('request:'.length) : undefined;
    if (id === undefined) return;
    const stored = await getRequest(id, deps.db);
    if (stored?.request.status === 'pending') await ensure(stored.request);
  }

  const unsubscribe = deps.events.subscribe((event) => {
    if (stopped || event.type !== 'request.created') return;
    const handled = onCreated(event)
      .catch((error: unknown) => deps.onError?.(error))
      .finally(() => handling.delete(handled));
    handling.add(handled);
  });

  const idle = async () => {
    while (handling.size > 0 || inFlight.size > 0) {
      await Promise.allSettled([...handling, ...inFlight.values()]);
    }
  };

  return {
    ensure,
    idle,
    async catchUp() {
      let count = 0;
      for (;;) {
        const ids = await listPendingRequestsWithoutSummary(CATCH_UP_BATCH, deps.db);
        for (const id of ids) {
          const stored = await getRequest(id, deps.db);
          if (stored !== undefined) await ensure(stored.request);
          count++;
        }
        if (ids.length < CATCH_UP_BATCH) return count;
      }
    },
    async stop() {
      stopped = true;
      unsubscribe();
      await idle();
    },
  };
}
