import { useId, useState } from 'react';
import type { BoundFields } from '../api/api-types.js';
import { ScrollRegion } from '../common/scroll-region.js';

function Value({ value }: { readonly value: unknown }) {
  if (typeof value === 'string') return <code className="value-string">{value}</code>;
  if (typeof value === 'number' || typeof value === 'boolean' || value === null)
    return <code>{String(value)}</code>;
  return (
    <ScrollRegion label="Value">
      <pre className="code">{JSON.stringify(value, null, 2)}</pre>
    </ScrollRegion>
  );
}

/** The action and its params: readable (one line per param) or raw JSON, exactly as approved. */
export function ParamsView({ bound }: { readonly bound: Pick<BoundFields, 'action' | 'params'> }) {
  const [raw, setRaw] = useState(false);
  const id = useId();
  const entries = Object.entries(bound.params);
  return (
    <section className="params-view" aria-labelledby={`${id}-title`}>
      <div className="card-head">
        <h3 id={`${id}-title`}>Action and parameters</h3>
        <fieldset className="segmented">
          <legend className="visually-hidden">Show parameters as</legend>
          <button type="button" className="tab" aria-pressed={!raw} onClick={() => setRaw(false)}>
            Readable
          </button>
          <button type="button" className="tab" aria-pressed={raw} onClick={() => setRaw(true)}>
            Raw JSON
          </button>
        </fieldset>
      </div>
      {raw ? (
        <ScrollRegion label="Raw action and parameters">
          <pre className="code" data-testid="raw-params">
            {JSON.stringify({ action: bound.action, params: bound.params }, null, 2)}
          </pre>
        </ScrollRegion>
      ) : (
        <dl className="facts">
          <dt>Action</dt>
          <dd>
            <code>{bound.action}</code>
          </dd>
          {entries.length === 0 ? (
            <>
              <dt>Parameters</dt>
              <dd>none</dd>
            </>
          ) : (
            entries.map(([key, value]) => <ParamEntry key={key} name={key} value={value} />)
          )}
        </dl>
      )}
    </section>
  );
}

function ParamEntry({ name, value }: { readonly name: string; readonly value: unknown }) {
  return (
    <>
      <dt>{name}</dt>
      <dd>
        <Value value={value} />
      </dd>
    </>
  );
}
