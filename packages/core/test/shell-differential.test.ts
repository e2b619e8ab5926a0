/**
 * Differential test of the shell decomposer against real shells (issue 8, item 3).
 *
 * Command lines are generated from a grammar of the constructs of issue 8 item 2
 * (shell-grammar.test-support.ts) and each is run in real bash and real dash, inside a
 * throwaway directory under the system's temporary directory, whose PATH holds only
 * recording shims (shell-sandbox.test-support.ts, recording-shim.c): git, rm, curl, …
 * only record their argv; echo, cat, base64, … record and then run for real; runners
 * (env, timeout, nice, nohup, setsid, stdbuf, flock, xargs, find, time, bash, sh, dash)
 * record and then run the real program; sudo, ssh host cmd, docker exec and kubectl exec
 * record and run their command here. Runs are isolated with `unshare` (user, network and
 * PID namespaces) where it works, get a 2 s budget each, and an environment of only PATH,
 * HOME and the log path. Each line runs in a subshell of a long-lived bash or dash that
 * evals it (see DRIVER in the sandbox for why that is faithful), or with
 * GATEHOUSE_DIFF_MODE=exec in a fresh `bash -c` / `dash -c` process.
 *
 * The property, for every line L and each shell:
 *   decomposeShell(L) is `ok: false` (the line is denied), or every recorded execution E
 *   that is not a runner's is accounted for by a part P of the decomposition:
 *   - P stands for anything: it is `opaque` (code only known at run time, which every gate
 *     meets), or it is dynamic and its command name is built at run time (holds `$`,
 *     `` ` ``, `*`, `?` or `[`); or
 *   - P's command name (by basename) is E's, and P is dynamic (its arguments are built or
 *     appended at run time: `git $(…)`, `xargs git`, `find -exec rm {}`); or
 *   - P.argv equals E's argv (command name by basename), either as executed or as the
 *     decomposer writes E on its own (E's words single-quoted and decomposed, first part),
 *     so that its normalisation (`git -C sub push` → `git push`) applies to both sides.
 *   Runner executions (env, timeout, nice, nohup, setsid, stdbuf, flock, xargs, find,
 *   time, shells, sudo, ssh/docker/kubectl exec) are skipped: what a runner runs is
 *   recorded and checked in turn. Position does not matter: one decision covers the line.
 *
 * All lines are sampled and run first (in parallel, batched per shell), then fast-check
 * replays the same seed against the recorded results and shrinks a failure to a minimal
 * line, running each shrink candidate on demand. A line the decomposer refuses satisfies
 * the property whatever it runs, so it is not run.
 *
 * Environment:
 *   GATEHOUSE_DIFF_SEED        seed (default 20261202)
 *   GATEHOUSE_DIFF_RUNS        number of lines (default 2000; the issue asks for 10000, which takes
 *                              several minutes on a 2-core VM where a fork costs ~3 ms: see the commit)
 *   GATEHOUSE_DIFF_CONSTRUCTS  comma-separated construct tags to limit the grammar to
 *   GATEHOUSE_DIFF_WORKERS     concurrent shell drivers (default 2)
 *   GATEHOUSE_DIFF_MODE        eval (default) or exec
 *   GATEHOUSE_DIFF_REPORT      a file (outside the work tree) to write every failing line to, as JSON lines
 */
import { writeFileSync } from 'node:fs';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decomposeShell } from '../src/shell/shell-decompose.js';
import { unexplainedExecutions } from './shell-containment.test-support.js';
import { CONSTRUCT_TAGS, type ShellCase, shellCaseArbitrary } from './shell-grammar.test-support.js';
import { createShellSandbox, type ShellRun, type ShellSandbox } from './shell-sandbox.test-support.js';

function numberFromEnv(name: string, fallback: number): number {
  const text = process.env[name];
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < 1)
    throw new Error(`${name} must be a positive integer, got ${text}`);
  return value;
}

