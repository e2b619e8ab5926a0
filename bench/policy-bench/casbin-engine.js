/**
 * The rule set in casbin, and the 3-way outcome read back.
 *
 * One policy line per rule: `p, <action pattern>, <environment or *>, <eft>, <priority>,
 * <outcome>, <rule name>`, matched by `keyMatch(r.act, p.act)` (an exact name, or
 * `svc1.*` = any name starting `svc1.`, equal to our `svc1.**` on this universe) and the
 * environment. casbin's priority effect (`priority(p.eft) || deny`) takes the first line
 * that matches in priority order, and `enforceExSync` returns that line; deny lines have
 * priority 1, require lines 2, allow lines 3, so the first match is the most severe rule
 * that applies — exactly "any deny → deny, else any require → require, else allow". No
 * line matching means the default (allow). Faithful, and casbin's best case: it stops at
 * the first match instead of collecting all of them.
 */

import { newEnforcer, newModelFromString, StringAdapter } from 'casbin';
import { DEFAULT_DECISION } from './reference-decider.js';

/** The casbin model: request (action, environment), one line per rule, first match by priority. */
export const CASBIN_MODEL = `
[request_definition]
r = act, env

[policy_definition]
p = act, env, eft, priority, outcome, name

[policy_effect]
e = priority(p.eft) || deny

[matchers]
m = keyMatch(r.act, p.act) && (p.env == "*" || p.env == r.env)
`;

const PRIORITY = Object.freeze({ deny: 1, require: 2, allow: 3 });
const OUTCOME_FIELD = 4;

/** The casbin policy line of one rule. */
export function toCasbinLine(rule) {
  if (rule.when !== undefined)
    throw new Error(`rule ${rule.name}: CEL conditions are not translated to casbin`);
  const pattern = rule.action.endsWith('.**') ? `${rule.action.slice(0, -2)}*` : rule.action;
  const eft = rule.outcome === 'deny' ? 'deny' : 'allow';
  return `p, ${pattern}, ${rule.environment ?? '*'}, ${eft}, ${PRIORITY[rule.outcome]}, ${rule.outcome}, ${rule.name}`;
}

/** The whole rule set as casbin CSV, already in priority order (casbin also sorts by `p.priority`). */
export function toCasbinPolicy(rules) {
  return [...rules]
    .sort((a, b) => PRIORITY[a.outcome] - PRIORITY[b.outcome])
    .map(toCasbinLine)
    .join('\n');
}

/** A casbin enforcer over the rule set; `decide` gives the 3-way outcome for one ActionInput. */
export async function createCasbinEngine(rules) {
  const model = newModelFromString(CASBIN_MODEL);
  // casbin's StringAdapter refuses an empty document; an empty rule set needs no adapter.
  const enforcer =
    rules.length === 0
      ? await newEnforcer(model)
      : await newEnforcer(model, new StringAdapter(toCasbinPolicy(rules)));
  return Object.freeze({
    name: 'casbin',
    decide(input) {
      const [, line] = enforcer.enforceExSync(input.action, input.context.environment);
      return line.length === 0 ? DEFAULT_DECISION : line[OUTCOME_FIELD];
    },
  });
}
