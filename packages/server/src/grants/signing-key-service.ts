import { createHash, createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { type AuditEventDraft, GatehouseError, type SignatureVerifier } from '@gatehouse/core';
import {
  createEd25519Verifier,
  type Ed25519PublicJwk,
  ed25519PublicJwk,
  generateEd25519Key,
} from '@gatehouse/core/node';
import { sql, type Transaction } from 'kysely';
import { appendAudit } from '../audit/audit-writer.js';
import type { GatehouseDatabase } from '../storage/database-types.js';
import {
  insertSigningKey,
  listSigningKeys,
  retireSigningKey,
  type SigningKeyRecord,
} from '../storage/signing-keys-dal.js';
import { engineOf } from '../storage/storage-engine.js';
import { type Executor, withTransaction } from '../storage/transaction.js';

/**
 * The server's Ed25519 signing keys (grants and audit checkpoints), kept in `signing_keys`.
 * Private keys leave this module only as `KeyObject`s: never as text in a value, log,
 * error or audit record.
 */

/** How long a retired key keeps verifying grants: longer than any grant it signed lives. */
export const SIGNING_KEY_GRACE_MS = 24 * 60 * 60 * 1000;

/** The key that signs now. */
export interface ActiveSigningKey {
  readonly kid: string;
  readonly privateKey: KeyObject;
  readonly publicJwk: Ed25519PublicJwk;
}

/** The keys in use at one moment: the one that signs, and every one that may verify a grant. */
export interface KeyRing {
  readonly active: ActiveSigningKey;
  /** Public keys by kid: the active key first, then unretired and recently retired ones, newest first. */
  readonly verificationKeys: ReadonlyMap<string, KeyObject>;
}

/** The signing keys are missing or unreadable: the server cannot issue grants or checkpoints. */
export class SigningKeyError extends GatehouseError {
  constructor(message: string, kid?: string) {
    super('signing-key-unavailable', message, { data: kid === undefined ? {} : { kid } });
  }
}

/** Any PostgreSQL advisory lock key; this one serialises key creation and rotation across nodes. */
const SIGNING_KEY_LOCK = 0x6761_6b79;

/** The system actor, for keys created on first start. */
const SYSTEM_ACTOR = 'system';

/** RFC 7638 thumbprint of an Ed25519 public key: a kid anyone holding the key can recompute. */
function thumbprint(x: string): string {
  return createHash('sha256').update(`{"crv":"Ed25519","kty":"OKP","x":"${x}"}`).digest('base64url');
}

async function lockKeys(trx: Transaction<GatehouseDatabase>): Promise<void> {
  if (engineOf(trx) === 'postgres') await sql`select pg_advisory_xact_lock(${SIGNING_KEY_LOCK})`.execute(trx);
}

/** The public key a stored JWK holds, or undefined when the row does not hold one. */
function storedPublicKey(record: SigningKeyRecord): KeyObject | undefined {
  const { kty, crv, x } = record.publicJwk;
  if (record.alg !== 'EdDSA' || kty !== 'OKP' || crv !== 'Ed25519' || typeof x !== 'string') return undefined;
  try {
    return createPublicKey({ key: { kty, crv, x }, format: 'jwk' });
  } catch {
    return undefined;
  }
}

/** The newest unretired key that holds its private half: the one that signs. */
function activeRecord(records: readonly SigningKeyRecord[]): SigningKeyRecord | undefined {
  return records.find((record) => record.retiredAt === undefined && record.privatePkcs8 !== undefined);
}

function readActive(record: SigningKeyRecord): ActiveSigningKey {
  let privateKey: KeyObject;
  try {
    // No `cause`: a parser error could quote the stored text.
    privateKey = createPrivateKey({ key: record.privatePkcs8 ?? '', format: 'pem' });
  } catch {
    throw new SigningKeyError(`signing key ${record.kid} cannot be read`, record.kid);
  }
  if (privateKey.asymmetricKeyType !== 'ed25519')
    throw new SigningKeyError(`signing key ${record.kid} is not an Ed25519 key`, record.kid);
  const publicJwk = ed25519PublicJwk(privateKey, record.kid);
  // A private key that does not match its published half would sign grants nobody can verify.
  if (publicJwk.x !== record.publicJwk.x)
    throw new SigningKeyError(`signing key ${record.kid} does not match its public key`, record.kid);
  return Object.freeze({ kid: record.kid, privateKey, publicJwk });
}

/**
 * The key ring stored keys make at `now`: the active key, and the keys that verify grants
 * (unretired ones, and retired ones less than `graceMs` ago). A stored public key that cannot
 * be read is left out, so what it signed is refused rather than trusted.
 */
function keyRingOf(records: readonly SigningKeyRecord[], now: number, graceMs: number): KeyRing {
  const record = activeRecord(records);
  if (record === undefined)
    throw new SigningKeyError('no active signing key: call ensureSigningKey on start');
  const active = readActive(record);
  const verificationKeys = new Map<string, KeyObject>([[active.kid, createPublicKey(active.privateKey)]]);
  for (const other of records) {
    if (verificationKeys.has(other.kid)) continue;
    if (other.retiredAt !== undefined && now >= other.retiredAt + graceMs) continue;
    const key = storedPublicKey(other);
    if (key !== undefined) verificationKeys.set(other.kid, key);
  }
  return Object.freeze({ active, verificationKeys });
}

/** Creates and stores a fresh key in `trx`; returns its kid. */
async function createKey(now: number, trx: Transaction<GatehouseDatabase>): Promise<string> {
  const generated = generateEd25519Key('new');
  const kid = thumbprint(generated.publicKeyJwk.x);
  await insertSigningKey(
    {
      kid,
      alg: 'EdDSA',
      publicJwk: { ...generated.publicKeyJwk, kid },
      privatePkcs8: generated.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
      createdAt: now,
    },
    trx,
  );
  return kid;
}

/** Options for reading the ring. */
export interface KeyRingOptions {
  /** How long retired keys keep verifying (default {@link SIGNING_KEY_GRACE_MS}). */
  readonly graceMs?: number;
}

/**
 * Loads the key ring at `now`. Throws `SigningKeyError` when there is no active key (call
 * `ensureSigningKey` on start) or it cannot be read.
 */
export async function loadKeyRing(db: Executor, now: number, options: KeyRingOptions = {}): Promise<KeyRing> {
  return keyRingOf(await listSigningKeys(db), now, options.graceMs ?? SIGNING_KEY_GRACE_MS);
}

/**
 * Makes sure a key can sign: creates the first Ed25519 key when no key is active (first start,
 * or every key was retired), audited `signing-key.created`, then returns the ring. Safe to call
 * from several nodes at once: creation is serialised, so only one key is made.
 */
export async function ensureSigningKey(
  db: Executor,
  now: number,
  options: KeyRingOptions = {},
): Promise<KeyRing> {
  return withTransaction(db, async (trx) => {
    await lockKeys(trx);
    let records = await listSigningKeys(trx);
    if (activeRecord(records) === undefined) {
      const kid = await createKey(now, trx);
      const draft: AuditEventDraft = {
        type: 'signing-key.created',
        actor: SYSTEM_ACTOR,
        subject: `signing-key:${kid}`,
        data: { kid, alg: 'EdDSA' },
      };
      await appendAudit([draft], now, trx);
      records = await listSigningKeys(trx);
    }
    return keyRingOf(records, now, options.graceMs ?? SIGNING_KEY_GRACE_MS);
  });
}

/**
 * Replaces the active key with a fresh one in one transaction, audited `signing-key.rotated`
 * by `actor`. The previous key is retired: it signs no more, but keeps verifying grants for the
 * grace period (grants it signed stay valid until they expire) and checkpoints forever.
 * Returns the new ring; every node picks it up on its next `loadKeyRing`.
 */
export async function rotateSigningKey(
  db: Executor,
  now: number,
  actor: string,
  options: KeyRingOptions = {},
): Promise<KeyRing> {
  const graceMs = options.graceMs ?? SIGNING_KEY_GRACE_MS;
  return withTransaction(db, async (trx) => {
    await lockKeys(trx);
    const previousKids: string[] = [];
    for (const record of await listSigningKeys(trx)) {
      if (record.retiredAt === undefined && (await retireSigningKey(record.kid, now, trx)))
        previousKids.push(record.kid);
    }
    const kid = await createKey(now, trx);
    const draft: AuditEventDraft = {
      type: 'signing-key.rotated',
      actor,
      subject: `signing-key:${kid}`,
      data: { kid, alg: 'EdDSA', previousKids, graceUntil: now + graceMs },
    };
    await appendAudit([draft], now, trx);
    return keyRingOf(await listSigningKeys(trx), now, graceMs);
  });
}

/**
 * A verifier over every signing key ever stored, retired ones included: old audit checkpoints
 * were signed with them. It trusts the database's `signing_keys`; to check a database you do
 * not trust, build the verifier from a JWKS kept elsewhere instead.
 */
export async function loadStoredKeysVerifier(db: Executor): Promise<SignatureVerifier> {
  const keys = new Map<string, KeyObject>();
  for (const record of await listSigningKeys(db)) {
    const key = storedPublicKey(record);
    if (key !== undefined) keys.set(record.kid, key);
  }
  return createEd25519Verifier(keys);
}
