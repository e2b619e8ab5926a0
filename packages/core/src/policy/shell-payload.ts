import type { Decision } from './decision-types.js';

/** Why a `shell.execute` payload is refused: the field it is about and what is wrong with it. */
export interface ShellPayloadProblem {
  /** `params`, `params.command`, `params.argv`, `params.argv[2]`, `params.Command`. */
  readonly field: string;
  readonly message: string;
}

const COMMAND_FIELDS = new Set(['command', 'argv']);

/**
 * Why a `shell.execute` payload is ambiguous, or undefined when it is not. The payload names what
 * runs in exactly one form: `command` (a non-empty string, run by a shell) or `argv` (a non-empty
 * array of strings, run without one). Both, neither, empty or mistyped forms, and other spellings
 * of the two keys (`Command`, ` argv`) are refused: an executor could run a form the policy never
 * judged. Other keys (`cwd`, `timeout`) are allowed: the policy sees them and the grant binds them.
 *
 * @example shellPayloadProblem({ command: 'ls', argv: ['rm', '-rf', '/'] }) // { field: 'params', … }
 */
export function shellPayloadProblem(
  params: Readonly<Record<string, unknown>>,
): ShellPayloadProblem | undefined {
  for (const key of Object.keys(params)) {
    if (!COMMAND_FIELDS.has(key) && COMMAND_FIELDS.has(key.trim().toLowerCase())) {
      return { field: `params.${key}`, message: 'must be spelled exactly `command` or `argv`' };
    }
  }
  const hasCommand = Object.hasOwn(params, 'command');
  const hasArgv = Object.hasOwn(params, 'argv');
  if (hasCommand && hasArgv) {
    return { field: 'params', message: 'must have exactly one of `command` or `argv`, not both' };
  }
  if (hasCommand) {
    const { command } = params;
    return typeof command === 'string' && command !== ''
      ? undefined
      : { field: 'params.command', message: 'must be a non-empty string' };
  }
  if (!hasArgv) {
    return {
      field: 'params',
      message: 'must have `command` (a non-empty string) or `argv` (a non-empty array of strings)',
    };
  }
  const { argv } = params;
  if (!Array.isArray(argv) || argv.length === 0) {
    return { field: 'params.argv', message: 'must be a non-empty array of strings' };
  }
  const index = argv.findIndex((word) => typeof word !== 'string');
  return index === -1 ? undefined : { field: `params.argv[${index}]`, message: 'must be a string' };
}

/**
 * The evaluator's answer to an ambiguous `shell.execute` payload that reached it anyway (the API
 * refuses one with a 400 first): deny, never guess which form would run. Undefined when the
 * payload is unambiguous.
 */
export function denyAmbiguousShellPayload(
  params: Readonly<Record<string, unknown>>,
  policyVersion: string,
): Decision | undefined {
  const problem = shellPayloadProblem(params);
  if (problem === undefined) return undefined;
  return {
    outcome: 'deny',
    reason: 'unparseable-command',
    reasons: [
      {
        rule: '(shell payload)',
        reason: `The command is ambiguous, so it is not run: ${problem.field} ${problem.message}`,
      },
    ],
    matched: [],
    risk: 'high',
    policyVersion,
  };
}
