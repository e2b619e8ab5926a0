import { isMap, isSeq } from 'yaml';
import { MAX_DURATION_MS, MAX_GRANT_TTL_MS } from './policy-duration.js';
import { POLICY_KEYS } from './policy-keys.js';
import { checkDirectoryName, type PolicyParseContext } from './policy-parse-context.js';
import type { ApproverSelector, OnTimeout, Requirement, Risk, Role, Stage } from './policy-types.js';
import { child, describe, type YamlValue } from './policy-yaml-walker.js';

const ROLES: readonly Role[] = ['user', 'moderator', 'admin'];
const REQUESTER_TEAM = '$requester.team';

/** A selector as read, with whether it already reported the stage as unsatisfiable. */
interface ReadSelector {
  readonly selector: ApproverSelector;
  readonly unsatisfiable: boolean;
}

function parseSelector(context: PolicyParseContext, node: YamlValue, path: string): ReadSelector | undefined {
  const { walker } = context;
  const fields = walker.fields(node, path, POLICY_KEYS.selector);
  if (fields === undefined) return undefined;
  const present = [...fields.values()];
  const [first, ...extra] = present;
  if (first === undefined) {
    walker.report(
      node,
      'missing-key',
      `${path} names no approvers; expected exactly one of: ${POLICY_KEYS.selector.join(', ')}`,
    );
    return undefined;
  }
  for (const field of extra) {
    walker.report(
      field.key,
      'invalid-value',
      `${path} has both "${first.name}" and "${field.name}"; expected exactly one of: ${POLICY_KEYS.selector.join(', ')} (use a list of selectors for several)`,
    );
  }
  const here = child(path, first.name);
  switch (first.name) {
    case 'role': {
      const role = walker.oneOf(first.value, here, ROLES);
      return role === undefined ? undefined : { selector: { kind: 'role', role }, unsatisfiable: false };
    }
    case 'team': {
      const team = walker.string(first.value, here);
      if (team === undefined) return undefined;
      if (team === REQUESTER_TEAM) return { selector: { kind: 'requester-team' }, unsatisfiable: false };
      if (team.startsWith('$')) {
        walker.report(
          first.value,
          'invalid-value',
          `${here} is "${team}"; expected a team name or ${REQUESTER_TEAM}`,
        );
        return undefined;
      }
      checkDirectoryName(context, 'team', team, first.value, here);
      return { selector: { kind: 'team', team }, unsatisfiable: false };
    }
    case 'group': {
      const group = walker.string(first.value, here);
      if (group === undefined) return undefined;
      if (context.declaredGroups !== undefined && !context.declaredGroups.has(group)) {
        const known = [...context.declaredGroups];
        const expected =
          known.length === 0
            ? 'a group declared under groups (there are none)'
            : `one of: ${known.join(', ')}`;
        walker.report(
          first.value,
          'unknown-group',
          `${here} names the group "${group}", which is not declared; expected ${expected}`,
        );
        return undefined;
      }
      return { selector: { kind: 'group', group }, unsatisfiable: false };
    }
    default: {
      const users = walker.strings(first.value, here, { single: false, allowEmpty: true });
      if (users === undefined) return undefined;
      for (const user of users) checkDirectoryName(context, 'user', user.value, user.node, here);
      if (users.length === 0) {
        walker.report(
          first.value,
          'unsatisfiable-stage',
          `${here} is an empty list, so no one could ever approve; expected at least one user`,
        );
      }
      const names = [...new Set(users.map((user) => user.value))];
      return { selector: { kind: 'users', users: names }, unsatisfiable: users.length === 0 };
    }
  }
}

/** The most distinct people the selectors can ever admit, or `undefined` when unbounded. */
function maxEligible(
  context: PolicyParseContext,
  selectors: readonly ApproverSelector[],
): number | undefined {
  const named = new Set<string>();
  let admin = 0;
  for (const selector of selectors) {
    if (selector.kind === 'role' && selector.role === 'admin') admin = 1;
    else if (selector.kind === 'users') for (const user of selector.users) named.add(user);
    else if (selector.kind === 'group') {
      const group = context.groups.get(selector.group);
      if (group === undefined || group.teams.length > 0) return undefined;
      for (const user of group.users) named.add(user);
    } else return undefined;
  }
  // The admin may also be one of the named users, so this is an upper bound, never an undercount.
  return named.size + admin;
}

