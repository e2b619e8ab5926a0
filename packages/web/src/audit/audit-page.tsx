import { useState } from 'react';
import { describeError } from '../api/api-error.js';
import type { AuditRecord } from '../api/api-types.js';
import { formatDateTime } from '../common/format-time.js';
import { ScrollRegion } from '../common/scroll-region.js';
import { EmptyState, ErrorState, LoadingState } from '../common/status-views.js';
import { useApiData } from '../common/use-api-data.js';
import { useDocumentTitle } from '../common/use-document-title.js';
import { describeData } from '../request/request-timeline.js';
import { useLiveEvents } from '../session/live-events.js';
import { isStaff, useApi, useUser } from '../session/use-session.js';
import { type AuditFilters, type AuditLoad, matchesAudit, mergeRecords, readAudit } from './audit-data.js';
import { AuditFilterForm } from './audit-filter-form.js';
import { AuditVerifyPanel } from './audit-verify-panel.js';

/** A record's data: one short line, and the full JSON a click away when the line cuts it. */
function AuditData({ data }: { readonly data: AuditRecord['data'] }) {
  const full = describeData(data, Number.POSITIVE_INFINITY);
  const line = describeData(data, 48);
  if (line === full && full.length <= 160) return <>{full}</>;
  const short = line.length > 160 ? `${line.slice(0, 159)}…` : line;
  return (
    <details className="audit-data">
      <summary>{short}</summary>
      <pre className="code">{JSON.stringify(data, null, 2)}</pre>
    </details>
  );
}

/** The audit log, newest first, with filters, chain verification and export. */
export function AuditPage() {
  useDocumentTitle('Audit');
  const user = useUser();
  if (!isStaff(user)) {
    return (
      <div className="page page-narrow">
        <h1>Audit log</h1>
        <p>Only the admin and moderators can read the audit log.</p>
      </div>
    );
  }
  return <AuditLog isAdmin={user.role === 'admin'} />;
}

function AuditLog({ isAdmin }: { readonly isAdmin: boolean }) {
  const api = useApi();
  const [filters, setFilters] = useState<AuditFilters>({});
  const [moreError, setMoreError] = useState<string | undefined>();
  const data = useApiData<AuditLoad>(`audit:${JSON.stringify(filters)}`, (client, signal) =>
    readAudit(client, filters, undefined, signal),
  );
  const loaded = data.state.status === 'ready' ? data.state.data : undefined;

  // New records stream in while the whole log is loaded.
  useLiveEvents((record) => {
    if (!matchesAudit(record, filters)) return;
    data.update((current) =>
      current.nextSeq === undefined ? { records: mergeRecords(current.records, [record]) } : current,
    );
  });

  const readNewer = async () => {
    if (loaded?.nextSeq === undefined) return;
    setMoreError(undefined);
    try {
      const more = await readAudit(api, filters, loaded.nextSeq);
      data.update((current) => ({
        records: mergeRecords(current.records, more.records),
        ...(more.nextSeq === undefined ? {} : { nextSeq: more.nextSeq }),
      }));
    } catch (error) {
      setMoreError(describeError(error));
    }
  };

  const newestFirst = loaded === undefined ? [] : [...loaded.records].reverse();
  return (
    <div className="page">
      <h1>Audit log</h1>
      <div className="toolbar">
        <AuditVerifyPanel />
        {isAdmin ? (
          <a className="button" href="/v1/audit/export" download="gatehouse-audit.jsonl">
            Export (JSON Lines)
          </a>
        ) : (
          <span className="hint">Only the admin can export.</span>
        )}
      </div>
      <AuditFilterForm filters={filters} onApply={setFilters} />
      {data.state.status === 'loading' ? <LoadingState label="Reading the audit log…" /> : null}
      {data.state.status === 'error' ? <ErrorState error={data.state.error} onRetry={data.reload} /> : null}
      {loaded?.nextSeq === undefined ? null : (
        <div className="notice">
          Newer records remain unread.{' '}
          <button type="button" className="button" onClick={() => void readNewer()}>
            Read newer records
          </button>
          {moreError === undefined ? null : <span role="alert"> {moreError}</span>}
        </div>
      )}
      {loaded !== undefined && newestFirst.length === 0 ? (
        <EmptyState title="No record matches these filters." />
      ) : null}
      {newestFirst.length === 0 ? null : (
        <ScrollRegion label="Audit records">
          <table className="table audit-table" data-testid="audit-table">
            <caption className="visually-hidden">Audit records, newest first</caption>
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">Time</th>
                <th scope="col">Type</th>
                <th scope="col">Actor</th>
                <th scope="col">Subject</th>
                <th scope="col">Details</th>
              </tr>
            </thead>
            <tbody>
              {newestFirst.map((record) => (
                <tr key={record.seq}>
                  <td>{record.seq}</td>
                  <td className="cell-nowrap">
                    <time dateTime={new Date(record.at).toISOString()}>{formatDateTime(record.at)}</time>
                  </td>
                  <td className="cell-nowrap">
                    <code>{record.type}</code>
                  </td>
                  <td>{record.actor}</td>
                  <td className="cell-wrap">{record.subject}</td>
                  <td className="cell-wrap">
                    <AuditData data={record.data} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollRegion>
      )}
    </div>
  );
}
