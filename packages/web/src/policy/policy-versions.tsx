import { useEffect, useId, useState } from 'react';
import type { PolicyVersion, PolicyVersionSummary } from '../api/api-types.js';
import { formatDateTime } from '../common/format-time.js';
import { ScrollRegion } from '../common/scroll-region.js';
import { ErrorState, LoadingState } from '../common/status-views.js';
import { useApiData } from '../common/use-api-data.js';
import { DiffView } from '../request/diff-view.js';

function versionPath(version: string): string {
  return `/v1/policy/versions/${encodeURIComponent(version)}`;
}

function short(version: string): string {
  return version.length > 19 ? `${version.slice(0, 19)}…` : version;
}

function CompareVersions({ versions }: { readonly versions: readonly PolicyVersionSummary[] }) {
  const id = useId();
  // Oldest on the left: by default the version before the newest, against the newest.
  const [from, setFrom] = useState(versions[1]?.version ?? versions[0]?.version ?? '');
  const [to, setTo] = useState(versions[0]?.version ?? '');
  const pair = useApiData(`policy-diff:${from}:${to}`, async (api, signal) => {
    const [a, b] = await Promise.all([
      api.get<PolicyVersion>(versionPath(from), { signal }),
      api.get<PolicyVersion>(versionPath(to), { signal }),
    ]);
    return { a, b };
  });
  useEffect(() => {
    if (from === '' && versions[0] !== undefined) setFrom(versions[0].version);
  }, [from, versions]);

  const option = (version: PolicyVersionSummary) => (
    <option key={version.version} value={version.version}>
      {short(version.version)} — {formatDateTime(version.createdAt)}
      {version.active ? ' (active)' : ''}
    </option>
  );
  return (
    <section className="card" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Compare two versions</h2>
      <div className="filters">
        <div className="field">
          <label htmlFor={`${id}-from`}>From</label>
          <select id={`${id}-from`} value={from} onChange={(event) => setFrom(event.target.value)}>
            {versions.map(option)}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-to`}>To</label>
          <select id={`${id}-to`} value={to} onChange={(event) => setTo(event.target.value)}>
            {versions.map(option)}
          </select>
        </div>
      </div>
      {pair.state.status === 'loading' ? <LoadingState label="Loading both versions…" /> : null}
      {pair.state.status === 'error' ? <ErrorState error={pair.state.error} onRetry={pair.reload} /> : null}
      {pair.state.status === 'ready' ? (
        <DiffView
          before={pair.state.data.a.source}
          after={pair.state.data.b.source}
          label={`Changes from ${short(from)} to ${short(to)}`}
        />
      ) : null}
    </section>
  );
}

/** Every stored policy version, and a line diff between any two. */
export function PolicyVersions() {
  const data = useApiData('policy-versions', (api, signal) =>
    api.get<{ versions: PolicyVersionSummary[] }>('/v1/policy/versions', { signal }),
  );
  if (data.state.status === 'loading') return <LoadingState label="Loading the versions…" />;
  if (data.state.status === 'error') return <ErrorState error={data.state.error} onRetry={data.reload} />;
  const { versions } = data.state.data;
  return (
    <>
      <section className="card" aria-labelledby="versions-title">
        <h2 id="versions-title">Versions</h2>
        <ScrollRegion label="Policy versions">
          <table className="table">
            <caption className="visually-hidden">Stored policy versions, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Version</th>
                <th scope="col">Created</th>
                <th scope="col">By</th>
                <th scope="col">State</th>
              </tr>
            </thead>
            <tbody>
              {versions.map((version) => (
                <tr key={version.version}>
                  <td>
                    <code className="hash">{short(version.version)}</code>
                  </td>
                  <td>{formatDateTime(version.createdAt)}</td>
                  <td>{version.createdBy}</td>
                  <td>{version.active ? <span className="badge badge-approved">active</span> : 'stored'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollRegion>
      </section>
      {versions.length === 0 ? null : <CompareVersions versions={versions} />}
    </>
  );
}
