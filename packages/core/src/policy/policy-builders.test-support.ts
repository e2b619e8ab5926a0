import type { ActionInput, Principal } from './decision-types.js';
import {
  type ApproverSelector,
  DEFAULT_POLICY_DEFAULTS,
  type Policy,
  type PolicyDefaults,
  type Rule,
  type RuleMatch,
  type RuleOutcome,
  type Stage,
} from './policy-types.js';

/** Builders for policy ASTs in tests, so evaluator tests do not depend on the parser. */

export function stage(approvers: ApproverSelector | ApproverSelector[], min = 1, name = 'stage'): Stage {
  return { approvers: Array.isArray(approvers) ? approvers : [approvers], min, denyMin: 1, name };
}

export function requireStages(...stages: Stage[]): RuleOutcome {
  return {
    kind: 'require',
    requirement: { stages, expiresIn: 3_600_000, onTimeout: 'deny', grantTtl: 600_000 },
  };
}

export const ALLOW: RuleOutcome = { kind: 'allow' };

export function deny(reason: string): RuleOutcome {
  return { kind: 'deny', reason };
}

export function rule(
  name: string,
  match: Partial<RuleMatch> & { actions: readonly string[] },
  outcome: RuleOutcome,
  extra: Partial<Omit<Rule, 'name' | 'match' | 'outcome'>> = {},
): Rule {
  return {
    name,
    match,
    outcome,
    selfApproval: false,
    origin: 'org',
    position: { file: 'test.yaml', line: 1, column: 1 },
    ...extra,
  };
}

export function policyOf(rules: Rule[], defaults: Partial<PolicyDefaults> = {}): Policy {
  return {
    v: 1,
    defaults: { ...DEFAULT_POLICY_DEFAULTS, ...defaults },
    groups: new Map(),
    rules,
    sources: [],
  };
}

export const AGENT: Principal = { kind: 'agent', id: 'bot', teams: ['infra'], owner: 'alice' };

export function action(
  name: string,
  params: Record<string, unknown> = {},
  context: Record<string, unknown> = {},
): ActionInput {
  return { action: name, params, context, requester: AGENT };
}
