import type { ActionSummary, ApprovalRequest } from '@gatehouse/core';

/** An email ready for the mailer. */
export interface ReviewEmail {
  readonly subject: string;
  readonly text: string;
  readonly html: string;
}

/** What an approval email is about. */
export interface ReviewEmailFacts {
  readonly request: ApprovalRequest;
  readonly summary: ActionSummary;
  /** The app's public URL, without a trailing slash. */
  readonly publicUrl: string;
  readonly escalated?: boolean;
}

/**
 * The link into the app for a request: a plain page address. Opening it changes nothing (no token,
 * no action in the URL); approving takes a signed-in reviewer pressing a button on the page.
 */
export function requestPageUrl(publicUrl: string, requestId: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/requests/${encodeURIComponent(requestId)}`;
}

/**
 * The email asking a reviewer to look at a request: the summary (advisory, with its source), the
 * risk, the action, who asked, and the one link into the app. The agent's stated reason is not
 * repeated here (it is shown on the page, as claimed). Text parts are plain; the HTML escapes
 * everything it shows.
 */
export function composeReviewEmail(facts: ReviewEmailFacts): ReviewEmail {
  const { request, summary } = facts;
  const link = requestPageUrl(facts.publicUrl, request.id);
  const asker = whoAsked(request);
  const stage = request.requirement.stages[request.stageIndex];
  const lines: [string, string][] = [
    [
      'Summary',
      `${oneLine(summary.text)} (advisory, ${summary.source === 'built-in' ? 'built-in explainer' : summary.source})`,
    ],
    ['Risk', `${summary.risk}${summary.risk === request.risk ? '' : ` (policy: ${request.risk})`}`],
    ['Action', request.action],
    ['Requested by', asker],
    [
      'Stage',
      stage === undefined ? '-' : `${stage.name} (${stage.min} approval${stage.min === 1 ? '' : 's'} needed)`,
    ],
    ['Expires', new Date(request.expiresAt).toISOString()],
  ];
  const signals = summary.signals.map((signal) => `${signal.code}: ${oneLine(signal.detail)}`);
  const heading = facts.escalated
    ? 'An approval request was escalated to you'
    : 'An approval request is waiting for you';
  const subject = `[Gatehouse] ${facts.escalated ? 'Escalated: ' : ''}approval needed for ${request.action} (${summary.risk} risk)`;
  const text = [
    `${heading}.`,
    '',
    ...lines.map(([label, value]) => `${label}: ${value}`),
    ...(signals.length === 0 ? [] : ['Signals:', ...signals.map((signal) => `  - ${signal}`)]),
    '',
    'Open the request in Gatehouse to review it (opening the page changes nothing):',
    link,
  ].join('\n');
  const html = [
    `<p>${escapeHtml(heading)}.</p>`,
    '<table>',
    ...lines.map(
      ([label, value]) => `<tr><th align="left">${escapeHtml(label)}</th><td>${escapeHtml(value)}</td></tr>`,
    ),
    '</table>',
    ...(signals.length === 0
      ? []
      : ['<ul>', ...signals.map((signal) => `<li>${escapeHtml(signal)}</li>`), '</ul>']),
    `<p><a href="${escapeHtml(link)}">Open the request in Gatehouse</a> (opening the page changes nothing).</p>`,
  ].join('\n');
  return Object.freeze({ subject, text, html });
}

function whoAsked(request: ApprovalRequest): string {
  const { requester } = request;
  const parts = [`${requester.kind} ${requester.id}`];
  if (requester.owner !== undefined) parts.push(`owned by ${requester.owner}`);
  if (request.onBehalfOf !== undefined) parts.push(`on behalf of ${request.onBehalfOf}`);
  return parts.join(', ');
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
