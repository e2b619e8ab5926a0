import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { action } from './policy-builders.test-support.js';
import { compilePolicy } from './policy-compiler.js';
import { evaluateAction } from './policy-evaluator.js';
import {
  EXAMPLE,
  FIXTURE_TEAM,
  INVALID,
  isTeamFixture,
  readFixture,
  VALID,
  yamlFiles,
} from './policy-fixtures.test-support.js';
import { parsePolicy } from './policy-parser.js';
import { type DiagnosticAt, diagnosticsAt, expectPolicy } from './policy-parser.test-support.js';
import { parseTeamPolicy } from './team-policy.js';

function parseFixture(folder: string, name: string) {
  const text = readFixture(folder, name);
  return isTeamFixture(name) ? parseTeamPolicy(text, name, FIXTURE_TEAM) : parsePolicy(text, name);
}

describe('valid fixtures', () => {
  it('include the seed form, the full form and a team policy', () => {
    expect(yamlFiles(VALID)).toEqual(expect.arrayContaining(['seed.yaml', 'full.yaml', 'team-infra.yaml']));
  });

  it.each(yamlFiles(VALID))('%s parses with no diagnostics and compiles', (name) => {
    const policy = expectPolicy(parseFixture(VALID, name));
    expect(policy.rules.length).toBeGreaterThan(0);
    expect(compilePolicy(policy, name).rules).toHaveLength(policy.rules.length);
  });

  it('seed.yaml is the seed form exactly as written in DESIGN §3', () => {
    expect(readFixture(VALID, 'seed.yaml')).toBe(
      [
        'approvalPolicies:',
        '  - action: shell.execute',
        '    requireApproval: true            # any one eligible reviewer other than the requester',
        '  - action: plugin.install.community',
        '    requireModeratorApproval: true   # one moderator (or the admin)',
        '  - action: proxmox.vm.delete',
        '    requireAdminApproval: true       # the admin',
        '',
      ].join('\n'),
    );
  });
});

describe('invalid fixtures', () => {
  const REQUIRED = [
    'bad-yaml',
    'unknown-key',
    'invalid-cel',
    'unknown-group',
    'duplicate-rule',
    'approve-on-risky',
    'unsatisfiable-stage',
    'never-matching-glob',
    'team-policy-allow',
    'several-problems',
  ];

  it('include one file per problem family, each with its expected diagnostics', () => {
    const names = yamlFiles(INVALID).map((name) => name.replace(/\.yaml$/, ''));
    expect(names).toEqual(expect.arrayContaining(REQUIRED));
    for (const name of names) expect(existsSync(`${INVALID}${name}.expected.json`), name).toBe(true);
  });

  it.each(yamlFiles(INVALID))('%s gives exactly the expected diagnostics', (name) => {
    const expected = JSON.parse(
      readFileSync(`${INVALID}${name.replace(/\.yaml$/, '.expected.json')}`, 'utf8'),
    ) as DiagnosticAt[];
    const result = parseFixture(INVALID, name);
    expect(diagnosticsAt(result)).toEqual(expected);
    expect(expected.length).toBeGreaterThan(0);
    if (!result.ok) for (const diagnostic of result.diagnostics) expect(diagnostic.position.file).toBe(name);
  });

  it('several-problems.yaml has at least three', () => {
    expect(diagnosticsAt(parseFixture(INVALID, 'several-problems.yaml')).length).toBeGreaterThanOrEqual(3);
  });

  it('cover every diagnostic code (unknown-team and unknown-user need a directory; unit tests cover them)', () => {
    const codes = new Set(
      yamlFiles(INVALID).flatMap((name) => diagnosticsAt(parseFixture(INVALID, name)).map((d) => d.code)),
    );
    expect([...codes].sort()).toEqual(
      [
        'yaml-syntax',
        'not-a-mapping',
        'empty-policy',
        'unknown-key',
        'missing-key',
        'wrong-type',
        'invalid-value',
        'invalid-duration',
        'invalid-cel',
        'unknown-group',
        'duplicate-rule',
        'outcome-conflict',
        'missing-outcome',
        'approve-needs-low-risk',
        'unsatisfiable-stage',
        'never-matching-glob',
        'command-needs-shell',
        'team-policy-forbidden',
        'unknown-flag',
        'unsupported-version',
      ].sort(),
    );
  });
});

describe('examples/policy.yaml', () => {
  const text = readFileSync(EXAMPLE, 'utf8');

  it('points editors at the schema on its first line', () => {
    expect(text.split('\n')[0]).toBe('# yaml-language-server: $schema=../packages/core/policy.schema.json');
  });

  it('parses with zero diagnostics and shows both forms', () => {
    const policy = expectPolicy(parsePolicy(text, 'examples/policy.yaml'));
    expect(policy.rules.map((rule) => rule.name)).toEqual(
      expect.arrayContaining([
        'approvalPolicies[0]',
        'approvalPolicies[2]',
        'prod-deploys',
        'never-rm-root',
        'force-push',
      ]),
    );
    const deploys = policy.rules.find((rule) => rule.name === 'prod-deploys');
    expect(
      deploys?.outcome.kind === 'require' && deploys.outcome.requirement.stages.map((stage) => stage.min),
    ).toEqual([1, 2]);
    const push = policy.rules.find((rule) => rule.name === 'force-push');
    expect(push?.match.commandPatterns?.[0]).toEqual({
      names: ['git'],
      subcommands: ['push'],
      flags: ['force'],
    });
    expect(push?.outcome.kind === 'require' && push.outcome.requirement.stages[0]?.approvers).toEqual([
      { kind: 'role', role: 'moderator' },
    ]);
  });

  it('has rules that mean what they say', () => {
    const compiled = compilePolicy(expectPolicy(parsePolicy(text, 'examples/policy.yaml')), 'v');
    const matched = (command: string) =>
      evaluateAction(compiled, action('shell.execute', { command })).matched.map((match) => match.rule);
    for (const command of [
      'git push --force',
      'git push -f',
      'cd x && git -C src push --forc',
      'git push origin +main',
    ])
      expect(matched(command), command).toContain('force-push');
    expect(matched('git push')).not.toContain('force-push');
    for (const command of ['rm -rf /', 'rm -r -f /', 'sudo /bin/rm --recursive --force -- //', 'rm -Rf /*'])
      expect(matched(command), command).toContain('never-rm-root');
    expect(matched('rm -rf /tmp/x')).not.toContain('never-rm-root');
  });
});
