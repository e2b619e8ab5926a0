import type { ShellDecomposition, ShellPart } from '../src/policy/decision-types.js';
import { decomposeShell } from '../src/shell/shell-decompose.js';
import type { ShellName, ShellRun } from './shell-sandbox.test-support.js';

/** An execution that no part of the decomposition accounts for. */
export interface UnexplainedExecution {
  readonly shell: ShellName;
  readonly argv: readonly string[];
}

/**
 * A part that stands for code only known at run time: the decomposer marks it `opaque`
 * (every gate meets it), or, where it has no such mark, its command name is built at run
 * time (`$CMD`, `$(which rm)`, `/bin/r?`), which the evaluator matches against every gate.
 */
function standsForAnything(part: ShellPart): boolean {
  if ((part as { readonly opaque?: boolean }).opaque === true) return true;
  return part.dynamic && /[$*?[`]/.test(part.argv[0] ?? '');
}

function basename(word: string): string {
  return word.slice(word.lastIndexOf('/') + 1);
}

function quoted(word: string): string {
  return `'${word.replaceAll("'", `'\\''`)}'`;
}

/**
 * The argv as executed, and as the decomposer writes that command on its own, so its
 * normalisation applies to both sides (`git -C sub push` may be written `git push`).
 */
function formsOf(argv: readonly string[]): (readonly string[])[] {
  const alone = decomposeShell(argv.map(quoted).join(' '));
  const first = alone.ok ? alone.parts[0] : undefined;
  if (first === undefined || first.argv.length === 0) return [argv];
  return [argv, [basename(first.argv[0] as string), ...first.argv.slice(1)]];
}

/**
 * Does this part account for an execution, given its forms? It stands for anything; or
 * its command name (by basename) is the executed one and either it is dynamic (arguments
 * built or appended at run time: `git $(…)`, `xargs git`, `find -exec rm {}`) or its argv
 * is one of the forms.
 */
function accountsFor(part: ShellPart, forms: readonly (readonly string[])[]): boolean {
  if (standsForAnything(part)) return true;
  const name = basename(part.argv[0] ?? '');
  return forms.some(
    (form) =>
      name === form[0] &&
      (part.dynamic ||
        (part.argv.length === form.length && part.argv.every((word, i) => i === 0 || word === form[i]))),
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
      const forms = formsOf(execution.argv);
      if (!decomposition.parts.some((part) => accountsFor(part, forms))) {
        missing.push({ shell: run.shell, argv: execution.argv });
      }
    }
  }
  return missing;
}
