import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compilePolicy } from './policy-compiler.js';
import { parsePolicy } from './policy-parser.js';
import { expectPolicy, yaml } from './policy-parser.test-support.js';
import { DEFAULT_POLICY_DEFAULTS, type Rule } from './policy-types.js';

const DAY = 86_400_000;
const SEED = yaml(
  'approvalPolicies:',
  '  - action: shell.execute',
  '    requireApproval: true',
  '  - action: plugin.install.community',
  '    requireModeratorApproval: true',
  '  - action: proxmox.vm.delete',
  '    requireAdminApproval: true',
);

function seedRule(index: number, action: string, role: 'user' | 'moderator' | 'admin', line: number): Rule {
  const name = `approvalPolicies[${index}]`;
  return {
    name,
    match: { actions: [action] },
    outcome: {
      kind: 'require',
      requirement: {
        stages: [{ approvers: [{ kind: 'role', role }], min: 1, denyMin: 1, name: `${name}#1` }],
        expiresIn: DAY,
        onTimeout: 'deny',
        grantTtl: 600_000,
      },
    },
    selfApproval: false,
    origin: 'org',
    position: { file: 'seed.yaml', line, column: 5 },
  };
}

describe('parsePolicy: the seed form', () => {
  it('maps each entry to a one-stage rule, exactly', () => {
    const policy = expectPolicy(parsePolicy(SEED, 'seed.yaml'));
    expect(policy).toEqual({
      v: 1,
      defaults: DEFAULT_POLICY_DEFAULTS,
      groups: new Map(),
      rules: [
        seedRule(0, 'shell.execute', 'user', 2),
        seedRule(1, 'plugin.install.community', 'moderator', 4),
        seedRule(2, 'proxmox.vm.delete', 'admin', 6),
      ],
      sources: [],
    });
  });

  it('lets the most demanding flag win when several are true', () => {
    const role = (flags: string) => {
      const policy = expectPolicy(
        parsePolicy(yaml('approvalPolicies:', `  - { action: a.b, ${flags} }`), 'p.yaml'),
      );
      const outcome = policy.rules[0]?.outcome;
      return outcome?.kind === 'require' ? outcome.requirement.stages[0]?.approvers : undefined;
    };
    expect(role('requireApproval: true, requireAdminApproval: true')).toEqual([
      { kind: 'role', role: 'admin' },
    ]);
    expect(role('requireApproval: true, requireModeratorApproval: true')).toEqual([
      { kind: 'role', role: 'moderator' },
    ]);
    expect(role('requireApproval: true, requireModeratorApproval: false')).toEqual([
      { kind: 'role', role: 'user' },
    ]);
  });

  it('picks the most demanding role for any combination of flags (property)', () => {
    const flag = fc.option(fc.boolean(), { nil: undefined });
    fc.assert(
      fc.property(flag, flag, flag, (any, moderator, admin) => {
        const keys = [
          any === undefined ? '' : `requireApproval: ${any}`,
          moderator === undefined ? '' : `requireModeratorApproval: ${moderator}`,
          admin === undefined ? '' : `requireAdminApproval: ${admin}`,
        ].filter((key) => key !== '');
        const result = parsePolicy(
          yaml('approvalPolicies:', `  - { action: x.y${keys.map((k) => `, ${k}`).join('')} }`),
          'p.yaml',
        );
        const expected = admin ? 'admin' : moderator ? 'moderator' : any ? 'user' : undefined;
        if (expected === undefined) {
          expect(result.ok).toBe(false);
          return;
        }
        const rule = expectPolicy(result).rules[0];
        expect(rule?.outcome.kind === 'require' && rule.outcome.requirement.stages[0]?.approvers).toEqual([
          { kind: 'role', role: expected },
        ]);
      }),
    );
  });

  it('takes an optional name and the file defaults, and accepts an action glob', () => {
    const policy = expectPolicy(
      parsePolicy(
        yaml(
          'defaults: { expiresIn: 2h, grantTtl: 1m, onTimeout: escalate }',
          'approvalPolicies:',
          '  - { name: vms, action: "proxmox.vm.*", requireAdminApproval: true }',
        ),
        'p.yaml',
      ),
    );
    expect(policy.rules[0]).toMatchObject({
      name: 'vms',
      match: { actions: ['proxmox.vm.*'] },
      outcome: {
        requirement: {
          expiresIn: 2 * 3_600_000,
          grantTtl: 60_000,
          onTimeout: 'escalate',
          stages: [{ name: 'vms#1' }],
        },
      },
    });
  });

  it('puts seed rules before full-form rules, wherever they are written', () => {
    const text = yaml(
      'rules:',
      '  - { name: r, match: { action: a.b }, deny: "no" }',
      'approvalPolicies:',
      '  - { action: c.d, requireApproval: true }',
    );
    expect(expectPolicy(parsePolicy(text, 'p.yaml')).rules.map((rule) => rule.name)).toEqual([
      'approvalPolicies[0]',
      'r',
    ]);
  });
});

