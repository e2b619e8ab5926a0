import { describe, expect, it } from 'vitest';
import { decideByReference, ruleMatches } from './reference-decider.js';
import {
  createRandom,
  generateDistinctNameQueries,
  generateQueries,
  generateRuleSet,
  PROD_CONDITION,
  RULE_SERVICES,
} from './rule-set-generator.js';

const ACTION = /^svc(\d+)\.(res\d\.(read|list|create|update|delete|execute)|\*\*)$/;

describe('createRandom', () => {
  it('repeats for a seed and differs between seeds', () => {
    const a = createRandom(7);
    const b = createRandom(7);
    const c = createRandom(8);
    const first = [a(), a(), a()];
    expect([b(), b(), b()]).toEqual(first);
    expect([c(), c(), c()]).not.toEqual(first);
    for (const value of first) expect(value >= 0 && value < 1).toBe(true);
  });
});

describe('generateRuleSet', () => {
  it('is deterministic for a seed', () => {
    expect(generateRuleSet({ count: 200, seed: 3 })).toEqual(generateRuleSet({ count: 200, seed: 3 }));
    expect(generateRuleSet({ count: 200, seed: 3 })).not.toEqual(generateRuleSet({ count: 200, seed: 4 }));
  });

  it('writes well-formed rules over the first services only, with unique names', () => {
    const rules = generateRuleSet({ count: 1000, seed: 11 });
    expect(rules).toHaveLength(1000);
    expect(new Set(rules.map((rule) => rule.name)).size).toBe(1000);
    for (const rule of rules) {
      const match = ACTION.exec(rule.action);
      expect(match, rule.action).not.toBeNull();
      expect(Number(match?.[1])).toBeLessThan(RULE_SERVICES);
      expect([undefined, 'prod', 'staging']).toContain(rule.environment);
      expect(rule.when).toBeUndefined();
    }
  });

  it('mixes outcomes about 50 / 15 / 35 and matching about 90 / 10 exact / prefix', () => {
    const rules = generateRuleSet({ count: 1000, seed: 11 });
    const share = (predicate) => rules.filter(predicate).length / rules.length;
    expect(share((r) => r.outcome === 'allow')).toBeGreaterThan(0.44);
    expect(share((r) => r.outcome === 'allow')).toBeLessThan(0.56);
    expect(share((r) => r.outcome === 'deny')).toBeGreaterThan(0.1);
    expect(share((r) => r.outcome === 'deny')).toBeLessThan(0.2);
    expect(share((r) => r.outcome === 'require')).toBeGreaterThan(0.29);
    expect(share((r) => r.outcome === 'require')).toBeLessThan(0.41);
    expect(share((r) => r.action.endsWith('.**'))).toBeGreaterThan(0.06);
    expect(share((r) => r.action.endsWith('.**'))).toBeLessThan(0.14);
  });

  it('adds the CEL condition to about the given share and leaves the rules otherwise alike', () => {
    const plain = generateRuleSet({ count: 1000, seed: 5 });
    const withCel = generateRuleSet({ count: 1000, seed: 5, conditionShare: 0.1 });
    const conditioned = withCel.filter((rule) => rule.when !== undefined);
    expect(conditioned.length).toBeGreaterThan(60);
    expect(conditioned.length).toBeLessThan(140);
    for (const rule of conditioned) expect(rule.when).toBe(PROD_CONDITION);
    expect(withCel.map(({ when, ...rest }) => rest)).toEqual(plain);
  });
});

describe('generateQueries', () => {
  const rules = generateRuleSet({ count: 200, seed: 1 });
  const queries = generateQueries({ rules, count: 2000, seed: 2 });

  it('draws hits and misses in both environments, with every outcome', () => {
    const hits = queries.filter((query) => rules.some((rule) => ruleMatches(rule, query))).length;
    expect(hits).toBeGreaterThan(400);
    expect(hits).toBeLessThan(1600);
    const environments = new Set(queries.map((query) => query.context.environment));
    expect([...environments].sort()).toEqual(['prod', 'staging']);
    const outcomes = new Set(queries.map((query) => decideByReference(rules, query)));
    expect([...outcomes].sort()).toEqual(['allow', 'deny', 'require']);
  });

  it('builds frozen ActionInputs from the universe', () => {
    const [query] = queries;
    expect(Object.isFrozen(query)).toBe(true);
    expect(query.requester).toEqual({ kind: 'agent', id: 'bot', teams: [] });
    for (const { action } of queries) expect(action).toMatch(ACTION);
  });
});

describe('generateDistinctNameQueries', () => {
  it('gives every name of the larger universe exactly once', () => {
    const queries = generateDistinctNameQueries({ services: 100, seed: 9 });
    expect(queries).toHaveLength(6000);
    expect(new Set(queries.map((query) => query.action)).size).toBe(6000);
  });
});
