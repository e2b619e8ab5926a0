import { describe, expect, it } from 'vitest';
import { executorsFor } from './policy-executors.js';
import { parsePolicy } from './policy-parser.js';
import { diagnosticsAt, expectPolicy, yaml } from './policy-parser.test-support.js';
import { parseTeamPolicy } from './team-policy.js';

const RULES = ['rules:', '  - name: deploys', '    match: { action: "deploy.*" }', '    allow: true'];

describe('executors: who besides the requester may consume a grant', () => {
  it('reads action globs to agent and user executors, and looks them up by action', () => {
    const policy = expectPolicy(
      parsePolicy(
        yaml(
          'executors:',
          '  "deploy.*": [agent:deployer, user:alice]',
          '  deploy.production: [agent:deployer, agent:release-bot]',
          ...RULES,
        ),
        'policy.yaml',
      ),
    );
    expect(executorsFor(policy.executors, 'deploy.production')).toEqual([
      'agent:deployer',
      'user:alice',
      'agent:release-bot',
    ]);
    expect(executorsFor(policy.executors, 'deploy.staging')).toEqual(['agent:deployer', 'user:alice']);
    expect(executorsFor(policy.executors, 'proxmox.vm.delete')).toEqual([]);
  });

  it('names none when the key is absent', () => {
    const policy = expectPolicy(parsePolicy(yaml(...RULES), 'policy.yaml'));
    expect(policy.executors).toBeUndefined();
    expect(executorsFor(policy.executors, 'deploy.production')).toEqual([]);
  });

  it('reports a bare name, a bad glob and an empty list where they are', () => {
    const result = parsePolicy(
      yaml(
        'executors:',
        '  "deploy.*": [deployer]',
        '  "Deploy..x": [agent:deployer]',
        '  backup.run: []',
        ...RULES,
      ),
      'policy.yaml',
    );
    expect(diagnosticsAt(result)).toEqual([
      { line: 2, column: 16, code: 'invalid-value' },
      { line: 3, column: 3, code: 'invalid-action' },
      { line: 4, column: 15, code: 'invalid-value' },
    ]);
  });

  it('checks user executors against the directory when one is given', () => {
    const result = parsePolicy(yaml('executors:', '  "deploy.*": [user:mallory]', ...RULES), 'policy.yaml', {
      directory: { users: ['alice'] },
    });
    expect(diagnosticsAt(result)).toEqual([{ line: 2, column: 16, code: 'unknown-user' }]);
  });

  it('is refused in a team policy: a team cannot name who consumes grants', () => {
    const org = expectPolicy(
      parsePolicy(yaml('executors:', '  "deploy.*": [agent:deployer]', ...RULES), 'org.yaml'),
    );
    const team = parseTeamPolicy(
      yaml('team: infra', 'executors:', '  "infra.*": [agent:mallory]', 'rules: []'),
      'infra.yaml',
      { org },
    );
    expect(team.ok).toBe(false);
    if (!team.ok) expect(team.diagnostics.map((d) => d.message).join('\n')).toContain('executors');
  });
});
