import { describe, expect, it } from 'vitest';
import { parsePolicy } from './policy-parser.js';
import { diagnosticsAt, expectPolicy, messagesOf, positionOf, yaml } from './policy-parser.test-support.js';

function rule(...lines: string[]): string {
  return yaml('rules:', ...lines);
}

describe('parsePolicy: diagnostics', () => {
  it('names the unknown key and the keys it expected, at the key', () => {
    const result = parsePolicy(
      yaml('approvalPolicies:', '  - action: shell.execute', '    requireApprovl: true'),
      'p.yaml',
    );
    expect(diagnosticsAt(result)).toEqual([
      { line: 2, column: 5, code: 'missing-outcome' },
      { line: 3, column: 5, code: 'unknown-key' },
    ]);
    expect(messagesOf(result)[1]).toBe(
      'unknown key "requireApprovl" in approvalPolicies[0]; expected one of: action, requireApproval, requireModeratorApproval, requireAdminApproval, name',
    );
    expect(messagesOf(result)[0]).toBe(
      'approvalPolicies[0] requires no approval; expected one of requireApproval / requireModeratorApproval / requireAdminApproval to be true',
    );
  });

  it('reports every problem at once, sorted by line then column, with the file name', () => {
    // The rule's own problems (missing outcome, at its first line) are found after its match's.
    const result = parsePolicy(
      rule('  - name: r', '    match: { action: a.b, colour: red, environment: 3 }', 'extra: true'),
      'dir/p.yaml',
    );
    expect(diagnosticsAt(result)).toEqual([
      { line: 2, column: 5, code: 'missing-outcome' },
      { line: 3, column: 27, code: 'unknown-key' },
      { line: 3, column: 53, code: 'wrong-type' },
      { line: 4, column: 1, code: 'unknown-key' },
    ]);
    expect(result.ok === false && result.diagnostics.every((d) => d.position.file === 'dir/p.yaml')).toBe(
      true,
    );
  });

  it('reports YAML syntax errors at their position and stops there', () => {
    const result = parsePolicy(yaml('rules:', '  - name: [unclosed', '    deny: x', 'nonsense: 1'), 'p.yaml');
    const found = diagnosticsAt(result);
    expect(found.length).toBeGreaterThan(0);
    expect(found.every((d) => d.code === 'yaml-syntax')).toBe(true);
    expect(found[0]?.line).toBe(3);
  });

  it('keeps walking after a repeated key, which leaves a well-formed tree', () => {
    const result = parsePolicy(yaml('rules: []', 'rules: []', 'colour: red'), 'p.yaml');
    expect(diagnosticsAt(result)).toEqual([
      { line: 2, column: 1, code: 'yaml-syntax' },
      { line: 3, column: 1, code: 'unknown-key' },
    ]);
    expect(messagesOf(result)[0]).toBe(
      'the key "rules" appears twice in one mapping; expected each key once',
    );
  });

  it.each([
    ['', 1, 1],
    ['   \n\n', 1, 1],
    ['# nothing\n', 1, 1],
    ['~\n', 1, 1],
    ['{}\n', 1, 1],
    ['$schema: x.json\n', 1, 1],
    ['\n\ngroups: { ops: { users: [a] } }\n', 3, 1],
  ])('calls %j empty', (text, line, column) => {
    const result = parsePolicy(text, 'p.yaml');
    expect(diagnosticsAt(result)).toEqual([{ line, column, code: 'empty-policy' }]);
    expect(messagesOf(result)).toEqual(['the policy is empty; expected approvalPolicies or rules']);
  });

  it.each(['- a\n', 'just text\n', '42\n'])('refuses a root that is not a mapping: %j', (text) => {
    expect(diagnosticsAt(parsePolicy(text, 'p.yaml'))).toEqual([
      { line: 1, column: 1, code: 'not-a-mapping' },
    ]);
  });

  it('refuses any version but 1', () => {
    expect(diagnosticsAt(parsePolicy('version: 2\nrules: []\n', 'p.yaml'))).toEqual([
      { line: 1, column: 10, code: 'unsupported-version' },
    ]);
    expect(diagnosticsAt(parsePolicy('version: "1"\nrules: []\n', 'p.yaml'))).toEqual([
      { line: 1, column: 10, code: 'wrong-type' },
    ]);
  });

  it('names the line of the first rule on a duplicate name, across both forms', () => {
    const text = yaml(
      'approvalPolicies:',
      '  - { name: gate, action: a.b, requireApproval: true }',
      'rules:',
      '  - { name: gate, match: { action: c.d }, deny: "x" }',
    );
    expect(diagnosticsAt(parsePolicy(text, 'p.yaml'))).toEqual([
      { line: 4, column: 13, code: 'duplicate-rule' },
    ]);
    expect(messagesOf(parsePolicy(text, 'p.yaml'))).toEqual([
      'the rule name "gate" is already used by the rule on line 2; expected a unique name',
    ]);
  });

  it('wants exactly one outcome, and override only on require rules', () => {
    const text = rule(
      '  - { name: none, match: { action: a.b } }',
      '  - { name: three, match: { action: a.b }, allow: true, deny: "x", require: { stages: [{ approvers: { role: user } }] } }',
      '  - { name: deny-override, match: { action: a.b }, deny: "x", override: { by: [admin] } }',
    );
    expect(diagnosticsAt(parsePolicy(text, 'p.yaml'))).toEqual([
      { line: 2, column: 5, code: 'missing-outcome' },
      { ...positionOf(text, 3, 'deny'), code: 'outcome-conflict' },
      { ...positionOf(text, 3, 'require'), code: 'outcome-conflict' },
      { ...positionOf(text, 4, 'override:'), code: 'outcome-conflict' },
    ]);
    expect(messagesOf(parsePolicy(text, 'p.yaml'))[1]).toBe(
      'rules[1] ("three") has both allow and deny; expected exactly one of allow, deny, require',
    );
  });

  it('allows command only when every action glob can match shell.execute', () => {
    for (const action of ['shell.execute', '"shell.*"', '"shell.exec*"', '"**"', '"shell.**"']) {
      expectPolicy(
        parsePolicy(
          rule(`  - { name: r, match: { action: ${action}, command: "git push*" }, deny: "x" }`),
          'p.yaml',
        ),
      );
    }
    const text = rule(
      '  - { name: r, match: { action: [shell.execute, "*.execute.*"], command: ls }, deny: "x" }',
    );
    const result = parsePolicy(text, 'p.yaml');
    expect(diagnosticsAt(result)).toEqual([
      { ...positionOf(text, 2, 'command'), code: 'command-needs-shell' },
    ]);
    expect(messagesOf(result)[0]).toMatch(/^command matching only applies to shell.execute/);
  });

  it('allows onTimeout: approve only with risk: low, and never as a default', () => {
    const text = (risk: string) =>
      rule(
        `  - { name: r, match: { action: a.b }, ${risk} require: { stages: [{ approvers: { role: user } }], onTimeout: approve } }`,
      );
    expectPolicy(parsePolicy(text('risk: low,'), 'p.yaml'));
    for (const risk of ['', 'risk: medium,', 'risk: critical,']) {
      const result = parsePolicy(text(risk), 'p.yaml');
      expect(diagnosticsAt(result).map((d) => d.code)).toEqual(['approve-needs-low-risk']);
      expect(messagesOf(result)[0]).toContain('onTimeout: approve is only allowed on rules with risk: low');
    }
    expect(diagnosticsAt(parsePolicy('defaults: { onTimeout: approve }\n', 'p.yaml'))).toEqual([
      { line: 1, column: 24, code: 'approve-needs-low-risk' },
    ]);
  });

  it('finds stages no one could ever satisfy, and accepts those someone could', () => {
    const text = (approvers: string, min: number) =>
      yaml(
        'groups: { sec: { users: [carol, dave] }, mixed: { users: [erin], teams: [infra] } }',
        'rules:',
        `  - { name: r, match: { action: a.b }, require: { stages: [{ approvers: ${approvers}, min: ${min} }] } }`,
      );
    const stage = (approvers: string, min: number) => parsePolicy(text(approvers, min), 'p.yaml');
    expect(stage('{ role: admin }', 1).ok).toBe(true);
    expect(stage('{ role: admin }', 2).ok).toBe(false);
    expect(stage('{ users: [a, b, a] }', 2).ok).toBe(true);
    expect(stage('{ users: [a, b, a] }', 3).ok).toBe(false);
    expect(stage('{ group: sec }', 2).ok).toBe(true);
    expect(stage('{ group: sec }', 3).ok).toBe(false);
    expect(stage('[{ group: sec }, { users: [carol, zoe] }, { role: admin }]', 4).ok).toBe(true);
    expect(stage('[{ group: sec }, { users: [carol, zoe] }, { role: admin }]', 5).ok).toBe(false);
    // Teams, moderators and users are open-ended: no bound is known, so nothing is reported.
    for (const open of [
      '{ group: mixed }',
      '{ role: moderator }',
      '{ team: infra }',
      '{ team: $requester.team }',
    ]) {
      expect(stage(open, 50).ok).toBe(true);
    }
    // At `min` when the bound is the problem; at the empty list when there is no one at all.
    expect(diagnosticsAt(stage('{ role: admin }', 2))).toEqual([
      { ...positionOf(text('{ role: admin }', 2), 3, '2 }'), code: 'unsatisfiable-stage' },
    ]);
    expect(diagnosticsAt(stage('{ users: [] }', 1))).toEqual([
      { ...positionOf(text('{ users: [] }', 1), 3, '[]'), code: 'unsatisfiable-stage' },
    ]);
    expect(diagnosticsAt(stage('[]', 1))).toEqual([
      { ...positionOf(text('[]', 1), 3, '[]'), code: 'unsatisfiable-stage' },
    ]);
  });

  it('checks group names and group contents', () => {
    const text = yaml(
      'groups:',
      '  ops: { users: [alice] }',
      '  Bad: { users: [bob] }',
      '  hollow: {}',
      'rules:',
      '  - { name: r, match: { action: a.b }, require: { stages: [{ approvers: [{ group: opz }, { group: Bad }] }] } }',
    );
    const result = parsePolicy(text, 'p.yaml');
    expect(diagnosticsAt(result)).toEqual([
      { line: 3, column: 3, code: 'invalid-value' },
      { ...positionOf(text, 4, '{}'), code: 'missing-key' },
      { ...positionOf(text, 6, 'opz'), code: 'unknown-group' },
    ]);
    expect(messagesOf(result)[2]).toBe(
      'rules[0].require.stages[0].approvers[0].group names the group "opz", which is not declared; expected one of: ops, Bad, hollow',
    );
  });
});

