import { describe, expect, it } from 'vitest';
import {
  AGENT,
  ALLOW,
  action,
  deny,
  policyOf,
  requireStages,
  rule,
  stage,
} from './policy-builders.test-support.js';
import { compilePolicy } from './policy-compiler.js';
import { evaluateAction, explainAction } from './policy-evaluator.js';

const moderator = stage({ kind: 'role', role: 'moderator' }, 1, 'mod');
const admin = stage({ kind: 'role', role: 'admin' }, 1, 'admin');

function decide(
  rules: Parameters<typeof policyOf>[0],
  input = action('shell.execute', { command: 'ls' }),
  defaults = {},
) {
  return evaluateAction(compilePolicy(policyOf(rules, defaults), 'v1'), input);
}

describe('evaluateAction: combining rules', () => {
  it('falls back to the default when no rule matches', () => {
    expect(decide([rule('r', { actions: ['deploy.*'] }, deny('no'))]).outcome).toBe('allow');
    const decision = decide([], action('x.y'), { decision: 'deny' });
    expect(decision.outcome).toBe('deny');
    expect(decision.outcome === 'deny' && decision.reason).toBe('default');
  });

  it('lets deny override every require and allow', () => {
    const decision = decide([
      rule('allow-all', { actions: ['**'] }, ALLOW),
      rule('needs-mod', { actions: ['shell.execute'] }, requireStages(moderator)),
      rule('never', { actions: ['shell.*'] }, deny('never')),
    ]);
    expect(decision.outcome).toBe('deny');
    if (decision.outcome !== 'deny') return;
    expect(decision.reasons).toEqual([{ rule: 'never', reason: 'never' }]);
    expect(decision.matched.map((m) => m.rule)).toEqual(['allow-all', 'needs-mod', 'never']);
  });

  it('combines requirements as a conjunction, in rule order, without repeating identical stages', () => {
    const decision = decide([
      rule('a', { actions: ['shell.execute'] }, requireStages(moderator)),
      rule('b', { actions: ['shell.*'] }, requireStages(moderator, admin)),
    ]);
    expect(decision.outcome).toBe('require');
    if (decision.outcome !== 'require') return;
    expect(decision.requirement.stages.map((s) => `${s.rule}/${s.name}`)).toEqual(['a/mod', 'b/admin']);
  });

  it('takes the shortest expiry, the strictest timeout and self-approval only when every rule allows it', () => {
    const lenient = rule(
      'lenient',
      { actions: ['x.y'] },
      {
        kind: 'require',
        requirement: { stages: [moderator], expiresIn: 10, onTimeout: 'approve', grantTtl: 5 },
      },
      {
        selfApproval: true,
        risk: 'low',
        override: { by: ['admin', 'moderator'], justificationRequired: false },
      },
    );
    const strict = rule(
      'strict',
      { actions: ['x.*'] },
      {
        kind: 'require',
        requirement: { stages: [admin], expiresIn: 20, onTimeout: 'escalate', grantTtl: 3 },
      },
      { risk: 'high', override: { by: ['admin'], justificationRequired: true } },
    );
    const decision = decide([lenient, strict], action('x.y'));
    if (decision.outcome !== 'require') throw new Error('expected require');
    expect(decision.requirement).toMatchObject({
      expiresIn: 10,
      grantTtl: 3,
      onTimeout: 'escalate',
      selfApproval: false,
    });
    expect(decision.requirement.override).toEqual({ by: ['admin'], justificationRequired: true });
    expect(decision.risk).toBe('high');
  });

  it('drops the override when any requiring rule has none', () => {
    const withOverride = rule('o', { actions: ['x.y'] }, requireStages(moderator), {
      override: { by: ['admin'], justificationRequired: true },
    });
    const without = rule('n', { actions: ['x.y'] }, requireStages(admin));
    const decision = decide([withOverride, without], action('x.y'));
    expect(decision.outcome === 'require' && decision.requirement.override).toBeUndefined();
  });

  it('allows by an explicit rule under a deny-by-default policy', () => {
    const decision = decide([rule('ok', { actions: ['read.*'] }, ALLOW)], action('read.file'), {
      decision: 'deny',
    });
    expect(decision).toMatchObject({ outcome: 'allow', reason: 'rule' });
  });
});

