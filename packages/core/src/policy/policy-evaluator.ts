import { createShellDecomposer } from '../shell/shell-decompose.js';
import { actionNameProblem } from './action-name.js';
import { commandVariableOf } from './command-shape.js';
import type {
  ActionInput,
  Decision,
  Explanation,
  NearMiss,
  RuleMatchResult,
  ShellDecomposition,
} from './decision-types.js';
import type { CompiledPolicy, CompiledRule } from './policy-compiler.js';
import type { Risk, Rule } from './policy-types.js';
import { combineRequirements, maxRisk } from './requirement-combiner.js';
import { type ActionView, type MatchScope, matchRule, type Tracer } from './rule-matcher.js';
import { denyAmbiguousShellPayload } from './shell-payload.js';

/** The action whose params are a shell command line, decomposed before matching. */
export const SHELL_ACTION = 'shell.execute';

const decompose = createShellDecomposer(4096);
const NO_TRACE: readonly never[] = Object.freeze([]);
// The whole line has every field a part has, so a `when` over `command.flags` reads an
// empty list there rather than failing (which a gate would take for a match).
const NOT_A_PART = Object.freeze({
  argv: NO_TRACE,
  wrappers: NO_TRACE,
  dynamic: false,
  part: false,
  name: '',
  subcommand: '',
  flags: NO_TRACE,
  operands: NO_TRACE,
  writes: NO_TRACE,
  opaque: false,
});
const NOT_A_COMMAND = Object.freeze({ ...NOT_A_PART, text: '' });

