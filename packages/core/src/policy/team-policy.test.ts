import { describe, expect, it } from 'vitest';
import { GatehouseError } from '../errors.js';
import { parsePolicy } from './policy-parser.js';
import { diagnosticsAt, expectPolicy, messagesOf, positionOf, yaml } from './policy-parser.test-support.js';
import type { Policy, Rule } from './policy-types.js';
import { mergePolicies, parseTeamPolicy } from './team-policy.js';

const ORG = expectPolicy(
  parsePolicy(
    yaml(
      'defaults: { expiresIn: 2h, grantTtl: 5m }',
      'groups: { security: { users: [carol, dave] } }',
      'approvalPolicies:',
      '  - { action: shell.execute, requireApproval: true }',
      'rules:',
      '  - { name: reads, match: { action: "logs.*" }, allow: true }',
    ),
    'org.yaml',
  ),
);

const INFRA = yaml(
  'team: infra',
  'rules:',
  '  - name: terraform',
  '    match: { action: terraform.apply, team: infra }',
  '    require: { stages: [{ approvers: { group: security }, min: 2 }] }',
  '  - name: no-drops',
  '    match: { action: "db.*.drop" }',
  '    deny: "not by agents"',
  '    selfApproval: false',
);

describe('parseTeamPolicy', () => {
  it('scopes every rule to the team and records the team as origin', () => {
    const policy = expectPolicy(parseTeamPolicy(INFRA, 'infra.yaml', 'infra'));
    expect(
      policy.rules.map((rule) => [rule.name, rule.match.teams, rule.origin, rule.position.line]),
    ).toEqual([
      ['terraform', ['infra'], { team: 'infra' }, 3],
      ['no-drops', ['infra'], { team: 'infra' }, 6],
    ]);
    expect(Object.isFrozen(policy.rules[0]?.match.teams)).toBe(true);
  });

  it('takes defaults from the organisation policy when given, the built-in ones otherwise', () => {
    const expiry = (policy: Policy) => {
      const outcome = policy.rules[0]?.outcome;
      return outcome?.kind === 'require' ? [outcome.requirement.expiresIn, outcome.requirement.grantTtl] : [];
    };
    expect(expiry(expectPolicy(parseTeamPolicy(INFRA, 'infra.yaml', 'infra', { org: ORG })))).toEqual([
      7_200_000, 300_000,
    ]);
    expect(expiry(expectPolicy(parseTeamPolicy(INFRA, 'infra.yaml', 'infra')))).toEqual([
      86_400_000, 600_000,
    ]);
  });

  it('checks group names against the organisation policy only when it is given', () => {
    const text = yaml(
      'rules:',
      '  - { name: r, match: { action: a.b }, require: { stages: [{ approvers: { group: ops } }] } }',
    );
    expect(parseTeamPolicy(text, 't.yaml', 'infra').ok).toBe(true);
    expect(diagnosticsAt(parseTeamPolicy(text, 't.yaml', 'infra', { org: ORG }))).toEqual([
      { ...positionOf(text, 2, 'ops'), code: 'unknown-group' },
    ]);
  });

  it('refuses everything that would remove or loosen a gate', () => {
    const text = yaml(
      'team: infra',
      'defaults: { decision: deny }',
      'groups: { ops: { users: [a] } }',
      'approvalPolicies: []',
      'rules:',
      '  - { name: a, match: { action: a.b }, allow: true }',
      '  - { name: b, match: { action: a.b, team: [infra, web] }, deny: "x" }',
      '  - name: c',
      '    match: { action: a.b }',
      '    selfApproval: true',
      '    require: { stages: [{ approvers: { role: user } }] }',
      '    override: { by: [admin] }',
    );
    const result = parseTeamPolicy(text, 't.yaml', 'infra');
    expect(diagnosticsAt(result)).toEqual([
      { line: 2, column: 1, code: 'team-policy-forbidden' },
      { line: 3, column: 1, code: 'team-policy-forbidden' },
      { line: 4, column: 1, code: 'team-policy-forbidden' },
      { ...positionOf(text, 6, 'allow'), code: 'team-policy-forbidden' },
      { ...positionOf(text, 7, 'web'), code: 'team-policy-forbidden' },
      { ...positionOf(text, 10, 'true'), code: 'team-policy-forbidden' },
      { ...positionOf(text, 12, 'override'), code: 'team-policy-forbidden' },
    ]);
    expect(messagesOf(result)[0]).toBe(
      '"defaults" belongs in the organisation policy, not a team policy; expected only: $schema, version, team, rules',
    );
  });

  it('requires the team key, when present, to name the team, and refuses other keys', () => {
    const text = yaml('team: web', 'colour: red', 'rules: []');
    expect(diagnosticsAt(parseTeamPolicy(text, 't.yaml', 'infra'))).toEqual([
      { line: 1, column: 7, code: 'invalid-value' },
      { line: 2, column: 1, code: 'unknown-key' },
    ]);
    expect(parseTeamPolicy(yaml('rules: []'), 't.yaml', 'infra').ok).toBe(true);
  });

  it('calls a team policy without rules empty', () => {
    expect(diagnosticsAt(parseTeamPolicy('team: infra\n', 't.yaml', 'infra'))).toEqual([
      { line: 1, column: 1, code: 'empty-policy' },
    ]);
    expect(messagesOf(parseTeamPolicy('', 't.yaml', 'infra'))).toEqual([
      'the team policy is empty; expected rules',
    ]);
  });

  it('checks team and user names against a directory', () => {
    const text = yaml(
      'rules:',
      '  - { name: r, match: { action: a.b }, require: { stages: [{ approvers: [{ team: sre }, { users: [zed] }] }] } }',
    );
    expect(
      diagnosticsAt(parseTeamPolicy(text, 't.yaml', 'infra', { directory: { teams: ['infra'], users: [] } })),
    ).toEqual([
      { ...positionOf(text, 2, 'sre'), code: 'unknown-team' },
      { ...positionOf(text, 2, 'zed'), code: 'unknown-user' },
    ]);
  });
});

