import { compilePolicy, evaluateAction, parsePolicy } from '@gatehouse/core';
import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY_YAML } from './default-policy.js';

describe('the default policy', () => {
  const parsed = parsePolicy(DEFAULT_POLICY_YAML, 'policy.yaml');

  it('parses without a problem', () => {
    expect(parsed.ok ? [] : parsed.diagnostics).toEqual([]);
  });

  it('gates shell commands and never allows a recursive delete of /', () => {
    if (!parsed.ok) throw new Error('invalid default policy');
    const compiled = compilePolicy(parsed.policy, 'v');
    const requester = { kind: 'agent' as const, id: 'bot', teams: [] };
    const decide = (command: string) =>
      evaluateAction(compiled, { action: 'shell.execute', params: { command }, context: {}, requester })
        .outcome;
    expect(decide('ls')).toBe('require');
    expect(decide('cd / && sudo rm -rf /')).toBe('deny');
    expect(
      evaluateAction(compiled, { action: 'docs.read', params: {}, context: {}, requester }).outcome,
    ).toBe('allow');
  });
});
