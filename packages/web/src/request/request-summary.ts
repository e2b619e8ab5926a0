import type { BoundFields, RequestView, VerifiedFacts } from '../api/api-types.js';

function text(value: unknown): string | undefined {
  if (typeof value === 'string' && value.trim() !== '') return value.trim();
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

function firstOf(params: Readonly<Record<string, unknown>>, keys: readonly string[]): string | undefined {
  for (const key of keys) {
    const value = text(params[key]);
    if (value !== undefined) return value;
  }
  return undefined;
}

/** The shell command of a request, when its params carry one (`command`, or `argv`). */
export function shellCommandOf(request: Pick<BoundFields, 'params'>): string | undefined {
  const command = text(request.params.command);
  if (command !== undefined) return command;
  const argv = request.params.argv;
  if (Array.isArray(argv) && argv.length > 0 && argv.every((arg) => typeof arg === 'string')) {
    return argv.join(' ');
  }
  return undefined;
}

function quote(value: string, max = 120): string {
  const short = value.length > max ? `${value.slice(0, max - 1)}…` : value;
  return `“${short}”`;
}

/** Who asked, in words, from the verified facts only: `Agent ci-bot (owned by alice), on behalf of bob`. */
export function describeRequester(verified: Pick<VerifiedFacts, 'requester' | 'onBehalfOf'>): string {
  const { requester, onBehalfOf } = verified;
  const who =
    requester.kind === 'agent'
      ? `Agent ${requester.id}${requester.owner === undefined ? '' : ` (owned by ${requester.owner})`}`
      : `User ${requester.id}`;
  return onBehalfOf === undefined ? who : `${who}, on behalf of ${onBehalfOf.user}`;
}

/** Action-name segments read as verbs, and how to say them. */
const VERBS: Readonly<Record<string, string>> = {
  execute: 'run',
  run: 'run',
  delete: 'delete',
  remove: 'remove',
  install: 'install',
  read: 'read',
  write: 'write',
  publish: 'publish',
  deploy: 'deploy',
  create: 'create',
  update: 'update',
  restart: 'restart',
  start: 'start',
  stop: 'stop',
};

/** What the action would do, in words: `run the shell command “git push”`, `delete proxmox vm “104”`. */
export function describeAction(request: Pick<BoundFields, 'action' | 'params'>): string {
  const { action, params } = request;
  const command = shellCommandOf(request);
  if (action.startsWith('shell.') && command !== undefined) return `run the shell command ${quote(command)}`;
  const target = firstOf(params, [
    'name',
    'service',
    'app',
    'plugin',
    'package',
    'vmid',
    'id',
    'path',
    'secret',
    'workflow',
  ]);
  const where = firstOf(params, ['environment', 'env', 'host', 'node']);
  const named = target === undefined ? '' : ` ${quote(target, 60)}`;
  const on = where === undefined ? '' : ` on ${where}`;
  const segments = action.split('.');
  const at = segments.findIndex((segment) => VERBS[segment] !== undefined);
  if (at === -1) return `perform ${action}${named}${on}`;
  const verb = VERBS[segments[at] ?? ''] ?? 'perform';
  const before = segments.slice(0, at);
  const after = segments.slice(at + 1);
  if (before.length === 0) return `${verb}${named}${after.length > 0 ? ` to ${after.join(' ')}` : ''}${on}`;
  return `${verb} ${[...after, ...before].join(' ')}${named}${on}`;
}

/** Why it waits, or what decided it. */
function describeRules(rules: readonly string[], status: RequestView['status']): string {
  if (rules.length === 0) return 'No rule named it; the policy default decided.';
  const names = rules.join(', ');
  const one = rules.length === 1;
  if (status !== 'pending') return `${one ? 'Rule' : 'Rules'} ${names} applied.`;
  return `${one ? 'Rule' : 'Rules'} ${names} ${one ? 'requires' : 'require'} approval.`;
}

/**
 * The request in plain words: who wants to do what, where, and which rules hold it. Uses
 * the server's summary text when there is one (on a detail, once written); otherwise builds
 * it from the request's fields (never from the agent's claimed reason, which is shown apart).
 */
export function summarizeRequest(request: RequestView): string {
  const given = request.summary?.text;
  if (typeof given === 'string' && given.trim() !== '') return given;
  const { verified, bound } = request;
  const environment = text(bound.context.environment);
  const place = environment === undefined ? '' : ` in ${environment}`;
  return `${describeRequester(verified)} wants to ${describeAction(bound)}${place}. ${describeRules(verified.rules, request.status)}`;
}
