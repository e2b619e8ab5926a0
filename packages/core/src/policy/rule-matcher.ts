import type { ConditionActivation } from './cel-condition.js';
import { commandPatternMeets, describePattern, describeShape } from './command-matcher.js';
import { commandShapeOf } from './command-shape.js';
import type { ActionInput, ConditionTrace, ShellPart } from './decision-types.js';
import type { CompiledRule } from './policy-compiler.js';

/**
 * One way of looking at the action. Every action has the whole view; a decomposed shell
 * command also has one view per simple command, in which `params.command` is that part.
 */
export interface ActionView {
  readonly params: Readonly<Record<string, unknown>>;
  readonly command: Readonly<Record<string, unknown>>;
  readonly part?: ShellPart;
}

/** Lazily built values shared by every rule of one decision. */
export interface MatchScope {
  readonly input: ActionInput;
  readonly whole: ActionView;
  /** Views of each simple command; empty when the action is not a decomposed shell command. */
  readonly parts: readonly ActionView[];
  requesterValue(): Readonly<Record<string, unknown>>;
}

/** Collects condition traces for `explain`; absent on the hot path. */
export type Tracer = ConditionTrace[] | undefined;

function inSet(set: ReadonlySet<string>, value: unknown): boolean {
  return typeof value === 'string' && set.has(value);
}

function quote(values: ReadonlySet<string>): string {
  return [...values].map((value) => JSON.stringify(value)).join(', ');
}

function note(tracer: Tracer, condition: string, ok: boolean, detail: string): boolean {
  tracer?.push({ condition, ok, detail });
  return ok;
}

/** The conditions that do not depend on the view: action, environment, team, requester, agent. */
export function matchFixedConditions(rule: CompiledRule, input: ActionInput, tracer: Tracer): boolean {
  if (tracer !== undefined) {
    const glob = rule.globs.find((candidate) => candidate.source === input.action) ?? rule.globs[0];
    note(tracer, 'action', true, `action "${input.action}" matches "${glob?.source}"`);
  }
  const { environments, teams, requesters, agents } = rule;
  const { context, requester } = input;
  if (environments !== undefined) {
    const ok = inSet(environments, context.environment);
    const detail = `environment ${JSON.stringify(context.environment ?? null)} ${ok ? 'is' : 'is not'} one of ${quote(environments)}`;
    if (!note(tracer, 'environment', ok, detail)) return false;
  }
  if (teams !== undefined) {
    // The request's team, or any team of the requester: a team gate cannot be dodged by omitting the team.
    const ok = inSet(teams, context.team) || requester.teams.some((team) => teams.has(team));
    const detail = `team ${JSON.stringify(context.team ?? null)} / requester teams [${requester.teams.join(', ')}] ${ok ? 'meet' : 'do not meet'} ${quote(teams)}`;
    if (!note(tracer, 'team', ok, detail)) return false;
  }
  if (requesters !== undefined) {
    // A bare name is a user's: an agent is named `agent:<id>`, so no agent can take a user's rules by its name.
    const ok =
      requesters.has(`${requester.kind}:${requester.id}`) ||
      (requester.kind === 'user' && requesters.has(requester.id));
    const detail = `requester ${requester.kind}:${requester.id} ${ok ? 'is' : 'is not'} one of ${quote(requesters)}`;
    if (!note(tracer, 'requester', ok, detail)) return false;
  }
  if (agents !== undefined) {
    const ok =
      requester.kind === 'agent' && (agents.has(requester.id) || agents.has(`agent:${requester.id}`));
    const detail = `${requester.kind} ${requester.id} ${ok ? 'is' : 'is not'} one of the agents ${quote(agents)}`;
    if (!note(tracer, 'agent', ok, detail)) return false;
  }
  return true;
}

/** The part's text with its command named by basename: `/usr/bin/rm -rf /` → `rm -rf /`. */
export function basenameText(part: ShellPart): string {
  const name = part.argv[0] ?? '';
  const slash = name.lastIndexOf('/');
  return slash < 0 ? part.text : [name.slice(slash + 1), ...part.argv.slice(1)].join(' ');
}

// A gate meets a command by its full text or by its basename (`/bin/rm` is `rm`); an allow
// rule only by its full text, so `/tmp/evil/ls` is never allowed by a rule for `ls`.
function globsMatch(globs: readonly RegExp[], part: ShellPart, gate: boolean): boolean {
  const short = gate ? basenameText(part) : part.text;
  return globs.some((glob) => glob.test(part.text) || glob.test(short));
}

function describeCommandCondition(rule: CompiledRule): string {
  const { commands, commandPatterns } = rule.rule.match;
  return [
    ...(commands ?? []).map((glob) => JSON.stringify(glob)),
    ...(commandPatterns ?? []).map(describePattern),
  ].join(', ');
}

