import { describe, expect, it } from 'vitest';
import { commandPatternMeets, compileCommandPattern } from './command-matcher.js';
import { computeCommandShape } from './command-shape.js';
import type { ShellPart } from './decision-types.js';
import { ALLOW, action, deny, policyOf, rule } from './policy-builders.test-support.js';
import { compilePolicy } from './policy-compiler.js';
import { evaluateAction, explainAction } from './policy-evaluator.js';
import type { CommandPattern, Rule } from './policy-types.js';

const SHELL = ['shell.execute'];

function part(argv: string[], extra: Partial<ShellPart> = {}): ShellPart {
  return { argv, text: argv.join(' '), wrappers: [], dynamic: false, opaque: false, writes: [], ...extra };
}

function meets(pattern: CommandPattern, shellPart: ShellPart, gate: boolean): boolean {
  const shape = computeCommandShape(shellPart.argv, shellPart.writes);
  return commandPatternMeets(compileCommandPattern(pattern), shellPart, shape, gate);
}

function decide(rules: Rule[], command: string, defaults = {}) {
  return evaluateAction(compilePolicy(policyOf(rules, defaults), 'v'), action('shell.execute', { command }));
}

describe('commandPatternMeets', () => {
  it('normalises the policy spelling of a flag through the command table', () => {
    for (const flag of ['r', 'R', '-R', 'recursive', '--recursive'])
      expect(meets({ names: ['rm'], flags: [flag] }, part(['rm', '--recur', 'x']), true), flag).toBe(true);
  });

  it('meets flags with values in any spelling', () => {
    const pattern = { names: ['curl'], flags: ['X=delete'] };
    expect(meets(pattern, part(['curl', '--request=DELETE', 'u']), true)).toBe(true);
    expect(meets(pattern, part(['curl', '-X', 'GET', 'u']), true)).toBe(false);
    expect(meets({ names: ['kill'], flags: ['9'] }, part(['kill', '-s', 'SIGKILL', '1']), true)).toBe(true);
  });

  it('meets a subcommand after global options', () => {
    const pattern = { names: ['git'], subcommands: ['push'], flags: ['force'] };
    expect(meets(pattern, part(['git', '-C', 'src', '--no-pager', 'push', '-f']), true)).toBe(true);
    expect(meets(pattern, part(['git', '-C', 'push', 'status', '-f']), true)).toBe(false);
  });

  it('meets a gate by basename, an allow rule only by the name as written', () => {
    expect(meets({ names: ['ls'] }, part(['/tmp/evil/ls']), true)).toBe(true);
    expect(meets({ names: ['ls'] }, part(['/tmp/evil/ls']), false)).toBe(false);
    expect(meets({ names: ['mkfs*'] }, part(['mkfs.ext4', '/dev/sda1']), true)).toBe(true);
  });

  it('needs every operand of an allow rule to match, and any of a gate', () => {
    const pattern = { names: ['rm'], operands: ['/tmp/**'] };
    expect(meets(pattern, part(['rm', '/tmp/a', '/etc/passwd']), true)).toBe(true);
    expect(meets(pattern, part(['rm', '/tmp/a', '/etc/passwd']), false)).toBe(false);
    expect(meets(pattern, part(['rm']), false)).toBe(false);
  });

  it('matches writes, and lets no allow rule without writes meet a command that writes', () => {
    const writes = part(['echo', 'x'], { writes: ['/etc//hosts'] });
    expect(meets({ writes: ['/etc/*'] }, writes, true)).toBe(true);
    expect(meets({ writes: ['/tmp/*'] }, writes, true)).toBe(false);
    expect(meets({ names: ['echo'] }, writes, false)).toBe(false);
    expect(meets({ names: ['echo'], writes: ['/etc/hosts'] }, writes, false)).toBe(true);
    expect(meets({ writes: ['/'] }, part(['echo'], { writes: ['$OUT'] }), true)).toBe(true);
  });
});

describe('opaque parts', () => {
  const gateShape = rule('rm', { actions: SHELL, commandPatterns: [{ names: ['rm'] }] }, deny('no'));
  const gateGlob = rule('push', { actions: SHELL, commands: ['git push*'] }, deny('no'));
  const gateWhen = rule('when', { actions: SHELL }, deny('no'), { when: "command.name == 'rm'" });
  const allowAll = rule('any', { actions: SHELL, commands: ['*'] }, ALLOW);
  const allowWhen = rule('any-when', { actions: SHELL }, ALLOW, { when: 'true' });

  it('meets every gate with a command or when condition', () => {
    for (const gate of [gateShape, gateGlob, gateWhen]) {
      expect(decide([gate], '$CMD -rf /').outcome, gate.name).toBe('deny');
      expect(decide([gate], 'ls').outcome, gate.name).toBe('allow');
    }
  });

  it('meets no allow rule', () => {
    for (const allow of [allowAll, allowWhen]) {
      expect(decide([allow], '$CMD x', { decision: 'deny' }).outcome, allow.name).toBe('deny');
      expect(decide([allow], 'ls', { decision: 'deny' }).outcome, allow.name).toBe('allow');
    }
  });

  it('explains why', () => {
    const { decision } = explainAction(
      compilePolicy(policyOf([gateShape]), 'v'),
      action('shell.execute', { command: '$CMD -rf /' }),
    );
    expect(decision.matched[0]?.trace.at(-1)?.detail).toBe(
      'command "$CMD -rf /" is only known at run time: treated as matching (fail closed)',
    );
  });
});

describe('the command variable in when conditions', () => {
  it('holds the normalised shape of each part, and empty values for the whole line', () => {
    const gate = rule('rm-r', { actions: SHELL }, deny('no'), {
      when: "command.name == 'rm' && 'recursive' in command.flags && '/' in command.operands",
    });
    expect(decide([gate], 'cd x && rm -R -- //').outcome).toBe('deny');
    expect(decide([gate], 'rm -f /').outcome).toBe('allow');
  });
});
