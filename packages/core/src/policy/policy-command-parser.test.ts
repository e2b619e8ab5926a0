import { describe, expect, it } from 'vitest';
import { parsePolicy } from './policy-parser.js';
import { diagnosticsAt, expectPolicy, messagesOf, yaml } from './policy-parser.test-support.js';

function ruleWith(command: string): string {
  return yaml(
    'rules:',
    '  - name: r',
    '    match:',
    '      action: shell.execute',
    `      command: ${command}`,
    '    deny: no',
  );
}

describe('match.command as a command pattern', () => {
  it('reads a mapping into a pattern, keeping flags as written', () => {
    const policy = expectPolicy(
      parsePolicy(ruleWith("{ name: rm, flags: [R, force], operands: ['/'] }"), 'p.yaml'),
    );
    expect(policy.rules[0]?.match).toEqual({
      actions: ['shell.execute'],
      commandPatterns: [{ names: ['rm'], flags: ['R', 'force'], operands: ['/'] }],
    });
  });

  it('reads a list mixing globs and patterns', () => {
    const policy = expectPolicy(
      parsePolicy(
        ruleWith("['git push*', { name: git, subcommand: push, flags: f }, { writes: '/etc/**' }]"),
        'p.yaml',
      ),
    );
    expect(policy.rules[0]?.match).toEqual({
      actions: ['shell.execute'],
      commands: ['git push*'],
      commandPatterns: [{ names: ['git'], subcommands: ['push'], flags: ['f'] }, { writes: ['/etc/**'] }],
    });
  });

  it('refuses an option the command does not have, at the flag, naming the spellings it has', () => {
    const result = parsePolicy(ruleWith('{ name: rm, flags: [r, recursiv] }'), 'p.yaml');
    expect(diagnosticsAt(result)).toEqual([{ line: 5, column: 39, code: 'unknown-flag' }]);
    expect(messagesOf(result)[0]).toContain('"recursiv" is not an option of rm; expected one of: r, R');
  });

  it('checks flags against the subcommand table', () => {
    const result = parsePolicy(ruleWith('{ name: git, subcommand: push, flags: [recursive] }'), 'p.yaml');
    expect(messagesOf(result)[0]).toContain('is not an option of git push');
    expectPolicy(
      parsePolicy(ruleWith('{ name: git, subcommand: push, flags: [force-with-lease] }'), 'p.yaml'),
    );
  });

  it('accepts any flag for commands without a table and for name globs', () => {
    expectPolicy(parsePolicy(ruleWith('{ name: [frob, "mkfs*"], flags: [x, long-name] }'), 'p.yaml'));
  });

  it.each([
    ['{ name: rm, colour: red }', 'unknown-key', 28],
    ['{}', 'invalid-value', 16],
    ['{ name: [] }', 'invalid-value', 24],
    ['{ operands: 3 }', 'wrong-type', 28],
    ['[]', 'invalid-value', 16],
    ['[3]', 'wrong-type', 17],
  ])('refuses %s with %s', (command, code, column) => {
    expect(diagnosticsAt(parsePolicy(ruleWith(command), 'p.yaml'))).toEqual([{ line: 5, column, code }]);
  });

  it('still needs shell.execute', () => {
    const text = yaml(
      'rules:',
      '  - name: r',
      '    match: { action: deploy.prod, command: { name: rm } }',
      '    deny: no',
    );
    expect(diagnosticsAt(parsePolicy(text, 'p.yaml'))[0]?.code).toBe('command-needs-shell');
  });
});
