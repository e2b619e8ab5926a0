import { deepFreeze } from './policy-freeze.js';
import type { PolicyDirectory } from './policy-parse-context.js';
import type { Policy, PolicyDiagnostic } from './policy-types.js';
import type { PolicyYamlWalker, YamlField } from './policy-yaml-walker.js';

/** What parsing a policy file gives: the policy, or every problem found, sorted by position. */
export type PolicyParseResult =
  | { readonly ok: true; readonly policy: Policy }
  | { readonly ok: false; readonly diagnostics: readonly PolicyDiagnostic[] };

/** The walker's diagnostics sorted by line then column (file order within one position). */
export function sortedDiagnostics(walker: PolicyYamlWalker): readonly PolicyDiagnostic[] {
  const sorted = [...walker.diagnostics].sort(
    (a, b) => a.position.line - b.position.line || a.position.column - b.position.column,
  );
  return deepFreeze(sorted);
}

/** Fail with every diagnostic when there is any; otherwise build the policy and freeze it deeply. */
export function finishPolicy(walker: PolicyYamlWalker, build: () => Policy): PolicyParseResult {
  if (walker.diagnostics.length > 0)
    return Object.freeze({ ok: false, diagnostics: sortedDiagnostics(walker) });
  return Object.freeze({ ok: true, policy: deepFreeze(build()) });
}

/** `Policy.sources` for a directory: `team:<name>` and `user:<name>` entries, sorted; empty without one. */
export function directorySources(directory: PolicyDirectory | undefined): readonly string[] {
  if (directory === undefined) return [];
  const teams = (directory.teams ?? []).map((team) => `team:${team}`);
  const users = (directory.users ?? []).map((user) => `user:${user}`);
  return [...new Set([...teams, ...users])].sort();
}

/** Check the optional `version` key: only 1 is understood. */
export function checkPolicyVersion(walker: PolicyYamlWalker, field: YamlField | undefined): void {
  if (field === undefined) return;
  const value = (field.value as { value?: unknown } | null)?.value;
  if (typeof value !== 'number') {
    walker.report(field.value, 'wrong-type', 'version must be the number 1; expected version: 1');
  } else if (value !== 1) {
    walker.report(
      field.value,
      'unsupported-version',
      `policy version ${value} is not supported; this build reads version 1`,
    );
  }
}
