import type { Ref } from 'react';
import type { RequestView } from '../api/api-types.js';
import { Link } from '../app/link.js';
import { requestPath } from '../app/routes.js';
import { RiskBadge, StatusBadge } from '../common/badges.js';
import { formatAgo, formatDuration } from '../common/format-time.js';
import { summarizeRequest } from '../request/request-summary.js';

/** One request in the queue: what, who, how risky, and whether it waits for me. */
export function RequestRow({
  request,
  selected,
  now,
  onFocus,
  ref,
}: {
  readonly request: RequestView;
  readonly selected: boolean;
  readonly now: number;
  readonly onFocus: () => void;
  readonly ref?: Ref<HTMLAnchorElement>;
}) {
  const left = Date.parse(request.expiresAt) - now;
  return (
    <li className={`request-row${selected ? ' request-row-selected' : ''}`} data-request-id={request.id}>
      <Link
        ref={ref}
        to={requestPath(request.id)}
        className="request-row-link"
        onFocus={onFocus}
        aria-current={selected ? 'true' : undefined}
      >
        <span className="request-row-top">
          <span className="request-action">{request.bound.action}</span>
          <StatusBadge status={request.status} />
          <RiskBadge risk={request.risk} />
          {request.status === 'pending' && request.viewer.canReview ? (
            <span className="badge badge-yours">Awaiting your vote</span>
          ) : null}
        </span>
        <span className="request-summary">{summarizeRequest(request)}</span>
        <span className="request-meta">
          <span>
            {request.verified.requester.kind === 'agent'
              ? `agent ${request.verified.requester.id}`
              : request.verified.requester.id}
          </span>
          {request.verified.team === undefined ? null : <span>team {request.verified.team}</span>}
          <span>created {formatAgo(request.createdAt, now)}</span>
          {request.status === 'pending' ? (
            <span>{left > 0 ? `expires in ${formatDuration(left)}` : 'expiring now'}</span>
          ) : null}
          {request.status === 'pending' &&
          !request.viewer.canReview &&
          request.viewer.reason !== undefined ? (
            <span className="request-why-not">{request.viewer.reason}</span>
          ) : null}
        </span>
      </Link>
    </li>
  );
}