describe('evaluateAction: matching', () => {
  it('matches globs by segment', () => {
    const rules = [
      rule('vm', { actions: ['proxmox.vm.*'] }, deny('vm')),
      rule('deep', { actions: ['deploy.**'] }, deny('d')),
    ];
    expect(decide(rules, action('proxmox.vm.delete')).outcome).toBe('deny');
    expect(decide(rules, action('proxmox.vm.disk.delete')).outcome).toBe('allow');
    expect(decide(rules, action('deploy.production.eu')).outcome).toBe('deny');
    expect(decide(rules, action('deploy')).outcome).toBe('allow');
  });

  it('matches environment, team, requester and agent', () => {
    const rules = [
      rule('prod', { actions: ['deploy.*'], environments: ['prod'] }, deny('prod')),
      rule('infra', { actions: ['team.*'], teams: ['infra'] }, deny('infra')),
      rule('bot', { actions: ['who.*'], requesters: ['agent:bot'] }, deny('bot')),
      rule('agents', { actions: ['agent.*'], agents: ['bot'] }, deny('agent')),
    ];
    expect(decide(rules, action('deploy.app', {}, { environment: 'prod' })).outcome).toBe('deny');
    expect(decide(rules, action('deploy.app', {}, { environment: 'staging' })).outcome).toBe('allow');
    // The requester's own team counts even when the context omits it.
    expect(decide(rules, action('team.x')).outcome).toBe('deny');
    expect(decide(rules, action('who.x')).outcome).toBe('deny');
    expect(decide(rules, action('agent.x')).outcome).toBe('deny');
    const human = { ...action('agent.x'), requester: { kind: 'user' as const, id: 'bot', teams: [] } };
    expect(decide(rules, human).outcome).toBe('allow');
  });

  it('never lets params shadow top-level fields in matching', () => {
    const rules = [rule('prod', { actions: ['deploy.*'], environments: ['prod'] }, deny('prod'))];
    const input = action(
      'deploy.app',
      { action: 'read.file', environment: 'dev', status: 'approved' },
      { environment: 'prod' },
    );
    expect(decide(rules, input).outcome).toBe('deny');
  });

  it('evaluates CEL conditions and fails closed for gates when a condition errors', () => {
    const rules = [
      rule('risky', { actions: ['deploy.*'] }, requireStages(moderator), {
        when: "context.risk in ['high']",
      }),
    ];
    expect(decide(rules, action('deploy.app', {}, { risk: 'high' })).outcome).toBe('require');
    expect(decide(rules, action('deploy.app', {}, { risk: 'low' })).outcome).toBe('allow');
    // No context.risk at all: the condition errors, and a gate then applies.
    expect(decide(rules, action('deploy.app')).outcome).toBe('require');
  });

  it('does not allow when an allow rule condition errors', () => {
    const rules = [rule('small', { actions: ['pay.*'] }, ALLOW, { when: 'params.amount < 100' })];
    expect(decide(rules, action('pay.out', { amount: 5 }), { decision: 'deny' }).outcome).toBe('allow');
    expect(decide(rules, action('pay.out', { amount: 'lots' }), { decision: 'deny' }).outcome).toBe('deny');
  });
});

