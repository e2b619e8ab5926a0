import { decomposeShell } from '../shell/shell-decompose.js';
import { compileCondition } from './cel-condition.js';
import type { ActionInput } from './decision-types.js';
import type { Policy, Rule } from './policy-types.js';

/**
 * A deliberately naive evaluator: no index, no cache, every rule scanned, globs turned
 * into one regular expression each. The property tests check that the compiled
 * evaluator always agrees with it.
 */

function globRegExp(glob: string): RegExp {
  const segments = glob.split('.').map((segment) => {
    if (segment === '**') return '[A-Za-z0-9_-]+(?:\\.[A-Za-z0-9_-]+)*';
    return segment
      .split('')
      .map((char) => (char === '*' ? '[A-Za-z0-9_-]*' : char.replace(/[-]/g, '\\-')))
      .join('');
  });
  return new RegExp(`^${segments.join('\\.')}$`);
}

function commandRegExp(glob: string): RegExp {
  const body = glob
    .split('')
    .map((char) => (char === '*' ? '.*' : char === '?' ? '.' : char.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${body}$`, 's');
}

interface View {
  params: Record<string, unknown>;
  command: Record<string, unknown>;
  text?: string;
  opaque?: boolean;
  shortText?: string;
}

function viewMatches(rule: Rule, input: ActionInput, view: View, gate: boolean): boolean {
  // What an opaque part runs is only known at run time: it meets every gate's command and
  // `when` conditions and no allow rule.
  if (view.opaque === true && (rule.match.commands !== undefined || rule.when !== undefined)) return gate;
  if (rule.match.commands !== undefined) {
    if (view.text === undefined) return false;
    // Gates also meet a command by its basename (`/usr/bin/git` is `git`); allow rules never do.
    const texts = gate && view.shortText !== undefined ? [view.text, view.shortText] : [view.text];
    if (!rule.match.commands.some((glob) => texts.some((text) => commandRegExp(glob).test(text))))
      return false;
  }
  if (rule.when !== undefined) {
    const compiled = compileCondition(rule.when);
    if (!compiled.ok) throw new Error(compiled.error.message);
    const result = compiled.condition.evaluate({
      action: input.action,
      params: view.params,
      context: input.context,
      requester: { ...input.requester },
      command: view.command,
    });
    return result.ok ? result.value : gate;
  }
  return true;
}

function ruleMatches(rule: Rule, input: ActionInput, views: { whole: View; parts: View[] }): boolean {
  const { match } = rule;
  const { context, requester } = input;
  if (!match.actions.some((glob) => globRegExp(glob).test(input.action))) return false;
  if (match.environments && !match.environments.includes(context.environment as string)) return false;
  if (
    match.teams &&
    !(match.teams.includes(context.team as string) || requester.teams.some((t) => match.teams?.includes(t)))
  )
    return false;
  if (
    match.requesters &&
    !match.requesters.some(
      (r) => r === `${requester.kind}:${requester.id}` || (requester.kind === 'user' && r === requester.id),
    )
  )
    return false;
  if (
    match.agents &&
    !(
      requester.kind === 'agent' &&
      match.agents.some((a) => a === requester.id || a === `agent:${requester.id}`)
    )
  )
    return false;
  if (rule.outcome.kind === 'allow') {
    if (views.parts.length === 0) return viewMatches(rule, input, views.whole, false);
    return views.parts.every((view) => viewMatches(rule, input, view, false));
  }
  return [views.whole, ...views.parts].some((view) => viewMatches(rule, input, view, true));
}

/** The naive decision: the outcome and the names of the matched rules. */
export function referenceDecide(policy: Policy, input: ActionInput): { outcome: string; matched: string[] } {
  let parts: View[] = [];
  let whole: View = { params: { ...input.params }, command: { text: '', argv: [], part: false } };
  if (input.action === 'shell.execute' && typeof input.params.command === 'string') {
    const shell = decomposeShell(input.params.command);
    if (!shell.ok) return { outcome: 'deny', matched: [] };
    whole = { params: { ...input.params }, command: { text: input.params.command, argv: [], part: false } };
    parts = shell.parts.map((part) => ({
      params: { ...input.params, command: part.text },
      command: {
        text: part.text,
        argv: [...part.argv],
        wrappers: [...part.wrappers],
        dynamic: part.dynamic,
        part: true,
      },
      text: part.text,
      opaque: part.opaque,
      shortText: [(part.argv[0] ?? '').split('/').at(-1), ...part.argv.slice(1)].join(' '),
    }));
  }
  const matched = policy.rules.filter((rule) => ruleMatches(rule, input, { whole, parts }));
  const names = matched.map((rule) => rule.name);
  if (matched.some((rule) => rule.outcome.kind === 'deny')) return { outcome: 'deny', matched: names };
  if (matched.some((rule) => rule.outcome.kind === 'require')) return { outcome: 'require', matched: names };
  if (matched.length > 0) return { outcome: 'allow', matched: names };
  return { outcome: policy.defaults.decision, matched: names };
}
