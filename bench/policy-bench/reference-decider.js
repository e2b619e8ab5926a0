/**
 * The benchmark's semantics written out plainly, to check every engine against:
 * every matching rule applies; any deny → deny; else any require → require;
 * else any allow → allow; else the default (allow).
 */

import { PROD_CONDITION } from './rule-set-generator.js';

/** The default decision of every generated policy. */
export const DEFAULT_DECISION = 'allow';

/** True when an action name matches a rule's action: exact, or `svc<i>.**` (one or more segments). */
export function actionMatches(glob, action) {
  if (!glob.endsWith('.**')) return glob === action;
  const prefix = glob.slice(0, -2);
  return action.startsWith(prefix) && action.length > prefix.length;
}

function conditionHolds(rule, input) {
  if (rule.when === undefined) return true;
  // The generator writes one condition only; anything else is a bug in the benchmark.
  if (rule.when !== PROD_CONDITION) throw new Error(`reference decider cannot read condition ${rule.when}`);
  return input.context.environment === 'prod';
}

/** True when the rule applies to the input. */
export function ruleMatches(rule, input) {
  return (
    actionMatches(rule.action, input.action) &&
    (rule.environment === undefined || rule.environment === input.context.environment) &&
    conditionHolds(rule, input)
  );
}

/**
 * The 3-way outcome for one input: 'allow' | 'deny' | 'require'.
 *
 * @example decideByReference(rules, actionInput('svc1.res2.delete', 'prod')) // 'require'
 */
export function decideByReference(rules, input) {
  let requires = false;
  let allows = false;
  for (const rule of rules) {
    if (!ruleMatches(rule, input)) continue;
    if (rule.outcome === 'deny') return 'deny';
    if (rule.outcome === 'require') requires = true;
    else allows = true;
  }
  if (requires) return 'require';
  return allows ? 'allow' : DEFAULT_DECISION;
}
