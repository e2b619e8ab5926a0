import { compileCondition } from './cel-condition.js';
import { POLICY_KEYS } from './policy-keys.js';
import { parseMatch } from './policy-match-parser.js';
import type { PolicyParseContext } from './policy-parse-context.js';
import { parseRequirement } from './policy-requirement-parser.js';
import { scalarSourceOffset } from './policy-scalar-offset.js';
import type { OverridePolicy, Risk, Role, Rule, RuleOutcome, SourcePosition } from './policy-types.js';
import { child, type YamlField, type YamlValue } from './policy-yaml-walker.js';

const RISKS: readonly Risk[] = ['low', 'medium', 'high', 'critical'];
const OUTCOMES = ['allow', 'deny', 'require'] as const;

/** Rule names already used in the file, with where each was first written. */
export type RuleNames = Map<string, SourcePosition>;

/** Record a rule name; a name used before is reported at `node`, naming the first one's line. */
export function claimRuleName(
  context: PolicyParseContext,
  names: RuleNames,
  name: string,
  node: YamlValue,
): void {
  const first = names.get(name);
  if (first !== undefined) {
    context.walker.report(
      node,
      'duplicate-rule',
      `the rule name "${name}" is already used by the rule on line ${first.line}; expected a unique name`,
    );
    return;
  }
  names.set(name, context.walker.position(node));
}

function parseWhen(context: PolicyParseContext, node: YamlValue, path: string): string | undefined {
  const { walker } = context;
  const source = walker.string(node, path);
  if (source === undefined) return undefined;
  const compiled = compileCondition(source);
  if (compiled.ok) return source;
  const offset = scalarSourceOffset(node, walker.text, compiled.error.offset);
  const position = offset === undefined ? walker.position(node) : walker.positionAt(offset);
  walker.reportAt(
    position,
    'invalid-cel',
    `${path} is not a valid condition: ${compiled.error.message}; expected a CEL expression over action, params, context, requester and command that yields true or false`,
  );
  return undefined;
}

function parseOverride(
  context: PolicyParseContext,
  node: YamlValue,
  path: string,
): OverridePolicy | undefined {
  const { walker } = context;
  const fields = walker.fields(node, path, POLICY_KEYS.override);
  if (fields === undefined) return undefined;
  const byField = fields.get('by');
  const justificationField = fields.get('justification');
  const justification = justificationField
    ? walker.oneOf(justificationField.value, child(path, 'justification'), ['required', 'optional'] as const)
    : 'required';
  if (byField === undefined) {
    walker.report(
      node,
      'missing-key',
      `${path} is missing "by"; expected the roles that may override, e.g. by: [admin]`,
    );
    return undefined;
  }
  const byPath = child(path, 'by');
  const roles = walker.strings(byField.value, byPath, { single: true });
  if (roles === undefined || justification === undefined) return undefined;
  const by: Role[] = [];
  let ok = true;
  for (const role of roles) {
    if (role.value === 'admin' || role.value === 'moderator') {
      if (!by.includes(role.value)) by.push(role.value);
    } else {
      const why =
        role.value === 'user'
          ? 'the user role cannot override'
          : `"${role.value}" is not a role that can override`;
      walker.report(role.node, 'invalid-value', `${byPath}: ${why}; expected admin or moderator`);
      ok = false;
    }
  }
  return ok ? { by, justificationRequired: justification === 'required' } : undefined;
}

function parseOutcome(
  context: PolicyParseContext,
  field: YamlField,
  path: string,
  ruleName: string,
  risk: Risk | undefined,
): RuleOutcome | undefined {
  const { walker, team } = context;
  const here = child(path, field.name);
  if (field.name === 'allow') {
    if (team !== undefined) {
      walker.report(
        field.key,
        'team-policy-forbidden',
        `a team policy can only add gates, so ${here} is not allowed; expected deny or require`,
      );
      return undefined;
    }
    const allow = walker.boolean(field.value, here);
    if (allow === false)
      walker.report(
        field.value,
        'invalid-value',
        `${here} is false; expected allow: true (or remove the key)`,
      );
    return allow === true ? { kind: 'allow' } : undefined;
  }
  if (field.name === 'deny') {
    const reason = walker.string(field.value, here);
    return reason === undefined ? undefined : { kind: 'deny', reason };
  }
  const requirement = parseRequirement(context, field.value, here, ruleName, risk);
  return requirement === undefined ? undefined : { kind: 'require', requirement };
}

