import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ActionInput, Principal } from './decision-types.js';
import { ALLOW, deny, policyOf, requireStages, rule, stage } from './policy-builders.test-support.js';
import { compilePolicy } from './policy-compiler.js';
import { evaluateAction } from './policy-evaluator.js';
import type { Rule, RuleOutcome } from './policy-types.js';
import { referenceDecide } from './reference-evaluator.test-support.js';

const SEGMENTS = ['a', 'b', 'c', 'dep', 'deploy'];
const segment = fc.constantFrom(...SEGMENTS);
const actionName = fc.oneof(
  fc.array(segment, { minLength: 1, maxLength: 4 }).map((parts) => parts.join('.')),
  fc.constant('shell.execute'),
);
const globSegment = fc.oneof(segment, fc.constant('*'), fc.constant('de*'), fc.constant('*p*'));
const glob = fc.oneof(
  fc
    .tuple(fc.array(globSegment, { minLength: 1, maxLength: 3 }), fc.boolean())
    .map(([parts, rest]) => [...parts, ...(rest ? ['**'] : [])].join('.')),
  fc.constantFrom('shell.execute', 'shell.*', '**'),
);
const CONDITIONS = [
  "context.environment == 'prod'",
  'params.n > 3',
  "requester.kind == 'agent'",
  "command.argv.exists(a, a == '--force')",
  "params.command.startsWith('git')",
];
const COMMANDS = ['git push*', 'rm -rf*', 'ls*', '*'];
const SHELL_LINES = [
  'ls',
  'cd x && git push --force',
  'sudo rm -rf /',
  "bash -c 'ls; git push'",
  'ls | grep a',
  '$CMD --force',
  '/usr/bin/git push --force',
  '/bin/r? -rf /',
  "echo 'unterminated",
  'git status',
];

const outcome: fc.Arbitrary<RuleOutcome> = fc.oneof(
  fc.constant(ALLOW),
  fc.constant(deny('no')),
  fc.constant(requireStages(stage({ kind: 'role', role: 'moderator' }))),
);

const optional = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });

const ruleArb = (index: number): fc.Arbitrary<Rule> =>
  fc
    .record({
      actions: fc.array(glob, { minLength: 1, maxLength: 2 }),
      environments: optional(fc.subarray(['prod', 'dev'], { minLength: 1 })),
      teams: optional(fc.subarray(['infra', 'web'], { minLength: 1 })),
      requesters: optional(fc.subarray(['agent:bot', 'alice', 'user:bob'], { minLength: 1 })),
      agents: optional(fc.subarray(['bot', 'agent:other'], { minLength: 1 })),
      commands: optional(fc.subarray(COMMANDS, { minLength: 1 })),
      when: optional(fc.constantFrom(...CONDITIONS)),
      outcome,
    })
    .map(({ actions, environments, teams, requesters, agents, commands, when, outcome }) => {
      const match = {
        actions: commands ? ['shell.execute'] : actions,
        ...(environments && { environments }),
        ...(teams && { teams }),
        ...(requesters && { requesters }),
        ...(agents && { agents }),
        ...(commands && { commands }),
      };
      return rule(`r${index}`, match, outcome, when === undefined ? {} : { when });
    });

const policyArb = fc
  .tuple(fc.integer({ min: 0, max: 25 }), fc.constantFrom('allow' as const, 'deny' as const))
  .chain(([count, decision]) =>
    fc.tuple(fc.tuple(...Array.from({ length: count }, (_, i) => ruleArb(i))), fc.constant(decision)),
  )
  .map(([rules, decision]) => policyOf(rules, { decision }));

const requester: fc.Arbitrary<Principal> = fc.oneof(
  fc.constant<Principal>({ kind: 'agent', id: 'bot', teams: ['infra'], owner: 'alice' }),
  fc.constant<Principal>({ kind: 'agent', id: 'other', teams: [] }),
  fc.constant<Principal>({ kind: 'user', id: 'alice', role: 'user', teams: ['web'] }),
);

const inputArb: fc.Arbitrary<ActionInput> = fc
  .record({
    action: actionName,
    line: fc.constantFrom(...SHELL_LINES),
    n: fc.oneof(fc.integer({ min: 0, max: 6 }), fc.constant('x')),
    environment: optional(fc.constantFrom('prod', 'dev')),
    team: optional(fc.constantFrom('infra', 'web', 'other')),
    requester,
  })
  .map(({ action, line, n, environment, team, requester }) => ({
    action,
    params: action === 'shell.execute' ? { command: line, n } : { n },
    context: { ...(environment && { environment }), ...(team && { team }) },
    requester,
  }));

describe('the compiled evaluator', () => {
  it('agrees with the naive reference evaluator on random policies and actions', () => {
    fc.assert(
      fc.property(policyArb, fc.array(inputArb, { minLength: 1, maxLength: 8 }), (policy, inputs) => {
        const compiled = compilePolicy(policy, 'v');
        for (const input of inputs) {
          const decision = evaluateAction(compiled, input);
          const expected = referenceDecide(policy, input);
          expect({ outcome: decision.outcome, matched: decision.matched.map((m) => m.rule) }).toEqual(
            expected,
          );
        }
      }),
      { numRuns: 400 },
    );
  });

  it('gives the same answer from the cache as on first sight', () => {
    fc.assert(
      fc.property(policyArb, inputArb, (policy, input) => {
        const compiled = compilePolicy(policy, 'v');
        expect(evaluateAction(compiled, input)).toEqual(evaluateAction(compiled, input));
      }),
      { numRuns: 200 },
    );
  });
});
