import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ALLOW, action, deny, policyOf, rule } from './policy-builders.test-support.js';
import { compilePolicy } from './policy-compiler.js';
import { evaluateAction } from './policy-evaluator.js';

const SHELL = ['shell.execute'];
const neverRmRoot = compilePolicy(
  policyOf([
    rule(
      'never-rm-root',
      { actions: SHELL, commandPatterns: [{ names: ['rm'], flags: ['recursive'], operands: ['/'] }] },
      deny('no'),
    ),
  ]),
  'v',
);

/** One option of rm, in one of its spellings: short letter, long name, or a unique GNU prefix. */
const recursive = fc.constantFrom('r', 'R', '--recursive', '--recursiv', '--recur', '--rec', '--r');
const benign = fc.constantFrom(
  'f',
  'v',
  'i',
  'I',
  'd',
  '--force',
  '--forc',
  '--verbose',
  '--verb',
  '--dir',
  '--one-file-system',
);

/** Short options are clustered into one word or split, in any order; long ones stand alone. */
function optionWords(options: readonly string[], cluster: boolean): string[] {
  const shorts = options.filter((option) => !option.startsWith('--'));
  const longs = options.filter((option) => option.startsWith('--'));
  const shortWords = cluster && shorts.length > 0 ? [`-${shorts.join('')}`] : shorts.map((s) => `-${s}`);
  return [...shortWords, ...longs];
}

const rootSpelling = fc.constantFrom(
  '/',
  '//',
  '///',
  '/./',
  '/.',
  '/..',
  '/./.',
  '/etc/..',
  '/tmp/../',
  '/*',
  '/.*',
  '/./*',
);
const command = fc.constantFrom('rm', '/bin/rm', '/usr/bin/rm', 'sudo rm', 'env rm', 'sudo -u root rm');

const rmRoot = fc
  .record({
    command,
    options: fc.tuple(recursive, fc.array(benign, { maxLength: 3 })),
    cluster: fc.boolean(),
    dashDash: fc.boolean(),
    operandFirst: fc.boolean(),
    root: rootSpelling,
  })
  .map(({ command, options: [r, others], cluster, dashDash, operandFirst, root }) => {
    const words = optionWords([...others, r].sort(), cluster);
    if (dashDash) return `${command} ${words.join(' ')} -- ${root}`;
    // GNU rm permutes: options after the operand still count.
    return operandFirst ? `${command} ${root} ${words.join(' ')}` : `${command} ${words.join(' ')} ${root}`;
  });

describe('option normalisation', () => {
  it('meets a rule written one way with every spelling of rm -r /', () => {
    fc.assert(
      fc.property(rmRoot, (line) => {
        expect(evaluateAction(neverRmRoot, action('shell.execute', { command: line })).outcome, line).toBe(
          'deny',
        );
      }),
      { numRuns: 2000 },
    );
  });

  it('does not meet it when the recursive flag is missing or comes after --', () => {
    fc.assert(
      fc.property(fc.array(benign, { maxLength: 3 }), fc.boolean(), rootSpelling, (others, cluster, root) => {
        const words = optionWords(others, cluster);
        for (const line of [`rm ${words.join(' ')} ${root}`, `rm ${words.join(' ')} -- -r ${root}`]) {
          expect(evaluateAction(neverRmRoot, action('shell.execute', { command: line })).outcome, line).toBe(
            'allow',
          );
        }
      }),
    );
  });

  it('lets no benign flag make an allow rule allow an operand it does not cover', () => {
    const allowTmp = compilePolicy(
      policyOf(
        [
          rule(
            'rm-in-tmp',
            { actions: SHELL, commandPatterns: [{ names: ['rm'], operands: ['/tmp/**'] }] },
            ALLOW,
          ),
        ],
        { decision: 'deny' },
      ),
      'v',
    );
    const outside = fc.constantFrom(
      '/etc/passwd',
      '/',
      '/tmp/..',
      '/tmp/../etc',
      '/tmp/*/..',
      '$X',
      '/tmp/$X',
      '.',
      '*',
      '~',
    );
    fc.assert(
      fc.property(
        fc.array(benign, { maxLength: 3 }),
        fc.boolean(),
        outside,
        fc.boolean(),
        (others, cluster, bad, first) => {
          const words = optionWords(others, cluster).join(' ');
          const operands = first ? `${bad} /tmp/a` : `/tmp/a ${bad}`;
          const line = `rm ${words} ${operands}`;
          expect(evaluateAction(allowTmp, action('shell.execute', { command: line })).outcome, line).toBe(
            'deny',
          );
          const good = `rm ${words} /tmp/a /tmp/./b//c`;
          expect(evaluateAction(allowTmp, action('shell.execute', { command: good })).outcome, good).toBe(
            'allow',
          );
        },
      ),
    );
  });
});
