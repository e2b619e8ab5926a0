import { type FormEvent, useId, useState } from 'react';
import { describeError } from '../api/api-error.js';
import type { Explanation } from '../api/api-types.js';
import { useApi } from '../session/use-session.js';
import { ExplanationView } from './explanation-view.js';

function parseObject(text: string, what: string): Record<string, unknown> {
  if (text.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new Error(`${what} is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new Error(`${what} must be a JSON object.`);
  return value as Record<string, unknown>;
}

/** Asks the active policy what it would decide for an action, without storing anything. */
export function PolicySimulator() {
  const api = useApi();
  const id = useId();
  const [action, setAction] = useState('shell.execute');
  const [params, setParams] = useState('{\n  "command": "cd repo && git push --force"\n}');
  const [context, setContext] = useState('{}');
  const [result, setResult] = useState<Explanation | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(undefined);
    setBusy(true);
    try {
      const body = {
        action: action.trim(),
        params: parseObject(params, 'Params'),
        context: parseObject(context, 'Context'),
      };
      setResult(await api.post<Explanation>('/v1/evaluate', { body }));
    } catch (caught) {
      setResult(undefined);
      setError(describeError(caught));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="columns">
      <section className="card" aria-labelledby={`${id}-title`}>
        <h2 id={`${id}-title`}>Try an action</h2>
        <form className="form" onSubmit={submit}>
          <div className="field">
            <label htmlFor={`${id}-action`}>Action</label>
            <input id={`${id}-action`} required value={action} onChange={(e) => setAction(e.target.value)} />
          </div>
          <div className="field">
            <label htmlFor={`${id}-params`}>Params (JSON)</label>
            <textarea
              id={`${id}-params`}
              className="code-input"
              rows={6}
              spellCheck={false}
              value={params}
              onChange={(e) => setParams(e.target.value)}
            />
          </div>
          <div className="field">
            <label htmlFor={`${id}-context`}>Context (JSON)</label>
            <textarea
              id={`${id}-context`}
              className="code-input"
              rows={4}
              spellCheck={false}
              value={context}
              onChange={(e) => setContext(e.target.value)}
            />
          </div>
          {error === undefined ? null : (
            <p className="form-error" role="alert">
              {error}
            </p>
          )}
          <button type="submit" className="button button-primary" disabled={busy}>
            {busy ? 'Evaluating…' : 'Explain the decision'}
          </button>
        </form>
      </section>
      <section className="card" aria-labelledby={`${id}-result`} aria-live="polite">
        <h2 id={`${id}-result`}>What the policy would do</h2>
        {result === undefined ? (
          <p className="hint">Nothing is stored: this only asks.</p>
        ) : (
          <ExplanationView explanation={result} />
        )}
      </section>
    </div>
  );
}