describe('parsePolicy: the full form', () => {
  const FULL = yaml(
    'defaults: { decision: deny, expiresIn: 24h, onTimeout: deny, grantTtl: 10m }',
    'groups:',
    '  operators: { teams: [infra], users: [alice, alice] }',
    'rules:',
    '  - name: prod-deploys',
    '    match: { action: "deploy.*", environment: prod }',
    `    when: "context.risk in ['medium', 'high']"`,
    '    require:',
    '      stages:',
    '        - { approvers: { team: $requester.team }, min: 1 }',
    '        - { approvers: { role: moderator }, min: 2, denyMin: 2, name: mods }',
    '      expiresIn: 4h',
    '    override: { by: [admin], justification: required }',
    '    risk: high',
    '  - name: everything',
    '    match:',
    '      action: [shell.execute, "shell.*", shell.execute]',
    '      environment: [dev, prod]',
    '      team: infra',
    '      requester: [agent:ci-bot, user:alice]',
    '      agent: ci-bot',
    '      command: ["git push*", "rm -rf *"]',
    '    selfApproval: true',
    '    risk: low',
    '    require:',
    '      stages:',
    '        - approvers: [{ group: operators }, { users: [bob, carol] }, { team: web }]',
    '      onTimeout: approve',
    '      grantTtl: 24h',
    '    override: { by: moderator, justification: optional }',
    '  - { name: reads, match: { action: "logs.**" }, allow: true }',
  );

  it('builds the AST of DESIGN §3', () => {
    const policy = expectPolicy(parsePolicy(FULL, 'full.yaml'));
    expect(policy.defaults).toEqual({
      decision: 'deny',
      expiresIn: DAY,
      onTimeout: 'deny',
      grantTtl: 600_000,
    });
    expect(policy.groups).toEqual(
      new Map([['operators', { name: 'operators', users: ['alice'], teams: ['infra'] }]]),
    );
    const [deploys, everything, reads] = policy.rules;
    expect(deploys).toEqual({
      name: 'prod-deploys',
      match: { actions: ['deploy.*'], environments: ['prod'] },
      when: "context.risk in ['medium', 'high']",
      outcome: {
        kind: 'require',
        requirement: {
          stages: [
            { approvers: [{ kind: 'requester-team' }], min: 1, denyMin: 1, name: 'prod-deploys#1' },
            { approvers: [{ kind: 'role', role: 'moderator' }], min: 2, denyMin: 2, name: 'mods' },
          ],
          expiresIn: 4 * 3_600_000,
          onTimeout: 'deny',
          grantTtl: 600_000,
        },
      },
      risk: 'high',
      selfApproval: false,
      override: { by: ['admin'], justificationRequired: true },
      origin: 'org',
      position: { file: 'full.yaml', line: 5, column: 5 },
    });
    expect(everything).toMatchObject({
      match: {
        actions: ['shell.execute', 'shell.*'],
        environments: ['dev', 'prod'],
        teams: ['infra'],
        requesters: ['agent:ci-bot', 'user:alice'],
        agents: ['ci-bot'],
        commands: ['git push*', 'rm -rf *'],
      },
      selfApproval: true,
      risk: 'low',
      outcome: {
        requirement: {
          stages: [
            {
              approvers: [
                { kind: 'group', group: 'operators' },
                { kind: 'users', users: ['bob', 'carol'] },
                { kind: 'team', team: 'web' },
              ],
              min: 1,
              denyMin: 1,
              name: 'everything#1',
            },
          ],
          onTimeout: 'approve',
          grantTtl: DAY,
          expiresIn: DAY,
        },
      },
      override: { by: ['moderator'], justificationRequired: false },
      position: { line: 15, column: 5 },
    });
    expect(reads).toEqual({
      name: 'reads',
      match: { actions: ['logs.**'] },
      outcome: { kind: 'allow' },
      selfApproval: false,
      origin: 'org',
      position: { file: 'full.yaml', line: 31, column: 5 },
    });
    // The compiler accepts what the parser builds.
    expect(compilePolicy(policy, 'v1').rules).toHaveLength(3);
  });

  it('fills missing defaults from DEFAULT_POLICY_DEFAULTS', () => {
    const policy = expectPolicy(parsePolicy(yaml('defaults: { decision: deny }'), 'p.yaml'));
    expect(policy.defaults).toEqual({ ...DEFAULT_POLICY_DEFAULTS, decision: 'deny' });
    expect(policy.rules).toEqual([]);
  });

  it('accepts $schema, version 1, an empty rules list and YAML anchors', () => {
    const text = yaml(
      '$schema: ../policy.schema.json',
      'version: 1',
      'rules:',
      '  - name: a',
      '    match: { action: a.b }',
      '    require: { stages: &two-mods [{ approvers: { role: moderator }, min: 2 }] }',
      '  - name: b',
      '    match: { action: c.d }',
      '    require: { stages: *two-mods }',
    );
    const [a, b] = expectPolicy(parsePolicy(text, 'p.yaml')).rules;
    const stagesOf = (rule: Rule | undefined) =>
      rule?.outcome.kind === 'require' ? rule.outcome.requirement.stages : [];
    expect(stagesOf(b)).toEqual([{ ...stagesOf(a)[0], name: 'b#1' }]);
    expect(expectPolicy(parsePolicy('rules: []\n', 'p.yaml')).rules).toEqual([]);
  });
});

