import type { AuditRecord } from '@gatehouse/core';
import type { RequestView, StageView } from '@gatehouse/server';
import { formatAge, formatTable, oneLine } from './output.js';

/** `GET /v1/requests/{id}`: the view, the requester's usable grant token, and the audit timeline. */
export type RequestDetail = RequestView & {
  readonly grantToken?: string;
  readonly timeline: readonly AuditRecord[];
};

const ageOf = (iso: string, now: number) => formatAge(now - Date.parse(iso));

/** The queue as a table: id, status, action, requester, risk, age. */
export function formatRequestTable(requests: readonly RequestView[], now: number): string {
  const rows = requests.map((request) => [
    request.id,
    request.status,
    oneLine(request.bound.action),
    `${request.verified.requester.kind}:${request.verified.requester.id}`,
    request.risk,
    ageOf(request.createdAt, now),
  ]);
  return formatTable(['ID', 'STATUS', 'ACTION', 'REQUESTER', 'RISK', 'AGE'], rows);
}

function describeStage(stage: StageView): string {
  const approvals = `${stage.approvedBy.length}/${stage.min} approval${stage.min === 1 ? '' : 's'}`;
  const by = stage.approvedBy.length === 0 ? '' : `, approved by ${stage.approvedBy.join(', ')}`;
  const denied = stage.deniedBy.length === 0 ? '' : `, denied by ${stage.deniedBy.join(', ')}`;
  return `${stage.index + 1}. ${oneLine(stage.name)} [${stage.state}] ${approvals} from ${stage.approvers.join(' or ')}${by}${denied}  (rule ${oneLine(stage.rule)})`;
}

/** Who still has to approve: the stages not done, e.g. `1 approval from role moderator`. */
export function describeWaitingFor(request: RequestView): string {
  const open = request.stages.filter((stage) => stage.state !== 'done');
  if (open.length === 0) return 'nobody';
  return open
    .map(
      (stage) =>
        `${stage.remaining} approval${stage.remaining === 1 ? '' : 's'} from ${stage.approvers.join(' or ')}`,
    )
    .join(', then ');
}

function indentJson(value: unknown): string {
  // JSON escapes control characters, so agent-supplied params cannot drive the terminal.
  return JSON.stringify(value, null, 2).replace(/\n/g, '\n    ');
}

const TIMELINE_FIELDS = [
  'decision',
  'comment',
  'reason',
  'result',
  'detail',
  'justification',
  'code',
] as const;

function describeRecord(record: AuditRecord): string {
  const data = record.data as Record<string, unknown>;
  const details = TIMELINE_FIELDS.filter((key) => typeof data[key] === 'string').map(
    (key) => `${key}: ${oneLine(String(data[key]))}`,
  );
  const when = new Date(record.at).toISOString();
  return `  ${when}  ${record.type.padEnd(18)} by ${record.actor}${details.length === 0 ? '' : `  ${details.join('; ')}`}`;
}

function describeRequester(verified: RequestView['verified']): string {
  const { requester } = verified;
  const about = [
    ...(requester.role === undefined ? [] : [`role ${requester.role}`]),
    ...(requester.owner === undefined ? [] : [`owned by ${requester.owner}`]),
    ...(requester.teams.length === 0 ? [] : [`teams ${requester.teams.join(', ')}`]),
  ];
  return `${requester.kind}:${requester.id}${about.length === 0 ? '' : ` (${about.join('; ')})`}`;
}

function describeOnBehalfOf(onBehalfOf: NonNullable<RequestView['verified']['onBehalfOf']>): string {
  const basis = onBehalfOf.basis === 'self' ? 'the requester themselves' : 'on the agent’s actsFor list';
  const inactive = onBehalfOf.active === false ? '  DISABLED since: approving acts for a disabled user' : '';
  return `${oneLine(onBehalfOf.user)} (${basis})${inactive}`;
}

