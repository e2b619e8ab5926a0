import type { ClaimedFields, Risk } from '../api/api-types.js';
import { Fact } from './fact.js';

function show(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/**
 * What the agent says about its own request: its reason, its risk estimate, the context the
 * payload hash does not cover. Shown apart and labelled, because nothing here was checked.
 */
export function ClaimedPanel({ claimed, risk }: { readonly claimed: ClaimedFields; readonly risk: Risk }) {
  const rest = Object.entries(claimed.context);
  const nothing = claimed.reason === undefined && claimed.risk === undefined && rest.length === 0;
  return (
    <section className="card card-claimed" aria-labelledby="claimed-title" data-kind="claimed">
      <h2 id="claimed-title">
        <span className="badge badge-claimed">Claimed</span> Claimed by the agent — not verified
      </h2>
      <p className="hint">
        <strong>Claimed by the agent, not verified.</strong> Read it as the requester’s own words; no rule may
        depend on it.
      </p>
      {nothing ? (
        <p>The agent gave no reason and no other context.</p>
      ) : (
        <dl className="facts">
          {claimed.reason === undefined ? null : (
            <Fact term="Reason (claimed)">
              <blockquote className="claimed-quote">{claimed.reason}</blockquote>
            </Fact>
          )}
          {claimed.risk === undefined ? null : (
            <Fact term="Risk (claimed)">
              {claimed.risk}{' '}
              {claimed.risk !== risk ? <span className="hint">(Gatehouse rates it {risk})</span> : null}
            </Fact>
          )}
          {rest.map(([key, value]) => (
            <Fact key={key} term={`${key} (claimed)`}>
              <code>{show(value)}</code>
            </Fact>
          ))}
        </dl>
      )}
    </section>
  );
}
