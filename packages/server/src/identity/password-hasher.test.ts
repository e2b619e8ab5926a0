import { parseOptions } from '@node-rs/argon2';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../domain-errors.js';
import { TEST_PASSWORDS } from './identity-fixtures.test-support.js';
import {
  checkPassword,
  createPasswordHasher,
  MIN_PASSWORD_LENGTH,
  OWASP_ARGON2ID,
} from './password-hasher.js';

describe('password hasher', () => {
  it('hashes with argon2id at OWASP’s costs by default', async () => {
    const hashed = await createPasswordHasher().hash('correct horse battery');
    expect(hashed.startsWith('$argon2id$v=19$m=19456,t=2,p=1$')).toBe(true);
    expect(parseOptions(hashed)).toMatchObject({ memoryCost: 19_456, timeCost: 2, parallelism: 1 });
    expect(OWASP_ARGON2ID).toEqual({ memoryCost: 19_456, timeCost: 2, parallelism: 1 });
  });

  it('verifies the right password and refuses a wrong one', async () => {
    const hashed = await TEST_PASSWORDS.hash('correct horse battery');
    expect(hashed.startsWith('$argon2id$')).toBe(true);
    expect(await TEST_PASSWORDS.verify(hashed, 'correct horse battery')).toBe(true);
    expect(await TEST_PASSWORDS.verify(hashed, 'correct horse battery ')).toBe(false);
  });

  it('salts every hash', async () => {
    const [a, b] = await Promise.all([
      TEST_PASSWORDS.hash('same password!'),
      TEST_PASSWORDS.hash('same password!'),
    ]);
    expect(a).not.toBe(b);
  });

  it('verifies against a dummy hash when there is no user, and says no', async () => {
    expect(await TEST_PASSWORDS.verify(undefined, 'anything at all')).toBe(false);
    expect(await TEST_PASSWORDS.verify(undefined, '')).toBe(false);
  });

  it('treats a malformed stored hash as a wrong password', async () => {
    expect(await TEST_PASSWORDS.verify('not-a-phc-string', 'correct horse battery')).toBe(false);
  });

  it(`refuses passwords shorter than ${MIN_PASSWORD_LENGTH} characters, counted in code points`, () => {
    expect(() => checkPassword('short')).toThrow(ValidationError);
    expect(() => checkPassword('elevenchars')).toThrow(/at least 12/);
    expect(() => checkPassword('twelve chars')).not.toThrow();
    // Six emoji are twelve UTF-16 units but six characters.
    expect(() => checkPassword('🔑'.repeat(6))).toThrow(ValidationError);
    expect(() => checkPassword('x'.repeat(2000))).toThrow(/at most/);
  });
});