function quoteArgument(word: string): string {
  return /^[A-Za-z0-9_./=:@%+-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}

/**
 * The command line a `shell.execute` action runs: `params.command` as written, or
 * `params.argv` (an exact argument vector, as `gatehouse exec` sends) quoted word by word.
 */
export function shellCommandOf(params: Readonly<Record<string, unknown>>): string | undefined {
  if (typeof params.command === 'string') return params.command;
  const { argv } = params;
  if (Array.isArray(argv) && argv.length > 0 && argv.every((word) => typeof word === 'string')) {
    return (argv as string[]).map(quoteArgument).join(' ');
  }
  return undefined;
}

function buildScope(
  input: ActionInput,
  shell: ShellDecomposition | undefined,
  line: string | undefined,
): MatchScope {
  let requester: Readonly<Record<string, unknown>> | undefined;
  // An exact argv (no `params.command`) is judged as its quoted command line, so rules written
  // against `params.command` see it too.
  const params =
    line !== undefined && typeof input.params.command !== 'string'
      ? { ...input.params, command: line }
      : input.params;
  const whole: ActionView = {
    params,
    command: line === undefined ? NOT_A_COMMAND : { ...NOT_A_PART, text: line },
  };
  const parts: ActionView[] = [];
  if (shell?.ok) {
    for (const part of shell.parts) {
      parts.push({ params: { ...params, command: part.text }, command: commandVariableOf(part), part });
    }
  }
  return {
    input,
    whole,
    parts,
    requesterValue() {
      requester ??= Object.freeze({ ...input.requester, teams: input.requester.teams });
      return requester;
    },
  };
}

function riskOf(rules: readonly Rule[], fallback: Risk): Risk {
  let risk: Risk | undefined;
  for (const rule of rules)
    if (rule.risk !== undefined) risk = risk === undefined ? rule.risk : maxRisk(risk, rule.risk);
  return risk ?? fallback;
}

interface Evaluation {
  readonly decision: Decision;
  readonly nearMisses: NearMiss[];
  readonly shell?: ShellDecomposition;
}

function evaluate(compiled: CompiledPolicy, input: ActionInput, explain: boolean): Evaluation {
  const { version, policy } = compiled;
  const nameProblem = actionNameProblem(input.action);
  if (nameProblem !== undefined) {
    // A second spelling of a gated action must never meet fewer rules than the first.
    const decision: Decision = {
      outcome: 'deny',
      reason: 'non-canonical-action',
      reasons: [{ rule: '(action name)', reason: `The action name ${nameProblem}` }],
      matched: [],
      risk: 'high',
      policyVersion: version,
    };
    return { decision, nearMisses: [] };
  }
  const ambiguous = input.action === SHELL_ACTION && denyAmbiguousShellPayload(input.params, version);
  if (ambiguous) return { decision: ambiguous, nearMisses: [] };
  const line = input.action === SHELL_ACTION ? shellCommandOf(input.params) : undefined;
  const shell = line === undefined ? undefined : decompose(line);
  if (shell !== undefined && !shell.ok) {
    // Never guess what an unparseable command does: the most restrictive outcome.
    const decision: Decision = {
      outcome: 'deny',
      reason: 'unparseable-command',
      reasons: [{ rule: '(shell parser)', reason: `The command could not be parsed: ${shell.error}` }],
      matched: [],
      risk: 'high',
      policyVersion: version,
    };
    return { decision, nearMisses: [], shell };
  }

  const scope = buildScope(input, shell, line);
  const matched: RuleMatchResult[] = [];
  const matchedRules: CompiledRule[] = [];
  const nearMisses: NearMiss[] = [];
  for (const rule of compiled.candidatesFor(input.action)) {
    const tracer: Tracer = explain ? [] : undefined;
    const via = matchRule(rule, scope, tracer);
    if (via === undefined) {
      const failed = tracer?.find((entry) => !entry.ok);
      if (failed !== undefined)
        nearMisses.push({ rule: rule.rule.name, position: rule.rule.position, failed });
      continue;
    }
    matchedRules.push(rule);
    matched.push({
      rule: rule.rule.name,
      position: rule.rule.position,
      outcome: rule.outcome,
      ...(via.via === 'part' ? { viaShellPart: via.part.text } : {}),
      trace: tracer ?? NO_TRACE,
    });
  }

  const rules = matchedRules.map((rule) => rule.rule);
  const denying = matchedRules.filter((rule) => rule.outcome === 'deny');
  let decision: Decision;
  if (denying.length > 0) {
    const reasons = denying.map(({ rule }) => ({
      rule: rule.name,
      reason: rule.outcome.kind === 'deny' ? rule.outcome.reason : '',
    }));
    decision = {
      outcome: 'deny',
      reason: 'rule',
      reasons,
      matched,
      risk: riskOf(rules, 'high'),
      policyVersion: version,
    };
  } else if (matchedRules.some((rule) => rule.outcome === 'require')) {
    const requiring = rules.filter((rule) => rule.outcome.kind === 'require');
    decision = {
      outcome: 'require',
      matched,
      requirement: combineRequirements(requiring),
      risk: riskOf(rules, 'medium'),
      policyVersion: version,
    };
  } else if (matchedRules.length > 0) {
    decision = {
      outcome: 'allow',
      reason: 'rule',
      matched,
      risk: riskOf(rules, 'low'),
      grantTtl: policy.defaults.grantTtl,
      policyVersion: version,
    };
  } else if (policy.defaults.decision === 'allow') {
    decision = {
      outcome: 'allow',
      reason: 'default',
      matched,
      risk: 'low',
      grantTtl: policy.defaults.grantTtl,
      policyVersion: version,
    };
  } else {
    const reasons = [
      { rule: '(default)', reason: 'No rule allows this action and the policy denies by default' },
    ];
    decision = { outcome: 'deny', reason: 'default', reasons, matched, risk: 'low', policyVersion: version };
  }
  return { decision, nearMisses, ...(shell === undefined ? {} : { shell }) };
}

/**
 * Decide one action against a compiled policy: every matching rule applies, deny
 * overrides, requirements combine as a conjunction, and the default decides only when
 * no rule matched (DESIGN §3). On the hot path: no traces are built.
 *
 * @example evaluateAction(compiled, { action: 'shell.execute', params: { command: 'ls' }, context: {}, requester })
 */
export function evaluateAction(compiled: CompiledPolicy, input: ActionInput): Decision {
  return evaluate(compiled, input, false).decision;
}

/**
 * Explain a decision: the matched rules with the conditions that held, the rules whose
 * action matched but a later condition failed (with the first failure), and the shell
 * parts considered.
 */
export function explainAction(compiled: CompiledPolicy, input: ActionInput): Explanation {
  const { decision, nearMisses, shell } = evaluate(compiled, input, true);
  return { decision, nearMisses, ...(shell === undefined ? {} : { shell }) };
}
