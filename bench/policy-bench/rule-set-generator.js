/**
 * Deterministic rule sets and queries for the policy benchmark.
 *
 * A rule set is a list of plain rule specs, the one source every engine's encoding is
 * derived from, so the engines are judged on the same rules:
 *   { name, action, environment?, outcome: 'allow'|'deny'|'require', when? }
 * where `action` is either one exact action name or a service prefix `svc<i>.**`.
 */

/** Operations in the action universe: `svc<i>.res<j>.<op>`. */
export const OPERATIONS = Object.freeze(['read', 'list', 'create', 'update', 'delete', 'execute']);

/** The universe the rules and queries are drawn from: 50 services × 10 resources × 6 ops. */
export const UNIVERSE = Object.freeze({ services: 50, resources: 10, operations: OPERATIONS.length });

/** Rules only name the first 40 services, so queries on svc40..svc49 are guaranteed misses. */
export const RULE_SERVICES = 40;

/** The environments rules and queries use. */
export const ENVIRONMENTS = Object.freeze(['prod', 'staging']);

/** The one CEL condition of the CEL variant; the reference decider knows what it means. */
export const PROD_CONDITION = "context.environment == 'prod'";

/** Share of rules by outcome (allow / deny / require), per the brief: roughly 50 / 15 / 35. */
const OUTCOME_WEIGHTS = Object.freeze([
  ['allow', 0.5],
  ['deny', 0.15],
  ['require', 0.35],
]);

/** Share of rules that match a whole service (`svc<i>.**`) rather than one exact action. */
const PREFIX_SHARE = 0.1;

/**
 * A seeded PRNG (mulberry32): the same seed gives the same rule set on every machine.
 *
 * @example const random = createRandom(42); random() // a float in [0, 1)
 */
export function createRandom(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick(random, items) {
  return items[Math.floor(random() * items.length)];
}

function weighted(random, weights) {
  let roll = random();
  for (const [value, weight] of weights) {
    if (roll < weight) return value;
    roll -= weight;
  }
  return weights[weights.length - 1][0];
}

/** The action name for service, resource and operation indices. */
export function actionName(service, resource, operation) {
  return `svc${service}.res${resource}.${OPERATIONS[operation]}`;
}

/** Every action name of a universe with `services` services, in a stable order. */
export function universeActions(services = UNIVERSE.services) {
  const names = [];
  for (let s = 0; s < services; s++) {
    for (let r = 0; r < UNIVERSE.resources; r++) {
      for (let o = 0; o < UNIVERSE.operations; o++) names.push(actionName(s, r, o));
    }
  }
  return names;
}

/**
 * Generate `count` rules. With `conditionShare` > 0, that share of the rules carries the
 * CEL condition {@link PROD_CONDITION} (drawn from its own stream, so the rules are
 * otherwise identical to the plain set of the same seed).
 *
 * @example generateRuleSet({ count: 1000, seed: 7 })
 */
export function generateRuleSet({ count, seed, conditionShare = 0 }) {
  const random = createRandom(seed);
  const conditionRandom = createRandom(seed ^ 0x5eed);
  const rules = [];
  for (let k = 0; k < count; k++) {
    const service = Math.floor(random() * RULE_SERVICES);
    const prefix = random() < PREFIX_SHARE;
    const action = prefix
      ? `svc${service}.**`
      : actionName(
          service,
          Math.floor(random() * UNIVERSE.resources),
          Math.floor(random() * UNIVERSE.operations),
        );
    const environmentRoll = random();
    const environment = environmentRoll < 0.5 ? undefined : environmentRoll < 0.75 ? 'prod' : 'staging';
    const outcome = weighted(random, OUTCOME_WEIGHTS);
    const when = conditionRandom() < conditionShare ? PROD_CONDITION : undefined;
    const name = `rule-${String(k).padStart(4, '0')}`;
    rules.push(
      Object.freeze({
        name,
        action,
        outcome,
        ...(environment === undefined ? {} : { environment }),
        ...(when === undefined ? {} : { when }),
      }),
    );
  }
  return Object.freeze(rules);
}

/** The ActionInput our engine receives; the other engines are given the same object. */
export function actionInput(action, environment) {
  return Object.freeze({
    action,
    params: Object.freeze({}),
    context: Object.freeze({ environment }),
    requester: Object.freeze({ kind: 'agent', id: 'bot', teams: Object.freeze([]) }),
  });
}

/**
 * Queries drawn from the universe: half aimed at a rule (its exact action, or an action
 * under its service prefix), half uniform over all 50 services (many of them misses),
 * each in a random environment.
 */
export function generateQueries({ rules, count, seed }) {
  const random = createRandom(seed);
  const queries = [];
  for (let q = 0; q < count; q++) {
    let action;
    if (random() < 0.5) {
      const rule = pick(random, rules);
      action = rule.action.endsWith('.**')
        ? `${rule.action.slice(0, -2)}res${Math.floor(random() * UNIVERSE.resources)}.${pick(random, OPERATIONS)}`
        : rule.action;
    } else {
      action = actionName(
        Math.floor(random() * UNIVERSE.services),
        Math.floor(random() * UNIVERSE.resources),
        Math.floor(random() * UNIVERSE.operations),
      );
    }
    queries.push(actionInput(action, pick(random, ENVIRONMENTS)));
  }
  return Object.freeze(queries);
}

/**
 * Queries cycling through `services` × 10 × 6 distinct action names in a shuffled but
 * fixed order: more distinct names than a per-name memo of a few thousand entries holds,
 * so they measure the lookup path rather than the memo.
 */
export function generateDistinctNameQueries({ services, seed }) {
  const random = createRandom(seed);
  const names = universeActions(services);
  for (let i = names.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [names[i], names[j]] = [names[j], names[i]];
  }
  return Object.freeze(names.map((name, i) => actionInput(name, ENVIRONMENTS[i % 2])));
}
