import type { BoundFields } from '../api/api-types.js';
import { Fact } from './fact.js';
import { ParamsView } from './params-view.js';

function show(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/**
 * What the approval binds: the action, its params, the context fields the payload hash covers
 * and the user it acts for. A grant is refused for anything else, so this is what runs.
 */
export function BoundPanel({ bound }: { readonly bound: BoundFields }) {
  const context = Object.entries(bound.context);
  return (
    <section className="card card-bound" aria-labelledby="bound-title" data-kind="bound">
      <h2 id="bound-title">
        <span className="badge badge-bound">Bound</span> Bound by the grant
      </h2>
      <p className="hint">
        Covered by the payload hash: the executor gets exactly this, and a grant for anything else is refused.
      </p>
      <ParamsView bound={bound} />
      <dl className="facts">
        {context.map(([key, value]) => (
          <Fact key={key} term={key}>
            <code>{show(value)}</code>
          </Fact>
        ))}
        {bound.onBehalfOf === undefined ? null : (
          <Fact term="On behalf of">
            <code>{bound.onBehalfOf}</code>
          </Fact>
        )}
        <Fact term="Payload hash">
          <code className="hash">{bound.payloadHash}</code>
        </Fact>
      </dl>
    </section>
  );
}
