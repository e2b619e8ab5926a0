import type { ActivePolicy } from '../api/api-types.js';
import { formatDateTime } from '../common/format-time.js';
import { ErrorState, LoadingState } from '../common/status-views.js';
import type { Loadable } from '../common/use-api-data.js';
import { RulesTable } from './rules-table.js';
import { SourceView } from './source-view.js';

/** The active policy: its version, its rules as a table, and its YAML with line numbers. */
export function ActivePolicyView({
  state,
  onRetry,
}: {
  readonly state: Loadable<ActivePolicy>;
  readonly onRetry: () => void;
}) {
  if (state.status === 'loading') return <LoadingState label="Loading the policy…" />;
  if (state.status === 'error') return <ErrorState error={state.error} onRetry={onRetry} />;
  const policy = state.data;
  return (
    <>
      <p>
        Version <code className="hash">{policy.version}</code>, active since{' '}
        <time dateTime={policy.activatedAt}>{formatDateTime(policy.activatedAt)}</time>.
      </p>
      <section className="card" aria-labelledby="rules-title">
        <h2 id="rules-title">Rules</h2>
        <RulesTable rules={policy.rules} sourceId="active" />
      </section>
      <section className="card" aria-labelledby="source-title">
        <h2 id="source-title">Source</h2>
        <SourceView source={policy.source} label="Active policy source" idPrefix="active" />
      </section>
    </>
  );
}
