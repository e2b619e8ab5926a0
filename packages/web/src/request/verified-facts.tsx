import type { ReactNode } from 'react';
import type { RequestView } from '../api/api-types.js';
import { formatDateTime } from '../common/format-time.js';

function Fact({ term, children }: { readonly term: string; readonly children: ReactNode }) {
  return (
    <>
      <dt>{term}</dt>
      <dd>{children}</dd>
    </>
  );
}

/**
 * What Gatehouse itself established: who asked (from their credential), which rules of
 * which policy version matched, the payload hash the approval binds to, and the times.
 */
export function VerifiedFacts({ request }: { readonly request: RequestView }) {
  const { requester } = request;
  return (
    <section className="card card-verified" aria-labelledby="verified-title">
      <h2 id="verified-title">
        <span className="badge badge-verified">Verified</span> What Gatehouse checked
      </h2>
      <p className="hint">
        From the credential that sent the request and the active policy: not from the agent’s words.
      </p>
      <dl className="facts">
        <Fact term="Requester">
          {requester.kind} <code>{requester.id}</code>
        </Fact>
        {requester.owner === undefined ? null : (
          <Fact term="Agent owner">
            <code>{requester.owner}</code>
          </Fact>
        )}
        {request.onBehalfOf === undefined ? null : (
          <Fact term="On behalf of">
            <code>{request.onBehalfOf}</code>
          </Fact>
        )}
        <Fact term="Team">{request.team === undefined ? 'none' : <code>{request.team}</code>}</Fact>
        <Fact term="Matched rules">
          {request.rules.length === 0
            ? 'none (the policy default decided)'
            : request.rules.map((rule) => <code key={rule}>{rule} </code>)}
        </Fact>
        <Fact term="Policy version">
          <code className="hash">{request.policyVersion}</code>
        </Fact>
        <Fact term="Payload hash">
          <code className="hash">{request.payloadHash}</code>
        </Fact>
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