/** The three kinds of what a request carries, each under its own heading (DESIGN §4). */
export function formatRequestKinds(view: RequestView): string[] {
  const { verified, bound, claimed } = view;
  const lines: string[] = [];
  lines.push('Verified by Gatehouse:');
  lines.push(`  requester:    ${describeRequester(verified)}`);
  if (verified.onBehalfOf !== undefined)
    lines.push(`  on behalf of: ${describeOnBehalfOf(verified.onBehalfOf)}`);
  if (verified.team !== undefined) lines.push(`  team:         ${verified.team}`);
  lines.push(`  policy:       ${verified.policyVersion}`);
  lines.push(`  rules:        ${verified.rules.join(', ') || '(none: the default)'}`);
  lines.push('');
  lines.push('Bound by the grant (the executor gets exactly this):');
  lines.push(`  action:       ${oneLine(bound.action)}`);
  lines.push(`  params:       ${indentJson(bound.params)}`);
  if (Object.keys(bound.context).length > 0) lines.push(`  context:      ${indentJson(bound.context)}`);
  if (bound.onBehalfOf !== undefined) lines.push(`  on behalf of: ${oneLine(bound.onBehalfOf)}`);
  lines.push(`  payload hash: ${bound.payloadHash}`);
  lines.push('');
  lines.push('Claimed by the agent (not verified):');
  lines.push(`  reason:       ${claimed.reason === undefined ? '(none given)' : oneLine(claimed.reason)}`);
  if (claimed.risk !== undefined) lines.push(`  risk hint:    ${oneLine(claimed.risk)}`);
  if (Object.keys(claimed.context).length > 0) lines.push(`  context:      ${indentJson(claimed.context)}`);
  return lines;
}

/** `requests show`: summary, what Gatehouse verified, what the grant binds, what the agent claims, stages, reviews, timeline. */
export function formatRequestDetail(detail: RequestDetail, now: number): string {
  const lines: string[] = [];
  lines.push(`Request ${detail.id}  ${detail.status.toUpperCase()}  risk ${detail.risk}`);
  lines.push(`  action:      ${oneLine(detail.bound.action)}`);
  lines.push(`  created:     ${detail.createdAt} (${ageOf(detail.createdAt, now)} ago)`);
  if (detail.status === 'pending') lines.push(`  expires:     ${detail.expiresAt}`);
  if (detail.decidedAt !== undefined)
    lines.push(`  decided:     ${detail.decidedAt} (${detail.decidedBy ?? ''})`);
  if (detail.status === 'pending') lines.push(`  waiting for: ${describeWaitingFor(detail)}`);
  lines.push('');
  lines.push(...formatRequestKinds(detail));
  lines.push('');
  lines.push('Stages:');
  if (detail.stages.length === 0) lines.push('  (none: decided by policy)');
  for (const stage of detail.stages) lines.push(`  ${describeStage(stage)}`);
  lines.push('');
  lines.push('Reviews:');
  if (detail.reviews.length === 0) lines.push('  (none)');
  for (const review of detail.reviews) {
    const comment = review.comment === undefined ? '' : `: ${oneLine(review.comment)}`;
    lines.push(
      `  ${review.at}  ${review.reviewer} ${review.decision}s (stage ${review.stage + 1})${comment}`,
    );
  }
  if (detail.override !== undefined) {
    lines.push(
      `  OVERRIDE by ${detail.override.by} at ${detail.override.at}: ${oneLine(detail.override.justification)}`,
    );
  }
  if (detail.outcome !== undefined) {
    const outcomeDetail = detail.outcome.detail === undefined ? '' : ` (${oneLine(detail.outcome.detail)})`;
    lines.push(`Outcome: ${detail.outcome.result} at ${detail.outcome.at}${outcomeDetail}`);
  }
  lines.push('');
  lines.push('Timeline:');
  for (const record of detail.timeline) lines.push(describeRecord(record));
  return `${lines.join('\n')}\n`;
}
