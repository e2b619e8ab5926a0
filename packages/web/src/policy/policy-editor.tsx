import { useId, useState } from 'react';
import { ApiError, describeError } from '../api/api-error.js';
import type { ActivePolicy, LintResult, PolicyIssue } from '../api/api-types.js';
import { useApi } from '../session/use-session.js';
import { SourceView } from './source-view.js';

type Outcome =
  | { readonly kind: 'none' }
  | {
      readonly kind: 'issues';
      readonly issues: readonly PolicyIssue[];
      readonly checked: string;
      readonly applied: boolean;
    }
  | { readonly kind: 'valid'; readonly checked: string }
  | { readonly kind: 'applied'; readonly version: string }
  | { readonly kind: 'error'; readonly message: string };

/**
 * The admin's policy editor: check a new version, then apply it. The server validates again
 * on apply (422 with line and column); every problem is shown under its line.
 */
export function PolicyEditor({
  active,
  onApplied,
}: {
  readonly active: ActivePolicy;
  readonly onApplied: () => void;
}) {
  const api = useApi();
  const id = useId();
  const [source, setSource] = useState(active.source);
  const [outcome, setOutcome] = useState<Outcome>({ kind: 'none' });
  const [busy, setBusy] = useState(false);

  const lint = async () => {
    setBusy(true);
    try {
      const result = await api.post<LintResult>('/v1/policy/lint', { body: { source } });
      setOutcome(
        result.valid
          ? { kind: 'valid', checked: source }
          : { kind: 'issues', issues: result.errors, checked: source, applied: false },
      );
    } catch (error) {
      setOutcome({ kind: 'error', message: describeError(error) });
    } finally {
      setBusy(false);
    }
  };

  const apply = async () => {
    setBusy(true);
    try {
      const applied = await api.put<ActivePolicy>('/v1/policy', { body: { source } });
      setOutcome({ kind: 'applied', version: applied.version });
      onApplied();
    } catch (error) {
      if (error instanceof ApiError && error.status === 422) {
        setOutcome({ kind: 'issues', issues: error.policyIssues, checked: source, applied: true });
      } else {
        setOutcome({ kind: 'error', message: describeError(error) });
      }
    } finally {
      setBusy(false);
    }
  };

  const unchanged = source === active.source;
  return (
    <section className="card" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Edit and apply a new version</h2>
      <p className="hint">
        Applying stores a new version and makes it active at once for every new request; pending requests keep
        the version they were decided under. The change is audited.
      </p>
      <div className="field">
        <label htmlFor={`${id}-source`}>Policy YAML</label>
        <textarea
          id={`${id}-source`}
          className="code-input policy-input"
          rows={Math.min(30, Math.max(10, source.split('\n').length + 1))}
          spellCheck={false}
          value={source}
          onChange={(event) => {
            setSource(event.target.value);
            if (outcome.kind !== 'none') setOutcome({ kind: 'none' });
          }}
        />
      </div>
      <div className="actions-row">
        <button type="button" className="button" disabled={busy} onClick={() => void lint()}>
          Check
        </button>
        <button
          type="button"
          className="button button-primary"
          disabled={busy || unchanged}
          onClick={() => void apply()}
        >
          Apply as the new version
        </button>
        {unchanged ? <span className="hint">No change yet.</span> : null}
      </div>
      <div aria-live="polite" data-testid="editor-result">
        {outcome.kind === 'valid' ? <p className="notice notice-ok">The policy is valid.</p> : null}
        {outcome.kind === 'applied' ? (
          <p className="notice notice-ok">
            Applied: version <code className="hash">{outcome.version}</code> is now active.
          </p>
        ) : null}
        {outcome.kind === 'error' ? (
          <p className="form-error" role="alert">
            {outcome.message}
          </p>
        ) : null}
        {outcome.kind === 'issues' ? (
          <div role="alert">
            <p className="form-error">
              {outcome.applied ? 'Not applied: ' : ''}
              {outcome.issues.length} problem{outcome.issues.length === 1 ? '' : 's'} in the policy:
            </p>
            <ul className="issue-list">
              {outcome.issues.map((issue) => (
                <li key={`${issue.line}:${issue.column}:${issue.code}`}>
                  <a href={`#editor-L${issue.line}`}>
                    Line {issue.line}, column {issue.column}
                  </a>
                  : {issue.message}
                </li>
              ))}
            </ul>
          </div>
        ) : null}
      </div>
      {outcome.kind === 'issues' ? (
        <SourceView
          source={outcome.checked}
          label="The checked policy with its problems"
          idPrefix="editor"
          issues={outcome.issues}
        />
      ) : null}
    </section>
  );
}
