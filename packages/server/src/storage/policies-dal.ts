import type { Selectable } from 'kysely';
import type { PoliciesTable } from './database-types.js';
import { guard } from './driver-errors.js';
import { flag, isSet } from './row-values.js';
import { type Executor, withTransaction } from './transaction.js';

/** One stored policy version: its source text, keyed by its hash. */
export interface PolicyVersionRecord {
  /** The hash of the source: the `policyVersion` every decision records. */
  readonly version: string;
  readonly source: string;
  readonly createdAt: number;
  readonly createdBy: string;
  readonly active: boolean;
}

/** What storing a policy version takes. */
export type NewPolicyVersion = Omit<PolicyVersionRecord, 'active'>;

/**
 * Stores a policy version, inactive. Storing the same version twice is harmless (the
 * hash names the content), so a repeat is ignored rather than refused.
 */
export async function insertPolicyVersion(policy: NewPolicyVersion, db: Executor): Promise<void> {
  await guard('store a policy version', () =>
    db
      .insertInto('policies')
      .values({
        version: policy.version,
        source: policy.source,
        created_at: policy.createdAt,
        created_by: policy.createdBy,
        active: flag(false),
      })
      .onConflict((oc) => oc.column('version').doNothing())
      .execute(),
  );
}

/** One policy version, if stored. */
export async function getPolicyVersion(
  version: string,
  db: Executor,
): Promise<PolicyVersionRecord | undefined> {
  return guard('read a policy version', async () => {
    const row = await db.selectFrom('policies').selectAll().where('version', '=', version).executeTakeFirst();
    return row === undefined ? undefined : toPolicyVersion(row);
  });
}

/** Every stored version without its source, newest first: the policy history. */
export async function listPolicyVersions(
  db: Executor,
): Promise<readonly Omit<PolicyVersionRecord, 'source'>[]> {
  return guard('list policy versions', async () => {
    const rows = await db
      .selectFrom('policies')
      .select(['version', 'created_at', 'created_by', 'active'])
      .orderBy('created_at', 'desc')
      .orderBy('version')
      .execute();
    return Object.freeze(
      rows.map((row) =>
        Object.freeze({
          version: row.version,
          createdAt: row.created_at,
          createdBy: row.created_by,
          active: isSet(row.active),
        }),
      ),
    );
  });
}

/** The active policy version, if one is active. */
export async function getActivePolicy(db: Executor): Promise<PolicyVersionRecord | undefined> {
  return guard('read the active policy', async () => {
    const row = await db
      .selectFrom('policies')
      .selectAll()
      .where('active', '=', flag(true))
      .executeTakeFirst();
    return row === undefined ? undefined : toPolicyVersion(row);
  });
}

/** Only the active version's hash: the cheap check that a cached policy is still the active one. */
export async function getActivePolicyVersion(db: Executor): Promise<string | undefined> {
  return guard('read the active policy version', async () => {
    const row = await db
      .selectFrom('policies')
      .select('version')
      .where('active', '=', flag(true))
      .executeTakeFirst();
    return row?.version;
  });
}

/**
 * Makes `version` the one active policy, in one transaction: nobody ever sees none or two
 * active. False (and nothing changed) when the version is not stored. Two activations
 * racing on PostgreSQL can end with the loser's `ConflictError` (`policies_one_active`).
 */
export async function activatePolicy(version: string, db: Executor): Promise<boolean> {
  return guard('activate a policy', () =>
    withTransaction(db, async (trx) => {
      const target = await trx
        .selectFrom('policies')
        .select('version')
        .where('version', '=', version)
        .executeTakeFirst();
      if (target === undefined) return false;
      // Two statements, deactivate first: unique indexes are checked row by row on both
      // engines, so flipping both rows in one UPDATE could trip over the old active row.
      await trx
        .updateTable('policies')
        .set({ active: flag(false) })
        .where('active', '=', flag(true))
        .where('version', '!=', version)
        .execute();
      await trx
        .updateTable('policies')
        .set({ active: flag(true) })
        .where('version', '=', version)
        .execute();
      return true;
    }),
  );
}

function toPolicyVersion(row: Selectable<PoliciesTable>): PolicyVersionRecord {
  return Object.freeze({
    version: row.version,
    source: row.source,
    createdAt: row.created_at,
    createdBy: row.created_by,
    active: isSet(row.active),
  });
}
