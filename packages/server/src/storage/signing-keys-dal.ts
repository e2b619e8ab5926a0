import type { Selectable } from 'kysely';
import type { SigningKeysTable } from './database-types.js';
import { deepFreeze } from './deep-freeze.js';
import { guard } from './driver-errors.js';
import { fromJson, optional, toJson } from './row-values.js';
import type { Executor } from './transaction.js';

/** A signing key. Retired keys stay so grants and checkpoints they signed still verify. */
export interface SigningKeyRecord {
  readonly kid: string;
  /** `EdDSA`. */
  readonly alg: string;
  readonly publicJwk: Readonly<Record<string, unknown>>;
  /** The private key as PKCS#8 text (PEM, or an envelope the key service decrypts); absent when held elsewhere. */
  readonly privatePkcs8?: string;
  readonly createdAt: number;
  readonly retiredAt?: number;
}

/** Stores a key. A taken `kid` is a `ConflictError` (`signing_keys_pkey`). */
export async function insertSigningKey(key: SigningKeyRecord, db: Executor): Promise<void> {
  await guard('store a signing key', () =>
    db
      .insertInto('signing_keys')
      .values({
        kid: key.kid,
        alg: key.alg,
        public_jwk: toJson(key.publicJwk),
        private_pkcs8: key.privatePkcs8 ?? null,
        created_at: key.createdAt,
        retired_at: key.retiredAt ?? null,
      })
      .execute(),
  );
}

/** Every key, newest first (the JWKS publishes them all; the newest unretired one signs). */
export async function listSigningKeys(db: Executor): Promise<readonly SigningKeyRecord[]> {
  return guard('list signing keys', async () => {
    const rows = await db
      .selectFrom('signing_keys')
      .selectAll()
      .orderBy('created_at', 'desc')
      .orderBy('kid', 'desc')
      .execute();
    return Object.freeze(rows.map(toSigningKey));
  });
}

/** Retires a key: it stops signing but keeps verifying. False when unknown or retired already. */
export async function retireSigningKey(kid: string, now: number, db: Executor): Promise<boolean> {
  return guard('retire a signing key', async () => {
    const result = await db
      .updateTable('signing_keys')
      .set({ retired_at: now })
      .where('kid', '=', kid)
      .where('retired_at', 'is', null)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  });
}

function toSigningKey(row: Selectable<SigningKeysTable>): SigningKeyRecord {
  return Object.freeze({
    kid: row.kid,
    alg: row.alg,
    publicJwk: deepFreeze(fromJson<Record<string, unknown>>(row.public_jwk)),
    privatePkcs8: optional(row.private_pkcs8),
    createdAt: row.created_at,
    retiredAt: optional(row.retired_at),
  });
}
