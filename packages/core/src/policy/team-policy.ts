import { GatehouseError } from '../errors.js';
import { readPolicyDocument } from './policy-document.js';
import { deepFreeze } from './policy-freeze.js';
import { ORG_ONLY_KEYS, POLICY_KEYS } from './policy-keys.js';
import type { PolicyDirectory, PolicyParseContext } from './policy-parse-context.js';
import {
  checkPolicyVersion,
  directorySources,
  finishPolicy,
  type PolicyParseResult,
  sortedDiagnostics,
} from './policy-parse-result.js';
import { parseRuleList, type RuleNames } from './policy-rule-parser.js';
import { DEFAULT_POLICY_DEFAULTS, POLICY_AST_VERSION, type Policy, type Rule } from './policy-types.js';

/** Options for {@link parseTeamPolicy}. */
export interface ParseTeamPolicyOptions {
  /** When given, team and user names in approvers and match must be listed here. */
  readonly directory?: PolicyDirectory;
  /**
   * The organisation policy the team policy will be merged into. When given, `group:`
   * selectors must name its groups and missing expiresIn/onTimeout/grantTtl take its
   * defaults; without it groups are not checked and the built-in defaults apply.
   */
  readonly org?: Policy;
}

/**
 * Parse a team policy file: only `rules` (plus optional `team`, `version` and `$schema`).
 * A team policy can only add gates: `allow`, `selfApproval: true`, `override`, `defaults`,
 * `groups` and `approvalPolicies` are refused, and every rule is scoped to the team.
 *
 * @example parseTeamPolicy(text, 'teams/infra.yaml', 'infra', { org: orgPolicy })
 */
export function parseTeamPolicy(
  text: string,
  file: string,
  team: string,
  options: ParseTeamPolicyOptions = {},
): PolicyParseResult {
  const empty = `the team policy is empty; expected rules`;
  const { walker, root } = readPolicyDocument(text, file, empty);
  const fields = root === undefined ? undefined : walker.fields(root, '', undefined);
  if (fields === undefined) return Object.freeze({ ok: false, diagnostics: sortedDiagnostics(walker) });
  const allowed: readonly string[] = POLICY_KEYS.teamPolicy;
  for (const field of fields.values()) {
    if (ORG_ONLY_KEYS.includes(field.name)) {
      walker.report(
        field.key,
        'team-policy-forbidden',
        `"${field.name}" belongs in the organisation policy, not a team policy; expected only: ${allowed.join(', ')}`,
      );
    } else if (!allowed.includes(field.name)) {
      walker.report(
        field.key,
        'unknown-key',
        `unknown key "${field.name}" at the top level; expected one of: ${allowed.join(', ')}`,
      );
    }
  }
  const schema = fields.get('$schema');
  if (schema !== undefined) walker.string(schema.value, '$schema', false);
  checkPolicyVersion(walker, fields.get('version'));
  const teamField = fields.get('team');
  if (teamField !== undefined) {
    const named = walker.string(teamField.value, 'team');
    if (named !== undefined && named !== team) {
      walker.report(
        teamField.value,
        'invalid-value',
        `team is "${named}", but this is the policy file of team "${team}"; expected team: ${team}`,
      );
    }
  }
  const rulesField = fields.get('rules');
  if (rulesField === undefined) walker.report(root, 'empty-policy', empty);

  const defaults = options.org?.defaults ?? DEFAULT_POLICY_DEFAULTS;
  const context: PolicyParseContext = {
    walker,
    defaults,
    declaredGroups: options.org === undefined ? undefined : new Set(options.org.groups.keys()),
    groups: options.org?.groups ?? new Map(),
    directory: options.directory,
    team,
  };
  const names: RuleNames = new Map();
  const rules = rulesField === undefined ? [] : parseRuleList(context, rulesField.value, names);
  return finishPolicy(walker, () => ({
    v: POLICY_AST_VERSION,
    defaults,
    groups: new Map(),
    rules: rules.filter((rule): rule is Rule => rule !== undefined),
    sources: directorySources(options.directory),
  }));
}

function groupsNamed(rule: Rule): readonly string[] {
  if (rule.outcome.kind !== 'require') return [];
  return rule.outcome.requirement.stages.flatMap((stage) =>
    stage.approvers.flatMap((selector) => (selector.kind === 'group' ? [selector.group] : [])),
  );
}

/**
 * The organisation policy with the team policies' rules appended after its own, in the
 * order given. Defaults and groups are the organisation's. Throws a `GatehouseError` when
 * a "team" policy holds organisation rules or names a group the organisation lacks.
 *
 * @example mergePolicies(org, [infraPolicy, webPolicy]).rules // org rules, then infra's, then web's
 */
export function mergePolicies(org: Policy, teamPolicies: readonly Policy[]): Policy {
  const teamRules = teamPolicies.flatMap((policy) => policy.rules);
  for (const rule of teamRules) {
    if (rule.origin === 'org') {
      throw new GatehouseError(
        'invalid-value',
        `rule "${rule.name}" is an organisation rule; expected team policies from parseTeamPolicy`,
        {
          data: { rule: rule.name },
        },
      );
    }
    for (const group of groupsNamed(rule)) {
      if (!org.groups.has(group)) {
        throw new GatehouseError(
          'unknown-group',
          `team rule "${rule.name}" names the group "${group}", which the organisation policy does not declare`,
          {
            data: { rule: rule.name, group, team: rule.origin.team },
          },
        );
      }
    }
  }
  const sources = [...new Set([org, ...teamPolicies].flatMap((policy) => policy.sources))].sort();
  return deepFreeze({
    v: POLICY_AST_VERSION,
    defaults: org.defaults,
    groups: org.groups,
    ...(org.executors === undefined ? {} : { executors: org.executors }),
    rules: [...org.rules, ...teamRules],
    sources,
  });
}
