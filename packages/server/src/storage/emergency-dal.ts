import type { Kysely, Selectable } from 'kysely';
import type { EpochMs, GatehouseDatabase, Json } from './database-types.js';
import { guard } from './driver-errors.js';
import { fromJson, optional, toJson } from './row-values.js';
import type { Executor } from './transaction.js';

/** `emergency_windows`: time-boxed windows in which named actions pass without review. */
export interface EmergencyWindowsTable {
  id: string;
  /** JSON list of action globs. */
  actions: Json;
  reason: string;
  opened_by: string;
  opened_at: EpochMs;
  closes_at: EpochMs;
  closed_at: EpochMs | null;
  closed_by: string | null;
}

/** The emergency table, to merge into the schema (a type alias: `withTables` wants an index signature). */
export type EmergencyTables = { emergency_windows: EmergencyWindowsTable };

/** An emergency window as stored. */
export interface EmergencyWindowRecord {
  readonly id: string;
  /** Action globs the window covers (`deploy.*`). */
  readonly actions: readonly string[];
  /** The admin's stated reason. */
  readonly reason: string;
  /** Audit actor who opened it (`user:<id>`). */
  readonly openedBy: string;
  readonly openedAt: number;
  /** When it stops applying by itself. */
  readonly closesAt: number;
  /** Set when it was closed early. */
  readonly closedAt?: number;
  readonly closedBy?: string;
}

// The same executor typed with the emergency table; transactions stay on the original executor.
function tables(db: Executor): Kysely<GatehouseDatabase & EmergencyTables> {
  return db.withTables<EmergencyTables>() as unknown as Kysely<GatehouseDatabase & EmergencyTables>;
}

/** Stores a new window. A taken id is a `ConflictError` (`emergency_windows_pkey`). */
export async function insertEmergencyWindow(window: EmergencyWindowRecord, db: Executor): Promise<void> {
  await guard('store an emergency window', () =>
    tables(db)
      .insertInto('emergency_windows')
      .values({
        id: window.id,
        actions: toJson(window.actions),
        reason: window.reason,
        opened_by: window.openedBy,
        opened_at: window.openedAt,
        closes_at: window.closesAt,
        closed_at: window.closedAt ?? null,
        closed_by: window.closedBy ?? null,
      })
      .execute(),
  );
}

/** The windows that apply at `now` (opened, not yet past `closes_at`, not closed early), newest first. */
export async function listActiveEmergencyWindows(
  now: number,
  db: Executor,
): Promise<readonly EmergencyWindowRecord[]> {
  return guard('list active emergency windows', async () => {
    const rows = await tables(db)
      .selectFrom('emergency_windows')
      .selectAll()
      .where('opened_at', '<=', now)
      .where('closes_at', '>', now)
      .where('closed_at', 'is', null)
      .orderBy('opened_at', 'desc')
      .orderBy('id', 'desc')
      .execute();
    return Object.freeze(rows.map(toWindow));
  });
}

/** The most recent windows, open or not, newest first (at most `limit`). */
export async function listEmergencyWindows(
  limit: number,
  db: Executor,
): Promise<readonly EmergencyWindowRecord[]> {
  return guard('list emergency windows', async () => {
    const rows = await tables(db)
      .selectFrom('emergency_windows')
      .selectAll()
      .orderBy('opened_at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit)
      .execute();
    return Object.freeze(rows.map(toWindow));
  });
}

/** One window, or undefined. */
export async function getEmergencyWindow(
  id: string,
  db: Executor,
): Promise<EmergencyWindowRecord | undefined> {
  return guard('read an emergency window', async () => {
    const row = await tables(db)
      .selectFrom('emergency_windows')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row === undefined ? undefined : toWindow(row);
  });
}

/**
 * Closes a window early. False when it is unknown, closed already, or past its `closes_at`
 * (a window that closed by itself has nothing left to close).
 */
export async function closeEmergencyWindow(
  id: string,
  closedBy: string,
  now: number,
  db: Executor,
): Promise<boolean> {
  return guard('close an emergency window', async () => {
    const result = await tables(db)
      .updateTable('emergency_windows')
      .set({ closed_at: now, closed_by: closedBy })
      .where('id', '=', id)
      .where('closed_at', 'is', null)
      .where('closes_at', '>', now)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  });
}

function toWindow(row: Selectable<EmergencyWindowsTable>): EmergencyWindowRecord {
  const closedAt = optional(row.closed_at);
  const closedBy = optional(row.closed_by);
  return Object.freeze({
    id: row.id,
    actions: Object.freeze(fromJson<string[]>(row.actions)),
    reason: row.reason,
    openedBy: row.opened_by,
    openedAt: Number(row.opened_at),
    closesAt: Number(row.closes_at),
    ...(closedAt === undefined ? {} : { closedAt: Number(closedAt) }),
    ...(closedBy === undefined ? {} : { closedBy }),
  });
}
