import type { CombinedRequirement, DecidedStage } from './decision-types.js';
import type {
  ApproverSelector,
  OnTimeout,
  OverridePolicy,
  Requirement,
  Risk,
  Role,
  Rule,
} from './policy-types.js';

const TIMEOUT_STRICTNESS: Readonly<Record<OnTimeout, number>> = { approve: 0, escalate: 1, deny: 2 };
const RISK_ORDER: Readonly<Record<Risk, number>> = { low: 0, medium: 1, high: 2, critical: 3 };

/** The higher of two risk levels. */
export function maxRisk(a: Risk, b: Risk): Risk {
  return RISK_ORDER[a] >= RISK_ORDER[b] ? a : b;
}

function selectorKey(selector: ApproverSelector): string {
  switch (selector.kind) {
    case 'role':
      return `role:${selector.role}`;
    case 'team':
      return `team:${selector.team}`;
    case 'requester-team':
      return 'requester-team';
    case 'group':
      return `group:${selector.group}`;
    case 'users':
      return `users:${[...selector.users].sort().join(',')}`;
  }
}

function stageKey(stage: DecidedStage): string {
  return `${stage.approvers.map(selectorKey).sort().join('|')}#${stage.min}#${stage.denyMin}`;
}

function combineOverride(
  a: OverridePolicy | undefined,
  b: OverridePolicy | undefined,
): OverridePolicy | undefined {
  if (a === undefined || b === undefined) return undefined;
  const by: Role[] = a.by.filter((role) => b.by.includes(role));
  if (by.length === 0) return undefined;
  return { by, justificationRequired: a.justificationRequired || b.justificationRequired };
}

/**
 * The conjunction of the requirements of every matching `require` rule (DESIGN §3):
 * all their stages, the shortest expiry and grant lifetime, the strictest timeout,
 * self-approval only if every rule allows it, override only by roles every rule names.
 */
export function combineRequirements(rules: readonly Rule[]): CombinedRequirement {
  const stages: DecidedStage[] = [];
  const seen = new Set<string>();
  let expiresIn = Number.POSITIVE_INFINITY;
  let grantTtl = Number.POSITIVE_INFINITY;
  let onTimeout: OnTimeout = 'approve';
  let selfApproval = true;
  let override: OverridePolicy | undefined;
  let first = true;
  for (const rule of rules) {
    if (rule.outcome.kind !== 'require') continue;
    const requirement: Requirement = rule.outcome.requirement;
    for (const stage of requirement.stages) {
      const decided: DecidedStage = {
        name: stage.name,
        rule: rule.name,
        approvers: stage.approvers,
        min: stage.min,
        denyMin: stage.denyMin,
      };
      const key = stageKey(decided);
      if (seen.has(key)) continue;
      seen.add(key);
      stages.push(decided);
    }
    expiresIn = Math.min(expiresIn, requirement.expiresIn);
    grantTtl = Math.min(grantTtl, requirement.grantTtl);
    if (TIMEOUT_STRICTNESS[requirement.onTimeout] > TIMEOUT_STRICTNESS[onTimeout])
      onTimeout = requirement.onTimeout;
    selfApproval &&= rule.selfApproval;
    override = first ? rule.override : combineOverride(override, rule.override);
    first = false;
  }
  return {
    stages,
    expiresIn,
    onTimeout,
    grantTtl,
    selfApproval,
    ...(override === undefined ? {} : { override }),
  };
}