/**
 * Known gaps (issue 8 stays open for them; ADR 0008): the decomposer judges a script file
 * (`sh s.sh`, `. s.sh`) by its name, reads every line as bash (dash does not expand braces
 * nor `$'…'`), and does not expand globs in arguments. The default run leaves these
 * constructs out so CI checks everything else; `GATEHOUSE_DIFF_CONSTRUCTS=all` includes them.
 */
const KNOWN_GAPS = new Set(['script-file', 'source', 'brace-expansion', 'ansi-c', 'glob']);

function constructsFromEnv(): ReadonlySet<string> | undefined {
  const text = process.env.GATEHOUSE_DIFF_CONSTRUCTS;
  if (text === 'all') return undefined;
  if (text === undefined || text.trim() === '')
    return new Set(CONSTRUCT_TAGS.filter((tag) => !KNOWN_GAPS.has(tag)));
  const tags = text.split(',').map((tag) => tag.trim());
  const unknown = tags.filter((tag) => !CONSTRUCT_TAGS.includes(tag));
  if (unknown.length > 0) {
    throw new Error(
      `unknown GATEHOUSE_DIFF_CONSTRUCTS ${unknown.join(', ')}; known: ${CONSTRUCT_TAGS.join(', ')}`,
    );
  }
  return new Set(tags);
}

const SEED = numberFromEnv('GATEHOUSE_DIFF_SEED', 20261202);
const RUNS = numberFromEnv('GATEHOUSE_DIFF_RUNS', 2_000);
const WORKERS = numberFromEnv('GATEHOUSE_DIFF_WORKERS', 2);
const CONSTRUCTS = constructsFromEnv();
const MODE = process.env.GATEHOUSE_DIFF_MODE === 'exec' ? 'exec' : 'eval';

function keyOf(shellCase: ShellCase): string {
  return JSON.stringify([shellCase.line, shellCase.files]);
}

/** Everything needed to see why a line fails, or undefined when it does not. */
function failureOf(shellCase: ShellCase, runs: readonly ShellRun[]) {
  const decomposition = decomposeShell(shellCase.line);
  const missing = unexplainedExecutions(decomposition, runs);
  if (missing.length === 0) return undefined;
  return { ...shellCase, missing, runs, decomposition };
}

function describeFailure(shellCase: ShellCase, runs: readonly ShellRun[]): string | undefined {
  const failure = failureOf(shellCase, runs);
  if (failure === undefined) return undefined;
  const { decomposition } = failure;
  const lines = [
    `command line: ${JSON.stringify(shellCase.line)}`,
    ...Object.entries(shellCase.files).map(([name, content]) => `file ${name}: ${JSON.stringify(content)}`),
    `constructs: ${shellCase.tags.join(', ')}`,
    ...failure.missing.map(
      (execution) => `NOT CONTAINED (${execution.shell}): ${JSON.stringify(execution.argv)}`,
    ),
    ...runs.flatMap((run) => [
      `${run.shell} executed${run.timedOut ? ' (timed out)' : ''}:`,
      ...run.executions.map((execution) => `  ${execution.kind.padEnd(6)} ${JSON.stringify(execution.argv)}`),
      ...(run.stderr === '' ? [] : [`  stderr: ${JSON.stringify(run.stderr)}`]),
    ]),
    'decomposition:',
    ...(decomposition.ok
      ? decomposition.parts.map(
          (part) =>
            `  ${JSON.stringify(part.argv)} wrappers=${JSON.stringify(part.wrappers)}${part.dynamic ? ' dynamic' : ''}`,
        )
      : [`  refused: ${decomposition.error}`]),
  ];
  return lines.join('\n');
}

/** How many failing lines use each construct, most first. */
function failuresByConstruct(failing: readonly ShellCase[]): string {
  const counts = new Map<string, number>();
  for (const shellCase of failing)
    for (const tag of shellCase.tags) counts.set(tag, (counts.get(tag) ?? 0) + 1);
  return [...counts]
    .sort((a, b) => b[1] - a[1])
    .map(([tag, count]) => `${tag} ${count}`)
    .join(', ');
}