function parseStage(
  context: PolicyParseContext,
  node: YamlValue,
  path: string,
  defaultName: string,
): Stage | undefined {
  const { walker } = context;
  const fields = walker.fields(node, path, POLICY_KEYS.stage);
  if (fields === undefined) return undefined;
  const approvers = fields.get('approvers');
  if (approvers === undefined)
    walker.report(
      node,
      'missing-key',
      `${path} is missing "approvers"; expected e.g. approvers: { role: moderator }`,
    );
  const minField = fields.get('min');
  const denyMinField = fields.get('denyMin');
  const nameField = fields.get('name');
  const min = minField === undefined ? 1 : walker.positiveInteger(minField.value, child(path, 'min'));
  const denyMin =
    denyMinField === undefined ? 1 : walker.positiveInteger(denyMinField.value, child(path, 'denyMin'));
  const name = nameField === undefined ? defaultName : walker.string(nameField.value, child(path, 'name'));
  if (approvers === undefined) return undefined;

  const here = child(path, 'approvers');
  let items: readonly YamlValue[] | undefined;
  if (isSeq(approvers.value)) {
    items = walker.list(approvers.value, here);
    if (items?.length === 0) {
      walker.report(
        approvers.value,
        'unsatisfiable-stage',
        `${here} is an empty list, so no one could ever approve; expected at least one selector`,
      );
      return undefined;
    }
  } else if (isMap(approvers.value)) items = [approvers.value];
  else {
    walker.report(
      approvers.value,
      'wrong-type',
      `${here} is ${describe(approvers.value)}; expected a selector such as { role: moderator } or a list of them`,
    );
    return undefined;
  }
  const read = (items ?? []).map((item, index) =>
    parseSelector(context, item, isSeq(approvers.value) ? child(here, index) : here),
  );
  const selectors = read.flatMap((item) => (item === undefined ? [] : [item.selector]));
  if (selectors.length !== read.length || min === undefined || denyMin === undefined || name === undefined)
    return undefined;
  if (read.some((item) => item?.unsatisfiable)) return undefined;

  const eligible = maxEligible(context, selectors);
  if (eligible !== undefined && eligible < min) {
    const why = selectors.some((selector) => selector.kind === 'role') ? ' (there is exactly one admin)' : '';
    walker.report(
      minField?.value ?? approvers.value,
      'unsatisfiable-stage',
      `${path} can never be satisfied: it needs ${min} approvals but at most ${eligible} ${eligible === 1 ? 'person is' : 'people are'} eligible${why}; expected min of at most ${eligible}`,
    );
    return undefined;
  }
  return { approvers: selectors, min, denyMin, name };
}

/**
 * Read a rule's `require: { stages, expiresIn?, onTimeout?, grantTtl? }`. Missing settings
 * take the file's defaults; `onTimeout: approve` needs the rule's `risk` to be `low`.
 *
 * @example require: { stages: [ { approvers: { role: moderator }, min: 2 } ], expiresIn: 4h }
 */
export function parseRequirement(
  context: PolicyParseContext,
  node: YamlValue,
  path: string,
  ruleName: string,
  risk: Risk | undefined,
): Requirement | undefined {
  const { walker, defaults } = context;
  const fields = walker.fields(node, path, POLICY_KEYS.require);
  if (fields === undefined) return undefined;
  const expiresInField = fields.get('expiresIn');
  const grantTtlField = fields.get('grantTtl');
  const onTimeoutField = fields.get('onTimeout');
  const expiresIn = expiresInField
    ? walker.duration(expiresInField.value, child(path, 'expiresIn'), MAX_DURATION_MS)
    : defaults.expiresIn;
  const grantTtl = grantTtlField
    ? walker.duration(grantTtlField.value, child(path, 'grantTtl'), MAX_GRANT_TTL_MS)
    : defaults.grantTtl;
  let onTimeout: OnTimeout | undefined = defaults.onTimeout;
  if (onTimeoutField !== undefined) {
    onTimeout = walker.oneOf(onTimeoutField.value, child(path, 'onTimeout'), [
      'deny',
      'approve',
      'escalate',
    ] as const);
    if (onTimeout === 'approve' && risk !== 'low') {
      walker.report(
        onTimeoutField.value,
        'approve-needs-low-risk',
        `onTimeout: approve is only allowed on rules with risk: low (this rule has ${risk === undefined ? 'no risk' : `risk: ${risk}`}); expected deny or escalate`,
      );
      onTimeout = undefined;
    }
  }

  const stagesField = fields.get('stages');
  if (stagesField === undefined) {
    walker.report(
      node,
      'missing-key',
      `${path} is missing "stages"; expected e.g. stages: [ { approvers: { role: moderator } } ]`,
    );
    return undefined;
  }
  const stagesPath = child(path, 'stages');
  const items = walker.list(stagesField.value, stagesPath);
  if (items === undefined) return undefined;
  if (items.length === 0) {
    walker.report(
      stagesField.value,
      'invalid-value',
      `${stagesPath} is an empty list; expected at least one stage`,
    );
    return undefined;
  }
  const stages = items.map((item, index) =>
    parseStage(context, item, child(stagesPath, index), `${ruleName}#${index + 1}`),
  );
  const complete = stages.flatMap((stage) => (stage === undefined ? [] : [stage]));
  if (
    complete.length !== stages.length ||
    expiresIn === undefined ||
    grantTtl === undefined ||
    onTimeout === undefined
  )
    return undefined;
  return { stages: complete, expiresIn, onTimeout, grantTtl };
}
