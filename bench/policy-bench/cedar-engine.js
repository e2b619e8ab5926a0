/**
 * The rule set in Cedar (`@cedar-policy/cedar-wasm`), and the 3-way outcome read back.
 *
 * One Cedar policy per rule, keyed and annotated (`@id`) by the rule name. Deny rules are
 * `forbid`, allow and require rules are `permit` (Cedar has no third effect). An exact
 * action is Cedar's own action scope (`action == Action::"svc1.res2.delete"`); a service
 * prefix `svc1.**` is `context.action like "svc1.*"` (equal on this universe, whose names
 * all have three segments); an environment is `context.environment == "prod"`.
 *
 * Reading the answer: Cedar denies when a forbid holds (deny) or when nothing holds (the
 * default, allow in this benchmark); when it allows, the determining policies are every
 * permit that held, so a require rule among them makes the outcome require.
 */

import * as cedar from '@cedar-policy/cedar-wasm/nodejs';
import { DEFAULT_DECISION } from './reference-decider.js';

const RESOURCE = Object.freeze({ type: 'Gatehouse::Target', id: 'action' });

function cedarString(text) {
  return JSON.stringify(text);
}

/** The Cedar text of one rule (without its `@id`; see {@link toCedarPolicies}). */
export function toCedarPolicy(rule) {
  if (rule.when !== undefined)
    throw new Error(`rule ${rule.name}: CEL conditions are not translated to Cedar`);
  const effect = rule.outcome === 'deny' ? 'forbid' : 'permit';
  const conditions = [];
  let actionScope = 'action';
  if (rule.action.endsWith('.**')) {
    conditions.push(`context.action like ${cedarString(`${rule.action.slice(0, -2)}*`)}`);
  } else {
    actionScope = `action == Action::${cedarString(rule.action)}`;
  }
  if (rule.environment !== undefined)
    conditions.push(`context.environment == ${cedarString(rule.environment)}`);
  const when = conditions.length === 0 ? '' : ` when { ${conditions.join(' && ')} }`;
  return `${effect} (principal, ${actionScope}, resource)${when};`;
}

/** The whole rule set as Cedar's `staticPolicies` record: policy id → text with `@id`. */
export function toCedarPolicies(rules) {
  const policies = {};
  for (const rule of rules) policies[rule.name] = `@id(${cedarString(rule.name)})\n${toCedarPolicy(rule)}`;
  return policies;
}

/** The Cedar request for one of our ActionInputs. */
function requestFor(input) {
  return {
    principal: { type: 'Gatehouse::Agent', id: input.requester.id },
    action: { type: 'Action', id: input.action },
    resource: RESOURCE,
    context: { action: input.action, environment: input.context.environment },
    entities: [],
  };
}

function outcomeOf(answer, requireIds) {
  if (answer.type !== 'success') throw new Error(`cedar: ${answer.errors.map((e) => e.message).join('; ')}`);
  const { decision, diagnostics } = answer.response;
  if (diagnostics.errors.length > 0) throw new Error(`cedar: ${diagnostics.errors[0].error.message}`);
  if (decision === 'deny') return diagnostics.reason.length > 0 ? 'deny' : DEFAULT_DECISION;
  for (const id of diagnostics.reason) if (requireIds.has(id)) return 'require';
  return 'allow';
}

let nextPolicySetId = 0;

/**
 * Cedar with the policy set parsed once (`preparsePolicySet` + `statefulIsAuthorized`):
 * the counterpart of compiling our policy once per version.
 */
export function createCedarEngine(rules) {
  const policies = toCedarPolicies(rules);
  const requireIds = new Set(rules.filter((rule) => rule.outcome === 'require').map((rule) => rule.name));
  const preparsedPolicySetId = `gatehouse-bench-${nextPolicySetId++}`;
  const parsed = cedar.preparsePolicySet(preparsedPolicySetId, { staticPolicies: policies });
  if (parsed.type !== 'success') throw new Error(`cedar: ${parsed.errors.map((e) => e.message).join('; ')}`);
  return Object.freeze({
    name: 'cedar',
    decide(input) {
      const request = requestFor(input);
      request.preparsedPolicySetId = preparsedPolicySetId;
      return outcomeOf(cedar.statefulIsAuthorized(request), requireIds);
    },
  });
}

/** Cedar's basic `isAuthorized`, which is handed the policy set (and parses it) on every call. */
export function createCedarStatelessEngine(rules) {
  const policies = Object.freeze({ staticPolicies: toCedarPolicies(rules) });
  const requireIds = new Set(rules.filter((rule) => rule.outcome === 'require').map((rule) => rule.name));
  const checked = cedar.checkParsePolicySet(policies);
  if (checked.type !== 'success')
    throw new Error(`cedar: ${checked.errors.map((e) => e.message).join('; ')}`);
  return Object.freeze({
    name: 'cedar-unparsed',
    decide(input) {
      const request = requestFor(input);
      request.policies = policies;
      return outcomeOf(cedar.isAuthorized(request), requireIds);
    },
  });
}

/** The versions of Cedar in use, for the report. */
export function cedarVersion() {
  return `cedar ${cedar.getCedarVersion()} (cedar-wasm SDK ${cedar.getCedarSDKVersion()})`;
}
