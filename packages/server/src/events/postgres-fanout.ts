import type { Kysely } from 'kysely';
import pg from 'pg';
import type { GatehouseDatabase } from '../storage/database-types.js';
import { streamAuditEvents } from '../storage/index.js';
import { EVENTS_CHANNEL } from './event-channel.js';
import type { EventHub, GatehouseEvent } from './event-hub.js';

const RETRY_MIN_MS = 50;
const RETRY_MAX_MS = 2_000;

/** The hub of one node among several sharing a PostgreSQL database. */
export interface PostgresFanout {
  readonly hub: EventHub;
  close(): Promise<void>;
}

/** Options for {@link connectPostgresFanout}. */
export interface PostgresFanoutOptions {
  /** Told about lost connections and failed catch-ups (the fan-out keeps going). */
  readonly onError?: (error: unknown) => void;
  /**
   * The listening connection's `application_name`, so operators can find a node's listener in
   * `pg_stat_activity` (e.g. `gatehouse-events:node-a`).
   */
  readonly applicationName?: string;
}

/**
 * Fan events out across nodes with LISTEN/NOTIFY (DESIGN §8). Every audit append notifies
 * the channel in its transaction (audit-writer.ts); every node, itself included, then reads the audit records after
 * the last one it delivered, in `seq` order, and delivers them locally. Reading from the
 * table rather than trusting notification payloads keeps every node's order the commit
 * order (audit appends are serialised by an advisory lock) and loses nothing when
 * notifications coalesce, or when the listening connection drops: it is reopened with
 * backoff and, once listening again, the node catches up on what it missed.
 */
export async function connectPostgresFanout(
  url: string,
  db: Kysely<GatehouseDatabase>,
  local: EventHub,
  options: PostgresFanoutOptions = {},
): Promise<PostgresFanout> {
  const onError = options.onError ?? (() => {});
  let catchingUp: Promise<void> | undefined;
  let again = false;
  let client: pg.Client | undefined;
  let closed = false;
  let retryMs = RETRY_MIN_MS;
  let retry: NodeJS.Timeout | undefined;

  async function catchUp(): Promise<void> {
    do {
      again = false;
      const batch: GatehouseEvent[] = [];
      for await (const record of streamAuditEvents(local.lastSeq() + 1, 500, db)) {
        batch.push(record as GatehouseEvent);
        if (batch.length >= 500) local.publish(batch.splice(0));
      }
      local.publish(batch);
    } while (again);
  }

  const schedule = () => {
    if (catchingUp !== undefined) {
      again = true;
      return;
    }
    catchingUp = catchUp()
      .catch(onError)
      .finally(() => {
        catchingUp = undefined;
      });
  };

  async function listen(): Promise<void> {
    const next = new pg.Client({
      connectionString: url,
      ...(options.applicationName === undefined ? {} : { application_name: options.applicationName }),
    });
    const lost = (error?: unknown) => {
      if (error !== undefined) onError(error);
      if (client !== next) return;
      client = undefined;
      next.removeAllListeners('notification');
      next.end().catch(() => {});
      reconnectLater();
    };
    next.on('error', lost);
    next.on('end', () => lost());
    next.on('notification', schedule);
    client = next;
    try {
      await next.connect();
      await next.query(`LISTEN ${EVENTS_CHANNEL}`);
    } catch (error) {
      lost(error);
      throw error;
    }
    retryMs = RETRY_MIN_MS;
    // Whatever was committed while this node was not listening.
    schedule();
  }

  function reconnectLater(): void {
    if (closed || retry !== undefined) return;
    retry = setTimeout(() => {
      retry = undefined;
      if (closed) return;
      listen().catch(() => {
        retryMs = Math.min(retryMs * 2, RETRY_MAX_MS);
      });
    }, retryMs);
    retry.unref();
  }

  try {
    await listen();
  } catch (error) {
    // A node that cannot listen at start does not start; no retry outlives the failure.
    closed = true;
    if (retry !== undefined) clearTimeout(retry);
    throw error;
  }

  const hub: EventHub = {
    publish(records) {
      const last = records.at(-1);
      if (last === undefined) return;
      // The append already notified every node; this one delivers its own records from the
      // table at once, listening or not.
      schedule();
    },
    subscribe: (listener) => local.subscribe(listener),
    lastSeq: () => local.lastSeq(),
  };
  return {
    hub,
    async close() {
      closed = true;
      if (retry !== undefined) clearTimeout(retry);
      const open = client;
      client = undefined;
      open?.removeAllListeners('notification');
      await catchingUp;
      await open?.end().catch(() => {});
    },
  };
}
