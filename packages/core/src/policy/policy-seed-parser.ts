import { checkActionGlob } from './action-glob.js';
import { POLICY_KEYS } from './policy-keys.js';
import type { PolicyParseContext } from './policy-parse-context.js';
import { claimRuleName, type RuleNames } from './policy-rule-parser.js';
import type { Role, Rule } from './policy-types.js';
import { child, type YamlValue } from './policy-yaml-walker.js';

/** The seed flags, most demanding first: when several are true, the first one wins. */
const SEED_FLAGS: readonly { readonly key: string; readonly role: Role }[] = [
  { key: 'requireAdminApproval', role: 'admin' },
  { key: 'requireModeratorApproval', role: 'moderator' },
  { key: 'requireApproval', role: 'user' },
];

function parseSeedEntry(
  context: PolicyParseContext,
  node: YamlValue,
  path: string,
  names: RuleNames,
): Rule | undefined {
  const { walker, defaults } = context;
  const fields = walker.fields(node, path, POLICY_KEYS.seedEntry);
  if (fields === undefined) return undefined;

  const nameField = fields.get('name');
  const name = nameField === undefined ? path : walker.string(nameField.value, child(path, 'name'));
  if (name !== undefined) claimRuleName(context, names, name, nameField?.value ?? node);

  const actionField = fields.get('action');
  let action: string | undefined;
  if (actionField === undefined) {
    walker.report(
      node,
      'missing-key',
      `${path} is missing "action"; expected an action name or glob such as shell.execute`,
    );
  } else {
    action = walker.string(actionField.value, child(path, 'action'));
    const problem = action === undefined ? undefined : checkActionGlob(action);
    if (problem !== undefined) {
      walker.report(
        actionField.value,
        'never-matching-glob',
        `${child(path, 'action')}: ${problem}; expected a glob such as shell.execute or deploy.*`,
      );
      action = undefined;
    }
  }

  let role: Role | undefined;
  let flagsOk = true;
  for (const flag of SEED_FLAGS) {
    const field = fields.get(flag.key);
    if (field === undefined) continue;
    const value = walker.boolean(field.value, child(path, flag.key));
    if (value === undefined) flagsOk = false;
    if (value === true && role === undefined) role = flag.role;
  }
  if (role === undefined && flagsOk) {
    walker.report(
      node,
      'missing-outcome',
      `${path} requires no approval; expected one of requireApproval / requireModeratorApproval / requireAdminApproval to be true`,
    );
  }
  if (name === undefined || action === undefined || role === undefined) return undefined;
  return {
    name,
    match: { actions: [action] },
    outcome: {
      kind: 'require',
      requirement: {
        stages: [{ approvers: [{ kind: 'role', role }], min: 1, denyMin: 1, name: `${name}#1` }],
        expiresIn: defaults.expiresIn,
        onTimeout: defaults.onTimeout,
        grantTtl: defaults.grantTtl,
      },
    },
    selfApproval: false,
    origin: 'org',
    position: walker.position(node),
  };
}

/**
 * Read the seed form: `approvalPolicies: [ { action, requireApproval | requireModeratorApproval
 * | requireAdminApproval } ]`. Each entry becomes a one-stage rule named `approvalPolicies[<i>]`
 * (or its `name`); when several flags are true, the most demanding role wins.
 *
 * @example approvalPolicies: [ { action: proxmox.vm.delete, requireAdminApproval: true } ]
 */
export function parseSeedPolicies(
  context: PolicyParseContext,
  node: YamlValue,
  names: RuleNames,
): readonly (Rule | undefined)[] {
  const items = context.walker.list(node, 'approvalPolicies');
  if (items === undefined) return [];
  return items.map((item, index) => parseSeedEntry(context, item, child('approvalPolicies', index), names));
}
