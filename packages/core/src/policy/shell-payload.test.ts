import { describe, expect, it } from 'vitest';
import { ALLOW, action, policyOf, rule } from './policy-builders.test-support.js';
import { compilePolicy } from './policy-compiler.js';
import { evaluateAction } from './policy-evaluator.js';
import { shellPayloadProblem } from './shell-payload.js';

describe('shellPayloadProblem', () => {
  it('accepts exactly one form, with other keys beside it', () => {
    expect(shellPayloadProblem({ command: 'ls -la' })).toBeUndefined();
    expect(shellPayloadProblem({ argv: ['ls', '-la'] })).toBeUndefined();
    expect(shellPayloadProblem({ argv: ['ls'], cwd: '/srv' })).toBeUndefined();
  });

  it.each([
    [{ command: 'ls', argv: ['rm', '-rf', '/'] }, 'params', /not both/],
    [{}, 'params', /`command` .* or `argv`/],
    [{ cmd: 'rm -rf /' }, 'params', /`command` .* or `argv`/],
    [{ command: '' }, 'params.command', /non-empty string/],
    [{ command: ['ls'] }, 'params.command', /non-empty string/],
    [{ command: null }, 'params.command', /non-empty string/],
    [{ argv: [] }, 'params.argv', /non-empty array/],
    [{ argv: 'rm -rf /' }, 'params.argv', /non-empty array/],
    [{ argv: ['rm', 1, '/'] }, 'params.argv[1]', /a string/],
    [{ argv: ['ls'], Command: 'rm -rf /' }, 'params.Command', /spelled exactly/],
    [{ command: 'ls', ' argv': ['rm'] }, 'params. argv', /spelled exactly/],
  ])('refuses %j naming %s', (params, field, message) => {
    const problem = shellPayloadProblem(params);
    expect(problem?.field).toBe(field);
    expect(problem?.message).toMatch(message);
  });
});

describe('the evaluator and an ambiguous shell.execute payload', () => {
  const allowAll = compilePolicy(policyOf([rule('all', { actions: ['**'] }, ALLOW)]), 'v1');

  it('denies it, whatever the policy allows, and says why', () => {
    const decision = evaluateAction(
      allowAll,
      action('shell.execute', { command: 'ls', argv: ['rm', '-rf', '/'] }),
    );
    expect(decision).toMatchObject({ outcome: 'deny', reason: 'unparseable-command', risk: 'high' });
    expect(decision.outcome === 'deny' && decision.reasons[0]?.reason).toMatch(/ambiguous.*params/);
  });

  it('judges an unambiguous payload as before', () => {
    expect(evaluateAction(allowAll, action('shell.execute', { argv: ['ls'] })).outcome).toBe('allow');
    expect(evaluateAction(allowAll, action('other.thing', { command: 'ls', argv: [] })).outcome).toBe(
      'allow',
    );
  });
});