/**
 * Read one entry of `rules`. Reports every problem it finds; returns the rule only when
 * it had none.
 *
 * @example - { name: never-rm-root, match: { action: shell.execute }, deny: "never" }
 */
export function parseRule(
  context: PolicyParseContext,
  node: YamlValue,
  path: string,
  names: RuleNames,
): Rule | undefined {
  const { walker, team } = context;
  const fields = walker.fields(node, path, POLICY_KEYS.rule);
  if (fields === undefined) return undefined;
  const value = (key: string) => fields.get(key)?.value;

  const nameField = fields.get('name');
  let name: string | undefined;
  if (nameField === undefined)
    walker.report(node, 'missing-key', `${path} is missing "name"; expected a unique rule name`);
  else {
    name = walker.string(nameField.value, child(path, 'name'));
    if (name !== undefined) claimRuleName(context, names, name, nameField.value);
  }
  const label = name === undefined ? path : `${path} ("${name}")`;

  const matchField = fields.get('match');
  if (matchField === undefined) {
    walker.report(
      node,
      'missing-key',
      `${label} is missing "match"; expected e.g. match: { action: shell.execute }`,
    );
  }
  const match =
    matchField === undefined ? undefined : parseMatch(context, matchField.value, child(path, 'match'));
  const when = fields.has('when') ? parseWhen(context, value('when'), child(path, 'when')) : undefined;
  const risk = fields.has('risk') ? walker.oneOf(value('risk'), child(path, 'risk'), RISKS) : undefined;
  const selfApproval = fields.has('selfApproval')
    ? walker.boolean(value('selfApproval'), child(path, 'selfApproval'))
    : false;
  if (selfApproval === true && team !== undefined) {
    walker.report(
      value('selfApproval'),
      'team-policy-forbidden',
      `a team policy can only add gates, so ${child(path, 'selfApproval')}: true is not allowed; expected false or no selfApproval`,
    );
  }

  const present = OUTCOMES.flatMap((key) => fields.get(key) ?? []);
  if (present.length === 0) {
    walker.report(
      node,
      'missing-outcome',
      `${label} has no outcome; expected one of allow: true, deny: "<reason>" or require: { stages: [..] }`,
    );
  }
  for (const extra of present.slice(1)) {
    walker.report(
      extra.key,
      'outcome-conflict',
      `${label} has both ${present[0]?.name} and ${extra.name}; expected exactly one of allow, deny, require`,
    );
  }
  const outcomes = present.map((field) => parseOutcome(context, field, path, name ?? path, risk));
  const outcome = outcomes[0];

  const overrideField = fields.get('override');
  let override: OverridePolicy | undefined;
  if (overrideField !== undefined) {
    if (team !== undefined) {
      walker.report(
        overrideField.key,
        'team-policy-forbidden',
        `a team policy can only add gates, so ${child(path, 'override')} is not allowed; expected no override`,
      );
    } else if (present[0] !== undefined && present[0].name !== 'require') {
      walker.report(
        overrideField.key,
        'outcome-conflict',
        `${label} is a ${present[0].name} rule, which has nothing to override; expected override only on rules with require`,
      );
    } else override = parseOverride(context, overrideField.value, child(path, 'override'));
  }

  if (name === undefined || match === undefined || outcome === undefined || selfApproval === undefined)
    return undefined;
  return {
    name,
    match,
    ...(when === undefined ? {} : { when }),
    outcome,
    ...(risk === undefined ? {} : { risk }),
    selfApproval,
    ...(override === undefined ? {} : { override }),
    origin: team === undefined ? 'org' : { team },
    position: walker.position(node),
  };
}

/** Read the `rules` list, in file order. Entries with problems come back as `undefined`. */
export function parseRuleList(
  context: PolicyParseContext,
  node: YamlValue,
  names: RuleNames,
): readonly (Rule | undefined)[] {
  const items = context.walker.list(node, 'rules');
  if (items === undefined) return [];
  return items.map((item, index) => parseRule(context, item, child('rules', index), names));
}
