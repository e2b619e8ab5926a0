import type { RequestView } from '../api/api-types.js';
import { formatDateTime } from '../common/format-time.js';
import { Fact } from './fact.js';

/** When it was asked, decided and used: the server's own record of the request's life. */
export function RequestRecord({ request }: { readonly request: RequestView }) {
  return (
    <section className="card" aria-labelledby="record-title">
      <h2 id="record-title">Record</h2>
      <dl className="facts">
        <Fact term="Created">
          <time dateTime={request.createdAt}>{formatDateTime(request.createdAt)}</time>
        </Fact>
        <Fact term="Expires">
          <time dateTime={request.expiresAt}>{formatDateTime(request.expiresAt)}</time>
        </Fact>
        {request.decidedAt === undefined ? null : (
          <Fact term="Decided">
            <time dateTime={request.decidedAt}>{formatDateTime(request.decidedAt)}</time>
            {request.decidedBy === undefined ? null : (
              <>
                {' '}
                by <code>{request.decidedBy}</code>
              </>
            )}
          </Fact>
        )}
        {request.grant === undefined ? null : (
          <Fact term="Grant">
            <code>{request.grant.jti}</code>,{' '}
            {request.grant.consumedAt === undefined
              ? `usable until ${formatDateTime(request.grant.expiresAt)}`
              : `used ${formatDateTime(request.grant.consumedAt)}`}
          </Fact>
        )}
        {request.outcome === undefined ? null : (
          <Fact term="Outcome">
            {request.outcome.result}
            {request.outcome.detail === undefined ? null : `: ${request.outcome.detail}`}
          </Fact>
        )}
        {request.escalated ? <Fact term="Escalated">yes: the timeout escalated it</Fact> : null}
      </dl>
    </section>
  );
}
