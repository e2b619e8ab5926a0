import type { AuditRecord } from '@gatehouse/core';

/** Something that happened, as every live view sees it: the committed audit record. */
export type GatehouseEvent = AuditRecord;

/** Receives events after they commit. */
export type EventListener = (event: GatehouseEvent) => void;

/**
 * The in-process fan-out of committed events to live views (SSE, long-poll waits).
 * Events are audit records, so the audit `seq` is the event id a client resumes from.
 * Across nodes, `postgres-fanout.ts` feeds the records other nodes committed in here.
 */
export interface EventHub {
  /** Deliver committed records, in order; records already delivered (by seq) are skipped. */
  publish(records: readonly GatehouseEvent[]): void;
  subscribe(listener: EventListener): () => void;
  /** The highest seq delivered so far (0 before any). */
  lastSeq(): number;
}

/**
 * Create an event hub that delivers records after `startSeq` (the audit head at start-up:
 * history is read from storage, not replayed here). A listener that throws is removed.
 */
export function createEventHub(startSeq = 0): EventHub {
  const listeners = new Set<EventListener>();
  let last = startSeq;
  return {
    publish(records) {
      for (const record of records) {
        if (record.seq <= last) continue;
        last = record.seq;
        for (const listener of listeners) {
          try {
            listener(record);
          } catch {
            listeners.delete(listener);
          }
        }
      }
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    lastSeq: () => last,
  };
}

/**
 * Resolve when an event about `subject` arrives, or with `undefined` after `timeoutMs`
 * or when `signal` aborts. The caller re-reads state after it resolves.
 */
export function nextEventAbout(
  hub: EventHub,
  subject: string,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<GatehouseEvent | undefined> {
  return new Promise((resolve) => {
    let timer: NodeJS.Timeout | undefined;
    const finish = (event: GatehouseEvent | undefined) => {
      unsubscribe();
      if (timer !== undefined) clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      resolve(event);
    };
    const onAbort = () => finish(undefined);
    const unsubscribe = hub.subscribe((event) => {
      if (event.subject === subject) finish(event);
    });
    timer = setTimeout(() => finish(undefined), Math.max(0, timeoutMs));
    if (signal?.aborted) finish(undefined);
    else signal?.addEventListener('abort', onAbort, { once: true });
  });
}
