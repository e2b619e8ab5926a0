import { ApiError } from '../api/api-error.js';
import type { RequestDetail } from '../api/api-types.js';
import { Link } from '../app/link.js';
import { RiskBadge, StatusBadge } from '../common/badges.js';
import { EmptyState, ErrorState, LoadingState } from '../common/status-views.js';
import { useApiData } from '../common/use-api-data.js';
import { useDocumentTitle } from '../common/use-document-title.js';
import { useNow } from '../common/use-now.js';
import { useLiveEvents } from '../session/live-events.js';
import { useUser } from '../session/use-session.js';
import { BoundPanel } from './bound-panel.js';
import { ClaimedPanel } from './claimed-panel.js';
import { DiffView, diffableText } from './diff-view.js';
import { ExpiryCountdown } from './expiry-countdown.js';
import { RequestRecord } from './request-record.js';
import { RequestTimeline } from './request-timeline.js';
import { ReviewActions } from './review-actions.js';
import { fetchRequest } from './review-api.js';
import { ShellCommandView } from './shell-command-view.js';
import { StageProgress } from './stage-progress.js';
import { SummaryPanel } from './summary-panel.js';
import { VerifiedFacts } from './verified-facts.js';

function Detail({ request, onChanged }: { readonly request: RequestDetail; readonly onChanged: () => void }) {
  const user = useUser();
  const now = useNow(1_000);
  const { before, after } = request.bound.params;
  return (
    <article className="request-detail" data-request-id={request.id} data-status={request.status}>
      <header className="request-detail-head">
        <h1>
          <code className="request-title">{request.bound.action}</code>
        </h1>
        <div className="badges">
          <StatusBadge status={request.status} />
          <RiskBadge risk={request.risk} />
          {request.override === undefined ? null : <span className="badge badge-danger">Overridden</span>}
        </div>
        <SummaryPanel request={request} />
        {request.status === 'pending' ? <ExpiryCountdown expiresAt={request.expiresAt} now={now} /> : null}
      </header>
      <ReviewActions request={request} user={user} onChanged={onChanged} />
      <div className="request-kinds">
        <VerifiedFacts verified={request.verified} />
        <BoundPanel bound={request.bound} />
        <ClaimedPanel claimed={request.claimed} risk={request.risk} />
      </div>
      <ShellCommandView request={request} />
      {before !== undefined && after !== undefined ? (
        <section className="card" aria-labelledby="diff-title">
          <h2 id="diff-title">Change (before → after)</h2>
          <DiffView
            before={diffableText(before)}
            after={diffableText(after)}
            label="Change from before to after"
          />
        </section>
      ) : null}
      <StageProgress request={request} />
      <RequestRecord request={request} />
      <RequestTimeline records={request.timeline} />
    </article>
  );
}

/** One request in full: what, why, who verified what, who approved, and the decision. */
export function RequestDetailPage({ id }: { readonly id: string }) {
  const data = useApiData(`request:${id}`, (api, signal) => fetchRequest(api, id, signal));
  useDocumentTitle(
    data.state.status === 'ready' ? `${data.state.data.bound.action} (${data.state.data.status})` : 'Request',
  );
  useLiveEvents((record) => {
    if (record.subject === `request:${id}`) data.reload();
  });
  return (
    <div className="page">
      <p className="breadcrumb">
        <Link to="/">← Queue</Link>
      </p>
      {data.state.status === 'loading' ? <LoadingState label="Loading the request…" /> : null}
      {data.state.status === 'error' ? (
        data.state.error instanceof ApiError && data.state.error.status === 404 ? (
          <EmptyState title="No such request, or you may not see it.">
            <Link to="/">Back to the queue</Link>
          </EmptyState>
        ) : (
          <ErrorState error={data.state.error} onRetry={data.reload} />
        )
      ) : null}
      {data.state.status === 'ready' ? <Detail request={data.state.data} onChanged={data.reload} /> : null}
    </div>
  );
}
