import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createCasbinEngine, toCasbinLine, toCasbinPolicy } from './casbin-engine.js';
import { createCedarEngine, createCedarStatelessEngine, toCedarPolicy } from './cedar-engine.js';
import { decideByReference } from './reference-decider.js';
import { actionInput, OPERATIONS } from './rule-set-generator.js';

/** Every translated engine runs the same suite (one suite over every engine). */
const ENGINES = [
  ['cedar (preparsed)', async (rules) => createCedarEngine(rules)],
  ['cedar (isAuthorized)', async (rules) => createCedarStatelessEngine(rules)],
  ['casbin', (rules) => createCasbinEngine(rules)],
];

const HAND_RULES = [
  { name: 'allow-svc1', action: 'svc1.**', outcome: 'allow' },
  { name: 'require-read', action: 'svc1.res1.read', outcome: 'require' },
  { name: 'deny-read-prod', action: 'svc1.res1.read', environment: 'prod', outcome: 'deny' },
  { name: 'require-svc2-staging', action: 'svc2.**', environment: 'staging', outcome: 'require' },
  { name: 'allow-svc2-list', action: 'svc2.res0.list', outcome: 'allow' },
];

const HAND_CASES = [
  ['svc1.res1.read', 'prod', 'deny'], // deny overrides require and allow
  ['svc1.res1.read', 'staging', 'require'], // require over allow
  ['svc1.res9.list', 'prod', 'allow'], // prefix allow
  ['svc10.res1.read', 'prod', 'allow'], // svc1.** must not catch svc10: default
  ['svc2.res0.list', 'staging', 'require'],
  ['svc2.res0.list', 'prod', 'allow'],
  ['svc2.res3.read', 'prod', 'allow'], // nothing matches: default allow
];

const ruleArbitrary = fc.record(
  {
    service: fc.integer({ min: 0, max: 11 }),
    prefix: fc.boolean(),
    resource: fc.integer({ min: 0, max: 1 }),
    operation: fc.integer({ min: 0, max: 1 }),
    environment: fc.constantFrom(undefined, 'prod', 'staging'),
    outcome: fc.constantFrom('allow', 'deny', 'require'),
  },
  { requiredKeys: ['service', 'prefix', 'resource', 'operation', 'outcome'] },
);

function toRules(specs) {
  return specs.map((spec, i) => ({
    name: `rule-${i}`,
    action: spec.prefix
      ? `svc${spec.service}.**`
      : `svc${spec.service}.res${spec.resource}.${OPERATIONS[spec.operation]}`,
    outcome: spec.outcome,
    ...(spec.environment === undefined ? {} : { environment: spec.environment }),
  }));
}

const queryArbitrary = fc
  .tuple(
    fc.integer({ min: 0, max: 11 }),
    fc.integer({ min: 0, max: 1 }),
    fc.integer({ min: 0, max: 1 }),
    fc.constantFrom('prod', 'staging'),
  )
  .map(([s, r, o, environment]) => actionInput(`svc${s}.res${r}.${OPERATIONS[o]}`, environment));

for (const [name, create] of ENGINES) {
  describe(name, () => {
    for (const [action, environment, outcome] of HAND_CASES) {
      it(`${action} in ${environment} → ${outcome}`, async () => {
        const engine = await create(HAND_RULES);
        expect(decideByReference(HAND_RULES, actionInput(action, environment))).toBe(outcome);
        expect(engine.decide(actionInput(action, environment))).toBe(outcome);
      });
    }

    it('decides like the reference on random rule sets (property)', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(ruleArbitrary, { maxLength: 12 }),
          fc.array(queryArbitrary, { minLength: 1, maxLength: 20 }),
          async (specs, queries) => {
            const rules = toRules(specs);
            const engine = await create(rules);
            for (const query of queries) expect(engine.decide(query)).toBe(decideByReference(rules, query));
          },
        ),
        { numRuns: name.includes('isAuthorized') ? 40 : 150 },
      );
    });
  });
}

describe('translations', () => {
  it('writes one Cedar policy per rule: forbid for deny, action scope for exact names, like for prefixes', () => {
    expect(toCedarPolicy({ name: 'd', action: 'svc1.res1.read', environment: 'prod', outcome: 'deny' })).toBe(
      'forbid (principal, action == Action::"svc1.res1.read", resource) when { context.environment == "prod" };',
    );
    expect(toCedarPolicy({ name: 'r', action: 'svc1.**', outcome: 'require' })).toBe(
      'permit (principal, action, resource) when { context.action like "svc1.*" };',
    );
  });

  it('writes casbin lines with the outcome as a field, deny lines first', () => {
    expect(toCasbinLine({ name: 'r', action: 'svc1.**', outcome: 'require' })).toBe(
      'p, svc1.*, *, allow, 2, require, r',
    );
    const policy = toCasbinPolicy(HAND_RULES).split('\n');
    expect(policy.map((line) => line.split(', ')[5])).toEqual([
      'deny',
      'require',
      'require',
      'allow',
      'allow',
    ]);
  });

  it('refuses rules with CEL conditions rather than dropping them', () => {
    const rule = { name: 'c', action: 'svc1.**', outcome: 'deny', when: "context.environment == 'prod'" };
    expect(() => toCedarPolicy(rule)).toThrow(/CEL/);
    expect(() => toCasbinLine(rule)).toThrow(/CEL/);
  });
});
