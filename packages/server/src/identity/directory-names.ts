import { ValidationError } from '../domain-errors.js';

// Users, teams and agents are named by stable, readable ids (`alice`, `infra`, `ci-bot`): the
// id is the name, because policies name them (`users: [alice]`, `team: infra`, `agent: ci-bot`)
// and the core matches those against principal ids. Lowercase only, so `Alice` and `alice`
// can never be two accounts that a policy cannot tell apart.
const NAME = /^[a-z0-9][a-z0-9._-]{0,63}$/;

/**
 * Checks a user, team, agent or group name: 1–64 of `a-z 0-9 . _ -`, starting with a letter or digit.
 * @throws ValidationError on `field`.
 */
export function checkName(value: string, field: string): string {
  if (!NAME.test(value)) {
    throw new ValidationError(
      field,
      'must be 1-64 lowercase letters, digits, ".", "_" or "-", starting with a letter or digit',
    );
  }
  return value;
}
