import { parseDefaults } from './policy-defaults-parser.js';
import { readPolicyDocument } from './policy-document.js';
import { parseExecutors } from './policy-executors-parser.js';
import { freezeMap } from './policy-freeze.js';
import { type ParsedGroups, parseGroups } from './policy-groups-parser.js';
import { POLICY_KEYS } from './policy-keys.js';
import type { PolicyDirectory, PolicyParseContext } from './policy-parse-context.js';
import {
  checkPolicyVersion,
  directorySources,
  finishPolicy,
  type PolicyParseResult,
  sortedDiagnostics,
} from './policy-parse-result.js';
import { parseRuleList, type RuleNames } from './policy-rule-parser.js';
import { parseSeedPolicies } from './policy-seed-parser.js';
import { DEFAULT_POLICY_DEFAULTS, POLICY_AST_VERSION, type Rule } from './policy-types.js';

export type { PolicyDirectory } from './policy-parse-context.js';
export type { PolicyParseResult } from './policy-parse-result.js';

/** Options for {@link parsePolicy}. */
export interface ParsePolicyOptions {
  /** When given, team and user names in approvers, groups and match must be listed here. */
  readonly directory?: PolicyDirectory;
}

const EMPTY = 'the policy is empty; expected approvalPolicies or rules';

/**
 * Parse and validate an organisation policy file (the seed `approvalPolicies` form, the
 * full form, or both; seed rules come first). Every problem is reported at once, with
 * 1-based line and column; a valid policy comes back deeply frozen.
 *
 * @example
 * const result = parsePolicy(text, 'policy.yaml');
 * if (!result.ok) for (const d of result.diagnostics) console.error(`${d.position.line}:${d.position.column} ${d.message}`);
 */
export function parsePolicy(text: string, file: string, options: ParsePolicyOptions = {}): PolicyParseResult {
  const { walker, root } = readPolicyDocument(text, file, EMPTY);
  const fields = root === undefined ? undefined : walker.fields(root, '', POLICY_KEYS.policy);
  if (fields === undefined) return Object.freeze({ ok: false, diagnostics: sortedDiagnostics(walker) });
  const schema = fields.get('$schema');
  if (schema !== undefined) walker.string(schema.value, '$schema', false);
  checkPolicyVersion(walker, fields.get('version'));
  if (!fields.has('approvalPolicies') && !fields.has('rules') && !fields.has('defaults')) {
    walker.report(root, 'empty-policy', EMPTY);
  }

  const defaultsField = fields.get('defaults');
  const defaults =
    defaultsField === undefined ? DEFAULT_POLICY_DEFAULTS : parseDefaults(walker, defaultsField.value);
  const groupsField = fields.get('groups');
  const { declared, groups }: ParsedGroups =
    groupsField === undefined
      ? { declared: new Set(), groups: new Map() }
      : parseGroups({ walker, directory: options.directory }, groupsField.value);
  const executorsField = fields.get('executors');
  const executors =
    executorsField === undefined
      ? []
      : parseExecutors({ walker, directory: options.directory }, executorsField.value);
  const context: PolicyParseContext = {
    walker,
    defaults,
    declaredGroups: declared,
    groups,
    directory: options.directory,
    team: undefined,
  };
  const names: RuleNames = new Map();
  // Read both lists in file order, so a duplicate name is reported at the later one in the file;
  // in the policy, seed rules still come first.
  let seed: readonly (Rule | undefined)[] = [];
  let rules: readonly (Rule | undefined)[] = [];
  for (const field of fields.values()) {
    if (field.name === 'approvalPolicies') seed = parseSeedPolicies(context, field.value, names);
    if (field.name === 'rules') rules = parseRuleList(context, field.value, names);
  }

  return finishPolicy(walker, () => ({
    v: POLICY_AST_VERSION,
    defaults,
    groups: freezeMap(groups),
    ...(executors.length === 0 ? {} : { executors }),
    rules: [...seed, ...rules].filter((rule): rule is Rule => rule !== undefined),
    sources: directorySources(options.directory),
  }));
}