describe('evaluateAction: shell commands', () => {
  const forcePush = rule(
    'force-push',
    { actions: ['shell.execute'], commands: ['git push*'] },
    requireStages(moderator),
    {
      when: "command.argv.exists(a, a == '--force' || a == '-f')",
    },
  );
  const rmRoot = rule(
    'never-rm-root',
    { actions: ['shell.execute'] },
    deny('Recursive delete of / is never allowed'),
    {
      when: "params.command.matches('rm\\\\s+-[a-z]*r[a-z]*f?\\\\s+/(\\\\s|$)')",
    },
  );

  it('judges each part of a compound command', () => {
    const decision = decide([forcePush], action('shell.execute', { command: 'cd x && git push --force' }));
    expect(decision.outcome).toBe('require');
    expect(decision.matched[0]?.viaShellPart).toBe('git push --force');
    expect(decide([forcePush], action('shell.execute', { command: 'cd x && git push' })).outcome).toBe(
      'allow',
    );
  });

  it('sees through sudo, env and bash -c', () => {
    for (const command of [
      'sudo rm -rf /',
      'env X=1 rm -rf /',
      "bash -c 'cd / && rm -rf /'",
      'echo hi; rm -rf / ',
    ]) {
      expect(decide([rmRoot], action('shell.execute', { command })).outcome, command).toBe('deny');
    }
    expect(decide([rmRoot], action('shell.execute', { command: 'rm -rf ./build' })).outcome).toBe('allow');
  });

  it('judges an exact argv as its command line, also for rules on params.command', () => {
    const echo = decide([rmRoot], action('shell.execute', { argv: ['echo', 'hello'] }));
    expect(echo.outcome).toBe('allow');
    expect(decide([rmRoot], action('shell.execute', { argv: ['sudo', 'rm', '-rf', '/'] })).outcome).toBe(
      'deny',
    );
    expect(decide([forcePush], action('shell.execute', { argv: ['git', 'push', '-f'] })).outcome).toBe(
      'require',
    );
  });

  it('gives an unparseable command the most restrictive outcome', () => {
    const decision = decide(
      [rule('all', { actions: ['**'] }, ALLOW)],
      action('shell.execute', { command: "echo 'oops" }),
    );
    expect(decision).toMatchObject({ outcome: 'deny', reason: 'unparseable-command' });
  });

  it('allows a compound command only when every part is allowed', () => {
    const lsOnly = rule('ls', { actions: ['shell.execute'], commands: ['ls*'] }, ALLOW);
    const denyDefault = { decision: 'deny' as const };
    expect(decide([lsOnly], action('shell.execute', { command: 'ls -la | ls' }), denyDefault).outcome).toBe(
      'allow',
    );
    expect(
      decide([lsOnly], action('shell.execute', { command: 'ls && rm -rf /' }), denyDefault).outcome,
    ).toBe('deny');
  });

  it('treats a command name built at run time as matching every command gate', () => {
    for (const command of ['$GIT push --force', '/usr/bin/gi? push --force']) {
      expect(decide([forcePush], action('shell.execute', { command })).outcome, command).toBe('require');
    }
  });

  it('meets a command named by its path with gates, but never allows it by basename', () => {
    expect(decide([forcePush], action('shell.execute', { command: '/usr/bin/git push -f' })).outcome).toBe(
      'require',
    );
    const lsOnly = rule('ls', { actions: ['shell.execute'], commands: ['ls*'] }, ALLOW);
    expect(
      decide([lsOnly], action('shell.execute', { command: '/tmp/evil/ls' }), { decision: 'deny' }).outcome,
    ).toBe('deny');
  });
});

describe('explainAction', () => {
  it('lists matched rules with their conditions and near misses with the first failed condition', () => {
    const rules = [
      rule('prod-only', { actions: ['shell.execute'], environments: ['prod'] }, deny('prod')),
      rule('force-push', { actions: ['shell.execute'], commands: ['git push*'] }, requireStages(moderator)),
      rule('unrelated', { actions: ['deploy.*'] }, deny('x')),
    ];
    const explanation = explainAction(
      compilePolicy(policyOf(rules), 'v1'),
      action('shell.execute', { command: 'cd x && git push --force' }, { environment: 'dev' }),
    );
    expect(explanation.decision.outcome).toBe('require');
    expect(explanation.decision.matched[0]?.trace.map((t) => t.condition)).toEqual(['action', 'command']);
    expect(explanation.nearMisses).toEqual([
      expect.objectContaining({
        rule: 'prod-only',
        failed: expect.objectContaining({ condition: 'environment', ok: false }),
      }),
    ]);
    expect(explanation.shell?.ok && explanation.shell.parts.map((p) => p.text)).toEqual([
      'cd x',
      'git push --force',
    ]);
  });

  it('reports the requester it evaluated', () => {
    const rules = [rule('bot', { actions: ['**'], requesters: ['agent:other'] }, deny('x'))];
    const explanation = explainAction(compilePolicy(policyOf(rules), 'v1'), action('a.b'));
    expect(explanation.nearMisses[0]?.failed.detail).toContain(`agent:${AGENT.id}`);
  });
});