describe('parsePolicy: CEL errors point inside the expression', () => {
  const at = (whenLine: string, ...rest: string[]) =>
    diagnosticsAt(
      parsePolicy(
        rule('  - name: r', '    match: { action: a.b }', whenLine, ...rest, '    deny: "x"'),
        'p.yaml',
      ),
    );

  it('in a plain scalar: value start + offset', () => {
    // `nope` starts 17 characters into the expression; the value starts at column 11.
    expect(at('    when: params.x == 1 && nope')).toEqual([{ line: 4, column: 28, code: 'invalid-cel' }]);
  });

  it('in quoted scalars, past the quote and any escapes', () => {
    const cases = [
      `    when: 'params.x == ''a'' && nope'`,
      '    when: "params.x == \\"a\\" && nope"',
      `    when: "params.x == '\\u0041' || nope"`,
      `    when: "params.x == '\\U0001F600' || nope"`,
    ];
    for (const whenLine of cases) {
      expect(at(whenLine)).toEqual([{ ...positionOf(whenLine, 1, 'nope'), line: 4, code: 'invalid-cel' }]);
    }
  });

  it('at the value start for block and multi-line scalars', () => {
    expect(at('    when: |', '      params.x == 1 && nope')).toEqual([
      { line: 4, column: 11, code: 'invalid-cel' },
    ]);
    expect(at('    when: "params.x == 1 &&', '      nope"')).toEqual([
      { line: 4, column: 11, code: 'invalid-cel' },
    ]);
  });

  it('says what was wrong and what was expected', () => {
    const result = parsePolicy(
      rule('  - { name: r, match: { action: a.b }, when: "1 + 2", deny: "x" }'),
      'p.yaml',
    );
    expect(messagesOf(result)).toEqual([
      'rules[0].when is not a valid condition: expected a bool expression, got int; expected a CEL expression over action, params, context, requester and command that yields true or false',
    ]);
  });
});

