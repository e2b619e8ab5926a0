import { describe, expect, it } from 'vitest';
import { actionMatches, decideByReference } from './reference-decider.js';
import { actionInput, PROD_CONDITION } from './rule-set-generator.js';

describe('actionMatches', () => {
  it('matches an exact name, and a prefix on one or more further segments only', () => {
    expect(actionMatches('svc1.res2.read', 'svc1.res2.read')).toBe(true);
    expect(actionMatches('svc1.res2.read', 'svc1.res2.list')).toBe(false);
    expect(actionMatches('svc1.**', 'svc1.res2.read')).toBe(true);
    expect(actionMatches('svc1.**', 'svc1.x')).toBe(true);
    expect(actionMatches('svc1.**', 'svc10.res2.read')).toBe(false);
    expect(actionMatches('svc1.**', 'svc1')).toBe(false);
  });
});

describe('decideByReference', () => {
  const rules = [
    { name: 'a', action: 'svc1.**', outcome: 'allow' },
    { name: 'r', action: 'svc1.res1.read', outcome: 'require' },
    { name: 'd', action: 'svc1.res1.read', environment: 'prod', outcome: 'deny' },
    { name: 'c', action: 'svc2.res1.read', outcome: 'deny', when: PROD_CONDITION },
  ];
  const cases = [
    ['svc1.res1.read', 'prod', 'deny'],
    ['svc1.res1.read', 'staging', 'require'],
    ['svc1.res2.read', 'prod', 'allow'],
    ['svc2.res1.read', 'prod', 'deny'],
    ['svc2.res1.read', 'staging', 'allow'],
    ['svc3.res1.read', 'prod', 'allow'],
  ];
  for (const [action, environment, outcome] of cases) {
    it(`${action} in ${environment} → ${outcome}`, () => {
      expect(decideByReference(rules, actionInput(action, environment))).toBe(outcome);
    });
  }

  it('refuses a condition it does not know', () => {
    const odd = [{ name: 'x', action: 'svc1.**', outcome: 'deny', when: 'true' }];
    expect(() => decideByReference(odd, actionInput('svc1.a.b', 'prod'))).toThrow(/cannot read condition/);
  });
});
