import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { claimedReferences, contextFieldKind, lintClaimedFields } from './claimed-field-lint.js';
import { EXAMPLE } from './policy-fixtures.test-support.js';
import { parsePolicy } from './policy-parser.js';

const fields = (source: string) => claimedReferences(source).map((reference) => reference.field);

describe('claimedReferences', () => {
  it('flags the agent’s reason and risk hint, however they are read', () => {
    expect(fields("context.reason.contains('urgent')")).toEqual(['context.reason']);
    expect(fields("context.risk in ['medium', 'high']")).toEqual(['context.risk']);
    expect(fields("has(context.risk) && context.risk == 'low'")).toEqual(['context.risk', 'context.risk']);
    expect(fields("context['reason'] == 'x'")).toEqual(['context.reason']);
    expect(fields("context.risk + context.reason == ''")).toEqual(['context.risk', 'context.reason']);
  });

  it('flags any context field the payload hash does not cover', () => {
    expect(fields("context.ticket == 'OPS-1'")).toEqual(['context.ticket']);
    expect(contextFieldKind('ticket')).toBe('claimed');
  });

  it('flags the whole context map, which may reach any claimed field', () => {
    expect(fields("'reason' in context")).toEqual(['context']);
    expect(fields("context.exists(k, k == 'reason')")).toEqual(['context']);
    expect(fields("context[params.key] == 'x'")).toEqual(['context']);
    expect(fields('size(context) > 2')).toEqual(['context']);
  });

  it('finds a claimed field deep inside an expression, at its offset', () => {
    const source = "params.replicas > 3 && [1].exists(x, context.reason == 'go')";
    expect(claimedReferences(source)).toEqual([
      { field: 'context.reason', offset: source.indexOf('context') },
    ]);
  });

  it('lets verified and bound fields through: requester, action, params, command, bound context', () => {
    for (const source of [
      "action == 'deploy.production'",
      "params.command.matches('rm')",
      "command.argv.exists(a, a == '--force')",
      "requester.kind == 'agent' && 'infra' in requester.teams",
      "context.environment == 'prod' && has(context.team)",
      "context.workflow == 'release' || context.runId != ''",
      "context['environment'] == 'prod'",
    ]) {
      expect(fields(source)).toEqual([]);
    }
    expect(contextFieldKind('environment')).toBe('bound');
  });

  it('leaves an expression that does not parse to the parser', () => {
    expect(fields('context.reason ==')).toEqual([]);
  });
});

describe('lintClaimedFields', () => {
  const policy = [
    'rules:',
    '  - name: urgent-skips-review',
    '    match: { action: "deploy.*" }',
    `    when: "context.reason.contains('urgent')"`,
    '    allow: true',
    '  - name: prod-gate',
    '    match: { action: "deploy.*" }',
    "    when: context.environment == 'prod' && context.risk != 'low'",
    '    require: { stages: [{ approvers: { role: moderator } }] }',
    '  - name: fine',
    '    match: { action: shell.execute }',
    `    when: "params.command.matches('rm')"`,
    '    deny: no',
    '',
  ].join('\n');

  it('names each rule reading a claimed field, at file:line:column of the reference', () => {
    expect(parsePolicy(policy, 'policy.yaml').ok).toBe(true);
    const diagnostics = lintClaimedFields(policy, 'policy.yaml');
    expect(diagnostics.map((d) => [d.code, d.position.line, d.position.column])).toEqual([
      ['claimed-field', 4, 12],
      ['claimed-field', 8, 44],
    ]);
    expect(diagnostics[0]?.message).toMatch(
      /^rule "urgent-skips-review" depends on context\.reason, which the agent claims/,
    );
    expect(diagnostics[1]?.message).toMatch(/depends on context\.risk/);
    expect(diagnostics[0]?.position.file).toBe('policy.yaml');
  });

  it('finds nothing in examples/policy.yaml', () => {
    expect(lintClaimedFields(readFileSync(EXAMPLE, 'utf8'), 'examples/policy.yaml')).toEqual([]);
  });

  it('finds nothing in a policy without rules, or in text that is not YAML', () => {
    expect(
      lintClaimedFields('approvalPolicies:\n  - action: shell.execute\n    requireApproval: true\n', 'p'),
    ).toEqual([]);
    expect(lintClaimedFields('rules: [', 'p')).toEqual([]);
  });
});
