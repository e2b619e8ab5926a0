import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
// The starter policy is a plain string in the server package; the core test reads the real one.
import { DEFAULT_POLICY_YAML } from '../../../server/src/policy/default-policy.js';
import { action } from './policy-builders.test-support.js';
import { compilePolicy } from './policy-compiler.js';
import { evaluateAction, explainAction } from './policy-evaluator.js';
import { EXAMPLE } from './policy-fixtures.test-support.js';
import { parsePolicy } from './policy-parser.js';
import { expectPolicy } from './policy-parser.test-support.js';

const POLICIES = [
  ['the starter policy', DEFAULT_POLICY_YAML],
  ['examples/policy.yaml', readFileSync(EXAMPLE, 'utf8')],
] as const;

/** Every one deletes `/` (or may, when it runs): none may be judged as anything but a deny. */
const ROOT_DELETES = [
  'rm -r -f /', // the case: the regex rule let it through
  'rm -rf /',
  'rm -Rf /',
  'rm -fr /',
  'rm -R /',
  'rm --recursive --force /',
  'rm --recur --forc /',
  'rm -rf -- /',
  'rm -r -f -- /',
  '/bin/rm -rf //',
  'rm -rf /./',
  'rm -rf /.',
  'rm -rf /etc/..',
  'rm -rf /*',
  'rm -rf /.*',
  'rm / -rf',
  'rm -rfv --no-preserve-root /',
  'sudo rm -rf /',
  'cd /tmp && rm -rf /',
  'rm -rf ~/../..',
  'rm -rf "$TARGET"',
  'rm -rf $(echo /)',
  'rm -rf .',
  'rm -rf *',
  // Through what runs other text (issue 8, item 2).
  "bash -c 'rm -r -f /'",
  'echo rm -rf / | sh',
  "sh <<< 'rm -rf /'",
  'echo / | xargs rm -rf',
  'cat targets | xargs rm -rf',
  'cat flags | xargs rm /',
  'find / -maxdepth 0 -exec rm -rf {} +',
  'env -i timeout 5 nice -n 1 nohup setsid rm -rf /',
  "ssh host 'rm -rf /'",
  'docker exec box rm -rf /',
  "eval 'rm -rf /'",
  'busybox rm -rf /',
];

const NOT_ROOT = ['rm -rf /tmp/build', 'rm -f /', 'rm -rf node_modules', 'rm -rf ./dist'];

describe.each(POLICIES)('%s', (_name, text) => {
  const compiled = compilePolicy(expectPolicy(parsePolicy(text, 'policy.yaml')), 'v');

  it.each(ROOT_DELETES)('denies a recursive delete of / spelled %s', (command) => {
    const decision = evaluateAction(compiled, action('shell.execute', { command }));
    expect(decision.outcome).toBe('deny');
    expect(decision.outcome === 'deny' && decision.reasons.map((reason) => reason.rule)).toContain(
      'never-rm-root',
    );
  });

  it.each(NOT_ROOT)('does not take %s for a delete of /', (command) => {
    const decision = evaluateAction(compiled, action('shell.execute', { command }));
    expect(decision.matched.map((match) => match.rule)).not.toContain('never-rm-root');
  });

  it('explains the shape it judged', () => {
    const { decision } = explainAction(compiled, action('shell.execute', { command: 'rm -r -f /' }));
    const trace = decision.matched.find((match) => match.rule === 'never-rm-root')?.trace;
    expect(trace?.find((entry) => entry.condition === 'command')?.detail).toContain(
      'rm {flags: [force, recursive], operands: [/]}',
    );
  });
});
