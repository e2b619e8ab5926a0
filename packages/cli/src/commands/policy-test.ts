import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { compilePolicy, evaluateAction, parsePolicy } from '@gatehouse/core';
import { expectPositionals } from '../cli-args.js';
import type { CliCommand } from '../cli-command.js';
import { CliError, EXIT } from '../cli-error.js';
import { printJson } from '../output.js';
import { type PolicyTestCase, parsePolicyTests } from '../policy/policy-test-cases.js';
import { readPolicyFile } from '../read-policy-file.js';

/** What one case got. */
interface CaseResult {
  readonly name: string;
  readonly passed: boolean;
  readonly expected: PolicyTestCase['expect'];
  readonly actual: 'allow' | 'deny' | 'require';
  readonly matched: readonly string[];
  /** Rules the case named that did not match. */
  readonly missingRules: readonly string[];
  readonly line: number;
  readonly column: number;
}

async function readTestsFile(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    throw new CliError(
      `${file}: cannot read the tests file (${(error as NodeJS.ErrnoException).code})`,
      EXIT.io,
    );
  }
}

function describeFailure(result: CaseResult): string {
  const why: string[] = [];
  if (result.actual !== result.expected) why.push(`expected ${result.expected}, got ${result.actual}`);
  if (result.missingRules.length > 0) why.push(`rules that did not match: ${result.missingRules.join(', ')}`);
  return `${why.join('; ')} (matched: ${result.matched.join(', ') || 'none'})`;
}

/** `gatehouse policy test <policy> <tests.yaml>`: run decision cases against a policy file. */
export const policyTestCommand: CliCommand = {
  name: 'policy test',
  summary: 'Check a policy against a YAML file of cases and their expected decisions',
  help: `Usage: gatehouse policy test <policy.yaml> <tests.yaml> [--json]

Evaluates each case of the tests file against the policy and prints PASS or FAIL
per case. The tests file is a YAML list of cases:

  - name: force push needs a moderator
    action: shell.execute
    params: { command: "git push --force" }
    context: { environment: prod }            # optional
    requester: agent:ci-bot                   # or user:<id>, or { kind, id, role, teams, owner }
    expect: require                           # allow | deny | require
    rules: [force-push]                       # optional: rules that must match

Exits 0 when every case passes, 1 when one fails or either file has problems
(reported as file:line:column), 2 on usage errors, 3 when a file cannot be read.

Options:
  --json    print {"policy","cases":[{name,passed,expected,actual,matched,missingRules,line,column}],"passed","failed"}`,
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args: [...args],
      options: { json: { type: 'boolean' } },
      allowPositionals: true,
    });
    const [policyFile, testsFile] = expectPositionals(this.name, positionals, ['policy', 'tests']) as [
      string,
      string,
    ];
    const source = await readPolicyFile(policyFile);
    const tests = parsePolicyTests(await readTestsFile(testsFile));
    const parsed = parsePolicy(source.text, policyFile);
    const problems = [
      ...(parsed.ok
        ? []
        : parsed.diagnostics.map(
            ({ position, code, message }) =>
              `${position.file}:${position.line}:${position.column}: error[${code}]: ${message}`,
          )),
      ...(tests.ok
        ? []
        : tests.problems.map(
            ({ position, message }) => `${testsFile}:${position.line}:${position.column}: error: ${message}`,
          )),
    ];
    if (!parsed.ok || !tests.ok) {
      if (values.json) printJson(io, { policy: { file: policyFile, version: source.version }, problems });
      else for (const problem of problems) io.err(`${problem}\n`);
      return EXIT.problems;
    }
    const compiled = compilePolicy(parsed.policy, source.version);
    const results: CaseResult[] = tests.cases.map((testCase) => {
      const decision = evaluateAction(compiled, testCase.input);
      const matched = decision.matched.map((match) => match.rule);
      const missingRules = testCase.rules.filter((rule) => !matched.includes(rule));
      return {
        name: testCase.name,
        passed: decision.outcome === testCase.expect && missingRules.length === 0,
        expected: testCase.expect,
        actual: decision.outcome,
        matched,
        missingRules,
        line: testCase.position.line,
        column: testCase.position.column,
      };
    });
    const failed = results.filter((result) => !result.passed).length;
    if (values.json) {
      printJson(io, {
        policy: { file: policyFile, version: source.version },
        cases: results,
        passed: results.length - failed,
        failed,
      });
    } else {
      for (const result of results) {
        io.out(
          result.passed
            ? `PASS  ${result.name}\n`
            : `FAIL  ${result.name} (${testsFile}:${result.line}:${result.column}): ${describeFailure(result)}\n`,
        );
      }
      io.out(`${results.length - failed} passed, ${failed} failed\n`);
    }
    return failed > 0 ? EXIT.problems : EXIT.ok;
  },
};
