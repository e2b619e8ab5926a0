import { CliError, EXIT } from './cli-error.js';

/**
 * Exactly the positional arguments a command names, in order.
 * @example const [team, username] = expectPositionals('team add-member', positionals, ['team', 'username']);
 */
export function expectPositionals(
  command: string,
  positionals: readonly string[],
  names: readonly string[],
): readonly string[] {
  if (positionals.length !== names.length) {
    const wanted = names.length === 0 ? 'no arguments' : names.map((name) => `<${name}>`).join(' ');
    throw new CliError(`gatehouse ${command}: expected ${wanted} (see --help)`, EXIT.usage);
  }
  return positionals;
}

/** A value that must be one of `choices`; `label` names it in the error (`--role`, `<role>`). */
export function oneOf<T extends string>(label: string, value: string, choices: readonly T[]): T {
  if (!(choices as readonly string[]).includes(value)) {
    throw new CliError(`${label}: expected ${choices.join(' or ')}, got "${value}"`, EXIT.usage);
  }
  return value as T;
}

/** True when the command line asks for JSON (before any `--`, after which the words are not ours). */
export function wantsJson(args: readonly string[]): boolean {
  const end = args.indexOf('--');
  return (end === -1 ? args : args.slice(0, end)).includes('--json');
}
