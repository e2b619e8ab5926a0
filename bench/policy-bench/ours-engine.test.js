import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { createOurEngine } from './ours-engine.js';
import { toPolicyYaml } from './policy-yaml-writer.js';
import { actionInput, PROD_CONDITION } from './rule-set-generator.js';

const RULES = [
  { name: 'rule-0000', action: 'svc1.**', outcome: 'allow' },
  { name: 'rule-0001', action: 'svc1.res1.read', environment: 'prod', outcome: 'deny' },
  { name: 'rule-0002', action: 'svc2.res0.list', outcome: 'require', when: PROD_CONDITION },
];

/** A fake core that reads the YAML back with the yaml package, to test the checks around the real one. */
function fakeCore(edit = (policy) => policy) {
  return {
    parsePolicy(text) {
      const doc = parse(text);
      const rules = doc.rules.map((rule) => ({
        name: rule.name,
        match: {
          actions: [rule.match.action],
          ...(rule.match.environment ? { environments: [rule.match.environment] } : {}),
        },
        ...(rule.when ? { when: rule.when } : {}),
        outcome: { kind: rule.allow ? 'allow' : rule.deny ? 'deny' : 'require' },
      }));
      return { ok: true, policy: edit({ rules }) };
    },
    compilePolicy: (policy, version) => ({ policy, version }),
    evaluateAction: () => ({ outcome: 'require' }),
  };
}

describe('toPolicyYaml', () => {
  it('writes every rule with its match, condition and outcome', () => {
    const doc = parse(toPolicyYaml(RULES));
    expect(doc.defaults).toEqual({ decision: 'allow' });
    expect(doc.rules).toEqual([
      { name: 'rule-0000', match: { action: 'svc1.**' }, allow: true },
      {
        name: 'rule-0001',
        match: { action: 'svc1.res1.read', environment: 'prod' },
        deny: 'rule-0001 denies this action',
      },
      {
        name: 'rule-0002',
        match: { action: 'svc2.res0.list' },
        when: PROD_CONDITION,
        require: { stages: [{ approvers: { role: 'moderator' }, min: 1 }] },
      },
    ]);
  });
});

describe('createOurEngine', () => {
  it('parses, compiles and decides through the core it is given', () => {
    const engine = createOurEngine(fakeCore(), RULES, { name: 'ours', version: 'v' });
    expect(engine.decide(actionInput('svc1.res1.read', 'prod'))).toBe('require');
  });

  it('refuses a parsed policy that differs from the generated rules', () => {
    const dropEnvironment = (policy) => ({
      rules: policy.rules.map((rule) => ({ ...rule, match: { actions: rule.match.actions } })),
    });
    expect(() => createOurEngine(fakeCore(dropEnvironment), RULES, { name: 'ours', version: 'v' })).toThrow(
      /rule-0001.*differs/,
    );
  });

  it('says to build first when the core does not export the API', () => {
    expect(() => createOurEngine({}, RULES, { name: 'ours', version: 'v' })).toThrow(
      /does not export parsePolicy/,
    );
  });

  it('reports the parser diagnostics of a policy that does not parse', () => {
    const core = {
      ...fakeCore(),
      parsePolicy: () => ({
        ok: false,
        diagnostics: [{ position: { line: 3, column: 5 }, code: 'unknown-key', message: 'unknown key "x"' }],
      }),
    };
    expect(() => createOurEngine(core, RULES, { name: 'ours', version: 'v' })).toThrow(/3:5 unknown key "x"/);
  });
});
