import type { AuditRecord } from '../api/api-types.js';
import { formatDateTime } from '../common/format-time.js';

/** An audit record's data in one short line (`decision=approve, comment=ok`), long values cut. */
export function describeData(data: Readonly<Record<string, unknown>>, maxValue = 80): string {
  return Object.entries(data)
    .map(([key, value]) => {
      const text = typeof value === 'string' ? value : JSON.stringify(value);
      return `${key}=${text !== undefined && text.length > maxValue ? `${text.slice(0, maxValue - 1)}…` : text}`;
    })
    .join(', ');
}

/** Everything that happened to a request, from the audit log, oldest first. */
export function RequestTimeline({ records }: { readonly records: readonly AuditRecord[] }) {
  return (
    <section className="card" aria-labelledby="timeline-title">
      <h2 id="timeline-title">Timeline</h2>
      {records.length === 0 ? (
        <p>No events recorded.</p>
      ) : (
        <ol className="timeline" data-testid="timeline">
          {records.map((record) => (
            <li key={record.seq} className="timeline-item" data-type={record.type}>
              <time dateTime={new Date(record.at).toISOString()}>{formatDateTime(record.at)}</time>{' '}
              <strong>{record.type}</strong> by <code>{record.actor}</code>
              {Object.keys(record.data).length === 0 ? null : (
                <div className="timeline-data">{describeData(record.data)}</div>
              )}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