describe('parsePolicy: the result is deeply frozen', () => {
  it('freezes the policy, its rules, their parts and the groups map', () => {
    const policy = expectPolicy(
      parsePolicy(
        yaml(
          'groups: { ops: { users: [alice] } }',
          'rules:',
          '  - { name: r, match: { action: a.b }, require: { stages: [{ approvers: { group: ops } }] } }',
        ),
        'p.yaml',
      ),
    );
    const rule = policy.rules[0]!;
    const stage = rule.outcome.kind === 'require' ? rule.outcome.requirement.stages[0] : undefined;
    for (const value of [
      policy,
      policy.defaults,
      policy.rules,
      rule,
      rule.match,
      rule.match.actions,
      rule.position,
      stage,
      stage?.approvers,
      policy.sources,
    ]) {
      expect(Object.isFrozen(value)).toBe(true);
    }
    expect(() => (policy.rules as Rule[]).push(rule)).toThrow(TypeError);
    const groups = policy.groups as Map<string, unknown>;
    expect(() => groups.set('x', {})).toThrow(TypeError);
    expect(() => groups.delete('ops')).toThrow(TypeError);
    expect(() => groups.clear()).toThrow(TypeError);
    expect(Object.isFrozen(policy.groups.get('ops')?.users)).toBe(true);
    expect(policy.groups.get('ops')).toEqual({ name: 'ops', users: ['alice'], teams: [] });
  });

  it('freezes the diagnostics too', () => {
    const result = parsePolicy('rules: 3\n', 'p.yaml');
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(Object.isFrozen(result.diagnostics)).toBe(true);
      expect(Object.isFrozen(result.diagnostics[0]?.position)).toBe(true);
    }
  });
});
