import { type Algorithm, hash, verify } from '@node-rs/argon2';
import { ValidationError } from '../domain-errors.js';
import { randomBase64url } from './identity-crypto.js';

/** The shortest password accepted (OWASP ASVS 2.1.1). */
export const MIN_PASSWORD_LENGTH = 12;

/** Longer passwords are refused: argon2 would hash them, but nobody types 1 KiB, and it bounds work. */
export const MAX_PASSWORD_LENGTH = 1024;

/** argon2id cost parameters. */
export interface Argon2Costs {
  /** KiB of memory per hash. */
  readonly memoryCost: number;
  /** Passes over the memory. */
  readonly timeCost: number;
  readonly parallelism: number;
}

/** OWASP's argon2id recommendation (Password Storage Cheat Sheet): 19 MiB, 2 passes, 1 lane. */
export const OWASP_ARGON2ID: Argon2Costs = Object.freeze({ memoryCost: 19_456, timeCost: 2, parallelism: 1 });

// `Algorithm` is an ambient const enum, which isolatedModules cannot read at run time: its
// Argon2id member is 2 (index.d.ts of @node-rs/argon2), and a test checks the hashes say `argon2id`.
const ARGON2ID = 2 as Algorithm.Argon2id;

/** Hashes and verifies passwords; one per server, shared by login, bootstrap and the directory. */
export interface PasswordHasher {
  /** A PHC string (`$argon2id$v=19$m=…`) for a password that passed `checkPassword`. */
  hash(password: string): Promise<string>;
  /**
   * True when `password` matches `passwordHash`. With no hash (unknown user, or a user without a
   * password) it verifies against a dummy hash of the same cost and returns false, so the time
   * taken does not tell an attacker which usernames exist.
   */
  verify(passwordHash: string | undefined, password: string): Promise<boolean>;
}

/**
 * Refuses a password that is too short or too long (ValidationError on `field`).
 * Length is counted in code points, so a password of emoji is not penalised for its UTF-16 size.
 */
export function checkPassword(password: string, field = 'password'): void {
  const length = [...password].length;
  if (length < MIN_PASSWORD_LENGTH) {
    throw new ValidationError(field, `must be at least ${MIN_PASSWORD_LENGTH} characters`);
  }
  if (length > MAX_PASSWORD_LENGTH) {
    throw new ValidationError(field, `must be at most ${MAX_PASSWORD_LENGTH} characters`);
  }
}

/**
 * An argon2id password hasher. The costs default to OWASP's; a deployment (or a test suite, which
 * cannot afford 19 MiB per hash hundreds of times) may pass others. Verification always uses the
 * costs recorded in the stored hash, so changing them never locks anybody out.
 * @example const passwords = createPasswordHasher(); await passwords.verify(user.passwordHash, typed);
 */
export function createPasswordHasher(costs: Argon2Costs = OWASP_ARGON2ID): PasswordHasher {
  const options = Object.freeze({ ...costs, algorithm: ARGON2ID });
  // The dummy is made with this hasher's own costs, once, on first need: verifying against it
  // costs the same as verifying a real user's hash.
  let dummy: Promise<string> | undefined;
  const dummyHash = (): Promise<string> => {
    dummy ??= hash(randomBase64url(24), options);
    return dummy;
  };
  return Object.freeze({
    hash: (password: string) => hash(password, options),
    async verify(passwordHash: string | undefined, password: string): Promise<boolean> {
      if (passwordHash === undefined) {
        await verify(await dummyHash(), password).catch(() => false);
        return false;
      }
      // A malformed stored hash is a failed login, not a crash that tells the client something.
      return verify(passwordHash, password).catch(() => false);
    },
  });
}
