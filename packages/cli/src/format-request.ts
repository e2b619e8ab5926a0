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
    oneLine(request.action),
    `${request.requester.kind}:${request.requester.id}`,
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

/** `requests show`: summary, what the agent claims vs what Gatehouse verified, stages, reviews, timeline. */
export function formatRequestDetail(detail: RequestDetail, now: number): string {
  const lines: string[] = [];
  const requester = `${detail.requester.kind}:${detail.requester.id}${detail.requester.owner === undefined ? '' : ` (owned by ${detail.requester.owner})`}`;
  lines.push(`Request ${detail.id}  ${detail.status.toUpperCase()}  risk ${detail.risk}`);
  lines.push(`  action:      ${oneLine(detail.action)}`);
  lines.push(`  created:     ${detail.createdAt} (${ageOf(detail.createdAt, now)} ago)`);
  if (detail.status === 'pending') lines.push(`  expires:     ${detail.expiresAt}`);
  if (detail.decidedAt !== undefined)
    lines.push(`  decided:     ${detail.decidedAt} (${detail.decidedBy ?? ''})`);
  if (detail.status === 'pending') lines.push(`  waiting for: ${describeWaitingFor(detail)}`);
  lines.push('');
  lines.push('Verified by Gatehouse:');
  lines.push(`  requester:   ${requester}`);
  if (detail.onBehalfOf !== undefined)
    lines.push(`  on behalf of: ${oneLine(detail.onBehalfOf)} (as the agent states)`);
  if (detail.team !== undefined) lines.push(`  team:        ${detail.team}`);
  lines.push(`  payload:     ${detail.payloadHash}`);
  lines.push(
    `  policy:      ${detail.policyVersion}  rules: ${detail.rules.join(', ') || '(none: the default)'}`,
  );
  lines.push('');
  lines.push('Claimed by the agent (not verified):');
  lines.push(
    `  reason:      ${detail.claimed.reason === undefined ? '(none given)' : oneLine(detail.claimed.reason)}`,
  );
  if (detail.claimed.risk !== undefined) lines.push(`  risk hint:   ${oneLine(detail.claimed.risk)}`);
  lines.push(`  params:      ${indentJson(detail.params)}`);
  lines.push(`  context:     ${indentJson(detail.context)}`);
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
