import { Fragment } from 'react';
import type { RequestView } from '../api/api-types.js';

function show(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/**
 * What the agent says about its own request: its reason, its risk estimate, the context it
 * sent. Shown apart and labelled, because nothing here was checked.
 */
export function ClaimedPanel({ request }: { readonly request: RequestView }) {
  const { claimed, context } = request;
  const rest = Object.entries(context).filter(([key]) => key !== 'reason' && key !== 'risk');
  const nothing = claimed.reason === undefined && claimed.risk === undefined && rest.length === 0;
  return (
    <section className="card card-claimed" aria-labelledby="claimed-title">
      <h2 id="claimed-title">
        <span className="badge badge-claimed">Claimed</span> What the agent says
      </h2>
      <p className="hint">
        <strong>Claimed by the agent, not verified.</strong> Read it as the requester’s own words.
      </p>
      {nothing ? (
        <p>The agent gave no reason and no context.</p>
      ) : (
        <dl className="facts">
          {claimed.reason === undefined ? null : (
            <>
              <dt>Reason (claimed)</dt>
              <dd>
                <blockquote className="claimed-quote">{claimed.reason}</blockquote>
              </dd>
            </>
          )}
          {claimed.risk === undefined ? null : (
            <>
              <dt>Risk (claimed)</dt>
              <dd>
                {claimed.risk}{' '}
                {claimed.risk !== request.risk ? (
                  <span className="hint">(Gatehouse rates it {request.risk})</span>
                ) : null}
              </dd>
            </>
          )}
          {rest.map(([key, value]) => (
            <Fragment key={key}>
              <dt>{key} (claimed)</dt>
              <dd>
                <code>{show(value)}</code>
              </dd>
            </Fragment>
          ))}
        </dl>
      )}
    </section>
  );
}
