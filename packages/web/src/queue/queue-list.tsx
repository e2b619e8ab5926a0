import type { RequestView } from '../api/api-types.js';
import { EmptyState } from '../common/status-views.js';
import type { QueueTab } from './queue-model.js';
import { RequestRow } from './request-row.js';

/** Props of {@link QueueList}. */
export interface QueueListProps {
  readonly rows: readonly RequestView[];
  readonly tab: QueueTab;
  readonly awaitingIds: ReadonlySet<string>;
  readonly filtered: boolean;
  readonly selectedId: string | undefined;
  readonly now: number;
  readonly onSelect: (id: string) => void;
  readonly onClearFilters: () => void;
  /** Filled with each row's link, so the keyboard can move focus. */
  readonly rowLinks: Map<string, HTMLAnchorElement>;
}

const EMPTY: Readonly<Record<QueueTab, string>> = {
  all: 'No requests yet. When an agent asks for something that needs a human, it shows up here at once.',
  awaiting: 'Nothing awaits your vote.',
  pending: 'Nothing is pending.',
  decided: 'Nothing has been decided yet.',
};

/** The rows of the queue; in "all", the ones awaiting my vote under their own heading first. */
export function QueueList(props: QueueListProps) {
  const { rows, tab, awaitingIds, filtered } = props;
  if (rows.length === 0) {
    return filtered ? (
      <EmptyState title="No request matches these filters.">
        <button type="button" className="button" onClick={props.onClearFilters}>
          Clear filters
        </button>
      </EmptyState>
    ) : (
      <EmptyState title={EMPTY[tab]} />
    );
  }
  const groups =
    tab === 'all'
      ? [
          { title: 'Awaiting your vote', rows: rows.filter((row) => awaitingIds.has(row.id)) },
          { title: 'Everything else you can see', rows: rows.filter((row) => !awaitingIds.has(row.id)) },
        ].filter((group) => group.rows.length > 0)
      : [{ title: undefined, rows }];
  return (
    <div className="queue" data-testid="queue">
      {groups.map((group) => (
        <section key={group.title ?? 'rows'} aria-label={group.title ?? 'Requests'}>
          {group.title === undefined ? null : (
            <h2 className="queue-group-title">
              {group.title} <span className="tab-count">{group.rows.length}</span>
            </h2>
          )}
          <ul className="request-list">
            {group.rows.map((request) => (
              <RequestRow
                key={request.id}
                request={request}
                selected={request.id === props.selectedId}
                now={props.now}
                onFocus={() => props.onSelect(request.id)}
                ref={(element) => {
                  if (element === null) props.rowLinks.delete(request.id);
                  else props.rowLinks.set(request.id, element);
                }}
              />
            ))}
          </ul>
        </section>
      ))}
    </div>
  );
}
