import {
  lintClaimedFields,
  type Policy,
  type PolicyDiagnostic,
  type PolicyParseResult,
  parsePolicy,
} from '@gatehouse/core';
import { PolicyValidationError } from './policy-validation-error.js';

function problemsOf(parsed: PolicyParseResult, source: string, file: string): readonly PolicyDiagnostic[] {
  return [...(parsed.ok ? [] : parsed.diagnostics), ...lintClaimedFields(source, file)].sort(
    (a, b) => a.position.line - b.position.line || a.position.column - b.position.column,
  );
}

/**
 * Every problem that keeps `source` from being applied, sorted by position: the parser's, and
 * each rule whose condition reads what the agent only claims (`claimed-field`). The same list
 * `policy lint` prints.
 */
export function policyProblems(source: string, file: string): readonly PolicyDiagnostic[] {
  return problemsOf(parsePolicy(source, file), source, file);
}

/**
 * The policy `source` holds, if it may be applied; otherwise a PolicyValidationError with every
 * problem (422 with line and column). A version already stored is loaded without the claimed-field
 * check, so a server upgraded under such a policy keeps running until the admin applies a fixed one.
 */
export function admitPolicy(source: string, file: string): Policy {
  const parsed = parsePolicy(source, file);
  const problems = problemsOf(parsed, source, file);
  if (parsed.ok && problems.length === 0) return parsed.policy;
  throw new PolicyValidationError(problems);
}
