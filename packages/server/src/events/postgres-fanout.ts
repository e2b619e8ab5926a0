import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import pg from 'pg';
import type { GatehouseDatabase } from '../storage/database-types.js';
import { streamAuditEvents } from '../storage/index.js';
import type { EventHub, GatehouseEvent } from './event-hub.js';

const CHANNEL = 'gatehouse_events';

/** The hub of one node among several sharing a PostgreSQL database. */
export interface PostgresFanout {
  readonly hub: EventHub;
  close(): Promise<void>;
}

/**
 * Fan events out across nodes with LISTEN/NOTIFY (DESIGN §7). A node that commits
 * notifies the channel; every node, itself included, then reads the audit records after
 * the last one it delivered, in `seq` order, and delivers them locally. Reading from the
 * table rather than trusting notification payloads keeps every node's order the commit
 * order (audit appends are serialised by an advisory lock) and loses nothing when
 * notifications coalesce.
 */
export async function connectPostgresFanout(
  url: string,
  db: Kysely<GatehouseDatabase>,
  local: EventHub,
  onError: (error: unknown) => void = () => {},
): Promise<PostgresFanout> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  let catchingUp: Promise<void> | undefined;
  let again = false;

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

  client.on('notification', schedule);
  client.on('error', onError);
  await client.query(`LISTEN ${CHANNEL}`);

  const hub: EventHub = {
    publish(records) {
      const last = records.at(-1);
      if (last === undefined) return;
      sql`select pg_notify(${CHANNEL}, ${String(last.seq)})`.execute(db).catch(onError);
    },
    subscribe: (listener) => local.subscribe(listener),
    lastSeq: () => local.lastSeq(),
  };
  return {
    hub,
    async close() {
      client.removeAllListeners('notification');
      await catchingUp;
      await client.end();
    },
  };
}