/** `match.command`: any glob over the part's text, or any pattern over its shape. */
function matchCommand(rule: CompiledRule, part: ShellPart, gate: boolean, tracer: Tracer): boolean {
  const globs = rule.commands;
  const patterns = rule.commandPatterns;
  let ok = globs !== undefined && globsMatch(globs, part, gate);
  if (!ok && patterns !== undefined) {
    const shape = commandShapeOf(part);
    ok = patterns.some((pattern) => commandPatternMeets(pattern, part, shape, gate));
  }
  if (tracer === undefined) return ok;
  const shown = patterns === undefined ? '' : ` (${describeShape(commandShapeOf(part))})`;
  return note(
    tracer,
    'command',
    ok,
    `command "${part.text}"${shown} ${ok ? 'matches' : 'does not match'} ${describeCommandCondition(rule)}`,
  );
}

const FAIL_CLOSED = 'is only known at run time: treated as matching (fail closed)';
const NEVER_ALLOWED = 'is only known at run time: no allow rule meets it';

/**
 * Does the rule match this view? `gate` is true for deny and require rules: then an opaque
 * part (what it runs is only known at run time) meets the command and `when` conditions,
 * and a failing `when` counts as a match (fail closed). For allow rules both are no match.
 */
export function matchView(
  rule: CompiledRule,
  scope: MatchScope,
  view: ActionView,
  gate: boolean,
  tracer: Tracer,
): boolean {
  const part = view.part;
  if (part?.opaque === true) {
    const conditions = [
      ...(rule.commands !== undefined || rule.commandPatterns !== undefined ? ['command'] : []),
      ...(rule.condition === undefined ? [] : ['when']),
    ];
    for (const condition of conditions)
      note(tracer, condition, gate, `command "${part.text}" ${gate ? FAIL_CLOSED : NEVER_ALLOWED}`);
    return gate;
  }
  if (rule.commands !== undefined || rule.commandPatterns !== undefined) {
    if (part === undefined)
      return note(
        tracer,
        'command',
        false,
        'command conditions apply to each simple command, not the whole line',
      );
    if (!matchCommand(rule, part, gate, tracer)) return false;
  }
  if (rule.condition !== undefined) {
    const activation: ConditionActivation = {
      action: scope.input.action,
      params: view.params,
      context: scope.input.context,
      requester: scope.requesterValue(),
      command: view.command,
    };
    const result = rule.condition.evaluate(activation);
    if (result.ok)
      return note(tracer, 'when', result.value, `when \`${rule.condition.source}\` is ${result.value}`);
    const verdict = gate ? 'treated as matching (fail closed)' : 'treated as not matching';
    return note(
      tracer,
      'when',
      gate,
      `when \`${rule.condition.source}\` failed: ${result.error}; ${verdict}`,
    );
  }
  return true;
}

/** Which view made a rule match: `whole`, a shell part, or `undefined` for no match. */
export type ViewMatch =
  | { readonly via: 'whole' }
  | { readonly via: 'part'; readonly part: ShellPart }
  | undefined;

/**
 * Match a rule against every view. A gate applies when the whole line or any part
 * matches; an allow rule only when every part matches, so `ls && rm -rf /` is never
 * allowed by a rule for `ls`.
 */
export function matchRule(rule: CompiledRule, scope: MatchScope, tracer: Tracer): ViewMatch {
  if (!matchFixedConditions(rule, scope.input, tracer)) return undefined;
  const commandCondition = rule.commands !== undefined || rule.commandPatterns !== undefined;
  if (!commandCondition && rule.condition === undefined) return { via: 'whole' };
  const gate = rule.outcome !== 'allow';
  const { parts, whole } = scope;
  // Each view is traced on its own, so `explain` shows the view that decided, not every attempt.
  let firstFailure: ConditionTrace[] | undefined;
  const tryView = (view: ActionView): boolean => {
    const local: Tracer = tracer === undefined ? undefined : [];
    const ok = matchView(rule, scope, view, gate, local);
    if (local !== undefined && (ok || firstFailure === undefined)) {
      if (ok) tracer?.push(...local);
      else firstFailure = local;
    }
    return ok;
  };
  const fail = (): undefined => {
    if (firstFailure !== undefined) tracer?.push(...firstFailure);
    return undefined;
  };
  if (!gate) {
    if (parts.length === 0) return tryView(whole) ? { via: 'whole' } : fail();
    for (const view of parts) if (!tryView(view)) return fail();
    return { via: 'whole' };
  }
  if (!commandCondition && tryView(whole)) return { via: 'whole' };
  for (const view of parts) {
    if (tryView(view) && view.part !== undefined) return { via: 'part', part: view.part };
  }
  return fail();
}