describe('parsePolicy: directory checks', () => {
  const TEXT = yaml(
    'groups: { ops: { users: [alice, mallory], teams: [infra, ghosts] } }',
    'rules:',
    '  - name: r',
    '    match: { action: a.b, team: [infra, nowhere], requester: [user:zed, agent:bot, bare], agent: bot }',
    '    require:',
    '      stages:',
    '        - approvers: [{ team: phantom }, { users: [alice, nobody] }, { team: $requester.team }]',
  );

  it('reports unknown teams and users when a directory is given', () => {
    const result = parsePolicy(TEXT, 'p.yaml', { directory: { teams: ['infra'], users: ['alice'] } });
    expect(diagnosticsAt(result)).toEqual([
      { ...positionOf(TEXT, 1, 'mallory'), code: 'unknown-user' },
      { ...positionOf(TEXT, 1, 'ghosts'), code: 'unknown-team' },
      { ...positionOf(TEXT, 4, 'nowhere'), code: 'unknown-team' },
      { ...positionOf(TEXT, 4, 'user:zed'), code: 'unknown-user' },
      { ...positionOf(TEXT, 7, 'phantom'), code: 'unknown-team' },
      { ...positionOf(TEXT, 7, 'nobody'), code: 'unknown-user' },
    ]);
    expect(messagesOf(result)[0]).toBe(
      'groups.ops.users names the user "mallory", who does not exist; expected an existing user',
    );
  });

  it('checks nothing without a directory, and records the directory in sources', () => {
    expect(expectPolicy(parsePolicy(TEXT, 'p.yaml')).sources).toEqual([]);
    const directory = {
      teams: ['infra', 'nowhere', 'phantom', 'ghosts'],
      users: ['alice', 'mallory', 'nobody', 'zed'],
    };
    expect(expectPolicy(parsePolicy(TEXT, 'p.yaml', { directory })).sources).toEqual([
      'team:ghosts',
      'team:infra',
      'team:nowhere',
      'team:phantom',
      'user:alice',
      'user:mallory',
      'user:nobody',
      'user:zed',
    ]);
  });
});

describe('parsePolicy: hostile input', () => {
  it('caps alias expansion, so a file cannot make the walk explode', () => {
    const text = yaml(
      'x: &r { name: r, match: { action: a.b }, deny: "x" }',
      `rules: [${Array(150).fill('*r').join(', ')}]`,
    );
    const result = parsePolicy(text, 'p.yaml');
    expect(messagesOf(result)).toContain(
      'more than 100 alias expansions; expected a policy with fewer aliases',
    );
    expect(diagnosticsAt(result).filter((d) => d.code === 'invalid-value')).toHaveLength(1);
  });
});