describe('mergePolicies', () => {
  const infra = expectPolicy(parseTeamPolicy(INFRA, 'infra.yaml', 'infra', { org: ORG }));
  const web = expectPolicy(
    parseTeamPolicy(
      yaml('rules:', '  - { name: web-deploys, match: { action: deploy.web }, deny: "x" }'),
      'web.yaml',
      'web',
    ),
  );

  it('appends team rules after the organisation rules, in the order given, keeping org defaults and groups', () => {
    const merged = mergePolicies(ORG, [infra, web]);
    expect(merged.rules.map((rule) => [rule.name, rule.origin])).toEqual([
      ['approvalPolicies[0]', 'org'],
      ['reads', 'org'],
      ['terraform', { team: 'infra' }],
      ['no-drops', { team: 'infra' }],
      ['web-deploys', { team: 'web' }],
    ]);
    expect(merged.defaults).toBe(ORG.defaults);
    expect(merged.groups).toBe(ORG.groups);
    expect(merged.v).toBe(1);
    expect(Object.isFrozen(merged) && Object.isFrozen(merged.rules)).toBe(true);
    expect(mergePolicies(ORG, []).rules).toEqual(ORG.rules);
  });

  it('joins the sources of every policy', () => {
    const withDirectory = expectPolicy(
      parseTeamPolicy(INFRA, 'infra.yaml', 'infra', {
        org: ORG,
        directory: { teams: ['infra'], users: ['carol', 'dave'] },
      }),
    );
    expect(mergePolicies(ORG, [withDirectory, web]).sources).toEqual([
      'team:infra',
      'user:carol',
      'user:dave',
    ]);
  });

  it('refuses organisation rules passed as team rules, and groups the organisation lacks', () => {
    expect(() => mergePolicies(ORG, [ORG])).toThrow(GatehouseError);
    const unchecked = expectPolicy(
      parseTeamPolicy(
        yaml(
          'rules:',
          '  - { name: r, match: { action: a.b }, require: { stages: [{ approvers: { group: ghosts } }] } }',
        ),
        't.yaml',
        'infra',
      ),
    );
    const thrown = (() => {
      try {
        mergePolicies(ORG, [unchecked]);
      } catch (error) {
        return error;
      }
      return undefined;
    })();
    expect(thrown).toBeInstanceOf(GatehouseError);
    expect(thrown).toMatchObject({
      code: 'unknown-group',
      data: { rule: 'r', group: 'ghosts', team: 'infra' },
    });
    expect((thrown as Error).message).toContain('names the group "ghosts"');
  });

  it('leaves its inputs untouched', () => {
    const before: readonly Rule[] = ORG.rules;
    mergePolicies(ORG, [infra]);
    expect(ORG.rules).toBe(before);
    expect(ORG.rules).toHaveLength(2);
  });
});
