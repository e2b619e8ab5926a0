/**
 * Our engine, the real path: the rule set written as a policy file, read by
 * `parsePolicy`, compiled once by `compilePolicy`, decided by `evaluateAction`.
 */

import { toPolicyYaml } from './policy-yaml-writer.js';

function sameStrings(list, expected) {
  return list === undefined ? expected === undefined : list.length === 1 && list[0] === expected;
}

/** Throw unless the parsed policy says what the rule specs say (a check on the YAML writer). */
function checkParsedRules(policy, rules) {
  if (policy.rules.length !== rules.length) {
    throw new Error(`parsed ${policy.rules.length} rules, generated ${rules.length}`);
  }
  rules.forEach((spec, i) => {
    const rule = policy.rules[i];
    const same =
      rule.name === spec.name &&
      sameStrings(rule.match.actions, spec.action) &&
      sameStrings(rule.match.environments, spec.environment) &&
      rule.when === spec.when &&
      rule.outcome.kind === spec.outcome;
    if (!same)
      throw new Error(`parsed rule ${i} (${rule.name}) differs from its spec ${JSON.stringify(spec)}`);
  });
}

/**
 * Our engine over a rule set. `core` is the `@gatehouse/core` module namespace.
 *
 * @example createOurEngine(core, rules, { name: 'ours', version: 'bench-1000' }).decide(input) // 'deny'
 */
export function createOurEngine(core, rules, { name, version }) {
  for (const api of ['parsePolicy', 'compilePolicy', 'evaluateAction']) {
    if (typeof core[api] !== 'function') {
      throw new Error(`@gatehouse/core does not export ${api}; run \`npm run build\` (tsc -b) first`);
    }
  }
  const file = `${version}.yaml`;
  const parsed = core.parsePolicy(toPolicyYaml(rules), file);
  if (!parsed.ok) {
    const first = parsed.diagnostics
      .slice(0, 3)
      .map((d) => `${d.position.line}:${d.position.column} ${d.message}`);
    throw new Error(`generated policy ${file} does not parse: ${first.join('; ')}`);
  }
  checkParsedRules(parsed.policy, rules);
  const compiled = core.compilePolicy(parsed.policy, version);
  const { evaluateAction } = core;
  return Object.freeze({
    name,
    decide(input) {
      return evaluateAction(compiled, input).outcome;
    },
  });
}
