import type { ShellDecomposition, ShellPart } from '../src/policy/decision-types.js';
import type { ShellName, ShellRun } from './shell-sandbox.test-support.js';

/** An execution that no part of the decomposition accounts for. */
export interface UnexplainedExecution {
  readonly shell: ShellName;
  readonly argv: readonly string[];
}

/**
 * A command name built at run time (`$CMD`, `$(which rm)`, `/bin/r?`): the evaluator
 * matches such a part against every gate, so it stands for any command.
 */
function nameBuiltAtRunTime(part: ShellPart): boolean {
  return part.dynamic && /[$*?[`]/.test(part.argv[0] ?? '');
}

function basename(word: string): string {
  return word.slice(word.lastIndexOf('/') + 1);
}

/**
 * Does this part account for this execution? Either its argv is the executed argv
 * (command names compared by basename), or it is dynamic and the evaluator judges it by
 * the strictest rule for its command: any command when its name is built at run time
 * (`nameBuiltAtRunTime`), this command when its name is known and only its arguments are not.
 */
export function explains(part: ShellPart, argv: readonly string[]): boolean {
  const name = basename(part.argv[0] ?? '');
  if (nameBuiltAtRunTime(part) || (part.dynamic && name === argv[0])) return true;
  return (
    name === argv[0] &&
    part.argv.length === argv.length &&
    part.argv.every((word, i) => i === 0 || word === argv[i])
  );
}

/**
 * The executions of `runs` that `decomposition` fails to contain. A refused line
 * contains everything (it is denied). Runners (env, xargs, find, shells, sudo, ssh …) are
 * not checked themselves: what they run is recorded and checked in turn.
 */
export function unexplainedExecutions(
  decomposition: ShellDecomposition,
  runs: readonly ShellRun[],
): UnexplainedExecution[] {
  if (!decomposition.ok) return [];
  const missing: UnexplainedExecution[] = [];
  for (const run of runs) {
    for (const execution of run.executions) {
      if (execution.kind === 'runner') continue;
      if (!decomposition.parts.some((part) => explains(part, execution.argv))) {
        missing.push({ shell: run.shell, argv: execution.argv });
      }
    }
  }
  return missing;
}