describe('the shell decomposer against real bash and dash', () => {
  let sandbox: ShellSandbox;
  beforeAll(() => {
    sandbox = createShellSandbox({ workers: WORKERS, mode: MODE });
    console.info(`shell differential: isolation ${sandbox.isolation}; mode ${sandbox.mode}`);
  });
  afterAll(() => sandbox?.dispose());

  it(
    `contains every command the shells execute (${RUNS} lines, seed ${SEED})`,
    async () => {
      const arbitrary = shellCaseArbitrary(CONSTRUCTS === undefined ? {} : { constructs: CONSTRUCTS });
      const started = Date.now();
      const unique = new Map<string, ShellCase>();
      for (const shellCase of fc.sample(arbitrary, { seed: SEED, numRuns: RUNS })) {
        unique.set(keyOf(shellCase), shellCase);
      }
      const cases = [...unique.values()].filter((shellCase) => decomposeShell(shellCase.line).ok);
      const results = await sandbox.run(cases);
      const observed = new Map(
        cases.map((shellCase, index) => [keyOf(shellCase), results[index] as ShellRun[]]),
      );
      const timedOut = results.flat().filter((run) => run.timedOut).length;
      const failing = cases.filter((shellCase) => failureOf(shellCase, observed.get(keyOf(shellCase)) ?? []));
      console.info(
        `shell differential: ${RUNS} lines, ${unique.size} distinct, ${cases.length} decomposed and run in bash and dash ` +
          `in ${Date.now() - started} ms; ${timedOut} runs timed out; ${failing.length} lines not contained`,
      );
      const reportPath = process.env.GATEHOUSE_DIFF_REPORT;
      if (reportPath !== undefined && reportPath !== '') {
        const failures = failing.map((shellCase) =>
          failureOf(shellCase, observed.get(keyOf(shellCase)) ?? []),
        );
        writeFileSync(reportPath, failures.map((failure) => `${JSON.stringify(failure)}\n`).join(''));
      }

      let ranOnDemand = 0;
      const observe = async (shellCase: ShellCase): Promise<readonly ShellRun[]> => {
        const known = observed.get(keyOf(shellCase));
        if (known !== undefined) return known;
        if (!decomposeShell(shellCase.line).ok) return [];
        ranOnDemand++;
        const [runs] = await sandbox.run([shellCase]);
        observed.set(keyOf(shellCase), runs as ShellRun[]);
        return runs as ShellRun[];
      };
      const details = await fc.check(
        fc.asyncProperty(arbitrary, async (shellCase) => {
          const failure = describeFailure(shellCase, await observe(shellCase));
          if (failure !== undefined) throw new Error(failure);
        }),
        { seed: SEED, numRuns: RUNS },
      );
      console.info(`shell differential: ${ranOnDemand} lines run while checking and shrinking`);
      expect(sandbox.orphans(), 'executions recorded without their run').toEqual([]);
      if (details.failed) {
        const counterexample = details.counterexample?.[0] as ShellCase;
        const shortest = [...failing]
          .sort((a, b) => a.line.length - b.line.length)
          .slice(0, 12)
          .map((shellCase) => `  ${JSON.stringify(shellCase.line)}  [${shellCase.tags.join(', ')}]`);
        expect.fail(
          [
            `a command the shells executed is not in the decomposition (seed ${SEED}, shrunk ${details.numShrinks} times):`,
            describeFailure(counterexample, await observe(counterexample)) ?? String(details.errorInstance),
            '',
            `${failing.length} of ${cases.length} distinct lines fail; by construct: ${failuresByConstruct(failing)}`,
            'the shortest:',
            ...shortest,
          ].join('\n'),
        );
      }
    },
    Math.max(600_000, RUNS * 200),
  );
});
