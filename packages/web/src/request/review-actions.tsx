import { useId, useState } from 'react';
import type { RequestView, SessionUser } from '../api/api-types.js';
import { formatDateTime } from '../common/format-time.js';
import { isStaff } from '../session/use-session.js';
import { CancelDialog } from './cancel-dialog.js';
import { DecisionDialog } from './decision-dialog.js';
import { OverrideDialog } from './override-dialog.js';

type Open = 'approve' | 'deny' | 'override' | 'cancel' | undefined;

function isParty(request: RequestView, user: SessionUser): boolean {
  const me = [user.id, `user:${user.id}`];
  return (
    (request.verified.requester.kind === 'user' && request.verified.requester.id === user.id) ||
    (request.verified.onBehalfOf !== undefined && me.includes(request.verified.onBehalfOf.user))
  );
}

function Decided({ request }: { readonly request: RequestView }) {
  return (
    <div className={`decided decided-${request.status}`} role="status">
      <p>
        This request is <strong>{request.status}</strong>
        {request.decidedBy === undefined ? '' : ` (by ${request.decidedBy})`}
        {request.decidedAt === undefined ? '' : `, ${formatDateTime(request.decidedAt)}`}.
      </p>
      {request.override === undefined ? null : (
        <p className="notice notice-danger">
          <strong>Overridden</strong> by {request.override.by}: “{request.override.justification}”
        </p>
      )}
    </div>
  );
}

/**
 * Approve, deny, override or cancel. When I may not vote, the buttons stay visible but
 * disabled, and say why (the server's own reason for this viewer).
 */
export function ReviewActions({
  request,
  user,
  onChanged,
}: {
  readonly request: RequestView;
  readonly user: SessionUser;
  readonly onChanged: () => void;
}) {
  const [open, setOpen] = useState<Open>();
  const whyNotId = useId();
  const done = () => {
    setOpen(undefined);
    onChanged();
  };
  if (request.status !== 'pending') return <Decided request={request} />;

  const { canReview, reason } = request.viewer;
  const describedBy = canReview ? undefined : whyNotId;
  return (
    <section className="actions card" aria-label="Decide">
      <div className="actions-row">
        <button
          type="button"
          className="button button-primary"
          disabled={!canReview}
          aria-describedby={describedBy}
          onClick={() => setOpen('approve')}
        >
          Approve
        </button>
        <button
          type="button"
          className="button button-danger"
          disabled={!canReview}
          aria-describedby={describedBy}
          onClick={() => setOpen('deny')}
        >
          Deny
        </button>
        {isStaff(user) ? (
          <button type="button" className="button button-quiet-danger" onClick={() => setOpen('override')}>
            Emergency override…
          </button>
        ) : null}
        {isParty(request, user) ? (
          <button type="button" className="button" onClick={() => setOpen('cancel')}>
            Cancel request
          </button>
        ) : null}
      </div>
      {canReview ? null : (
        <p id={whyNotId} className="why-not" data-testid="why-not">
          You cannot vote on this request: {reason ?? 'you are not an eligible reviewer'}.
        </p>
      )}
      {open === 'approve' || open === 'deny' ? (
        <DecisionDialog request={request} decision={open} onClose={() => setOpen(undefined)} onDone={done} />
      ) : null}
      {open === 'override' ? (
        <OverrideDialog request={request} onClose={() => setOpen(undefined)} onDone={done} />
      ) : null}
      {open === 'cancel' ? (
        <CancelDialog request={request} onClose={() => setOpen(undefined)} onDone={done} />
      ) : null}
    </section>
  );
}
