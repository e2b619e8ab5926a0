import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError, describeError } from '../api/api-error.js';
import type { RequestView } from '../api/api-types.js';
import { navigate, useLocation } from '../app/navigation.js';
import { requestPath } from '../app/routes.js';
import { ErrorState, LoadingState } from '../common/status-views.js';
import { useApiData } from '../common/use-api-data.js';
import { useDocumentTitle } from '../common/use-document-title.js';
import { useNow } from '../common/use-now.js';
import { DecisionDialog } from '../request/decision-dialog.js';
import { fetchRequest } from '../request/review-api.js';
import { useLiveEvents, useLiveStatus } from '../session/live-events.js';
import { useApi } from '../session/use-session.js';
import { KeyboardHelpDialog } from './keyboard-help-dialog.js';
import {
  appendPage,
  loadMore,
  loadQueue,
  type QueueData,
  removeRequest,
  serverQueryOf,
} from './queue-data.js';
import { QueueFilterBar } from './queue-filters.js';
import { QueueList } from './queue-list.js';
import {
  applyRequestChange,
  parseQueueQuery,
  type QueueFilters,
  type QueueTab,
  queueQueryOf,
  rowsOfTab,
  tabCounts,
} from './queue-model.js';
import { QueueTabs } from './queue-tabs.js';
import { useQueueKeyboard } from './use-queue-keyboard.js';

function knownValues(data: QueueData | undefined) {
  const all = data?.all ?? [];
  const unique = (values: (string | undefined)[]) =>
    [...new Set(values.filter((v): v is string => v !== undefined))].sort();
  return {
    actions: unique(all.map((r) => r.bound.action)),
    teams: unique(all.map((r) => r.verified.team)),
    agents: unique(
      all.map((r) => (r.verified.requester.kind === 'agent' ? r.verified.requester.id : undefined)),
    ),
  };
}

/**
 * The review queue: what awaits my vote first, then everything I may see; filters, search
 * and tabs in the URL; live updates; and the keyboard (j/k, Enter, a, d, ?).
 */
export function QueuePage() {
  useDocumentTitle('Queue');
  const api = useApi();
  const location = useLocation();
  const now = useNow(1_000);
  const { filters, tab } = parseQueueQuery(location.search);
  const serverKey = JSON.stringify(serverQueryOf(filters));
  const data = useApiData<QueueData>(`queue:${serverKey}`, (client, signal) =>
    loadQueue(client, filters, signal),
  );
  const [selectedId, setSelectedId] = useState<string | undefined>();
  const [voting, setVoting] = useState<{ request: RequestView; decision: 'approve' | 'deny' } | undefined>();
  const [helpOpen, setHelpOpen] = useState(false);
  const [notice, setNotice] = useState('');
  const [moreError, setMoreError] = useState<string | undefined>();
  const rowLinks = useRef(new Map<string, HTMLAnchorElement>());

  const { update, reload } = data;
  const refreshOne = useCallback(
    async (id: string) => {
      try {
        const { timeline: _timeline, ...view } = await fetchRequest(api, id);
        update((current) => ({ ...current, ...applyRequestChange(current, view) }));
      } catch (error) {
        if (error instanceof ApiError && error.status === 404)
          update((current) => removeRequest(current, id));
      }
    },
    [api, update],
  );

  useLiveEvents((record) => {
    if (record.subject.startsWith('request:')) void refreshOne(record.subject.slice('request:'.length));
  });

  // When the stream (re)connects, what happened while it was down is loaded afresh.
  const liveStatus = useLiveStatus();
  const lastStatus = useRef(liveStatus);
  useEffect(() => {
    if (liveStatus === 'live' && lastStatus.current !== 'live') reload();
    lastStatus.current = liveStatus;
  }, [liveStatus, reload]);

  const loaded = data.state.status === 'ready' ? data.state.data : undefined;
  const rows = loaded === undefined ? [] : rowsOfTab(loaded, tab, filters);
  const selectedIndex = rows.findIndex((row) => row.id === selectedId);
  const selected = rows[selectedIndex];

  const setQuery = (nextFilters: QueueFilters, nextTab: QueueTab) =>
    navigate(`/${queueQueryOf(nextFilters, nextTab)}`, { replace: true });

  const select = (index: number) => {
    const row = rows[Math.max(0, Math.min(rows.length - 1, index))];
    if (row === undefined) return;
    setSelectedId(row.id);
    rowLinks.current.get(row.id)?.focus();
  };

  const vote = (decision: 'approve' | 'deny') => {
    if (selected === undefined) {
      setNotice('Select a request first: j and k move through the queue.');
      return;
    }
    if (!selected.viewer.canReview) {
      setNotice(`You cannot vote on this request: ${selected.viewer.reason ?? 'not eligible'}.`);
      return;
    }
    setVoting({ request: selected, decision });
  };

  useQueueKeyboard({
    next: () => select(selectedIndex + 1),
    previous: () => select(selectedIndex === -1 ? 0 : selectedIndex - 1),
    open: () => {
      if (selected !== undefined) navigate(requestPath(selected.id));
    },
    approve: () => vote('approve'),
    deny: () => vote('deny'),
    help: () => setHelpOpen(true),
  });

  const more = async () => {
    if (loaded?.nextCursor === undefined) return;
    setMoreError(undefined);
    try {
      const page = await loadMore(api, filters, loaded.nextCursor);
      update((current) => appendPage(current, page));
    } catch (error) {
      setMoreError(describeError(error));
    }
  };

  return (
    <div className="page">
      <div className="page-head">
        <h1>Queue</h1>
        <button type="button" className="button button-quiet hide-narrow" onClick={() => setHelpOpen(true)}>
          Keyboard shortcuts <kbd>?</kbd>
        </button>
      </div>
      <QueueFilterBar
        filters={filters}
        onChange={(next) => setQuery(next, tab)}
        known={knownValues(loaded)}
      />
      {loaded === undefined ? null : (
        <QueueTabs
          tab={tab}
          counts={tabCounts(loaded, filters)}
          more={loaded.nextCursor !== undefined}
          onChange={(next) => setQuery(filters, next)}
        />
      )}
      <p className="visually-hidden" role="status" aria-live="polite">
        {notice}
      </p>
      {notice === '' ? null : (
        <p className="notice" aria-hidden="true">
          {notice}{' '}
          <button type="button" className="button button-quiet" onClick={() => setNotice('')}>
            Dismiss
          </button>
        </p>
      )}
      {data.state.status === 'loading' ? <LoadingState label="Loading the queue…" /> : null}
      {data.state.status === 'error' ? <ErrorState error={data.state.error} onRetry={reload} /> : null}
      {loaded === undefined ? null : (
        <QueueList
          rows={rows}
          tab={tab}
          awaitingIds={new Set(loaded.awaiting.map((request) => request.id))}
          filtered={Object.keys(filters).length > 0}
          selectedId={selected?.id}
          now={now}
          onSelect={setSelectedId}
          onClearFilters={() => setQuery({}, tab)}
          rowLinks={rowLinks.current}
        />
      )}
      {loaded?.nextCursor === undefined ? null : (
        <div className="load-more">
          <button type="button" className="button" onClick={() => void more()}>
            Load older requests
          </button>
          {moreError === undefined ? null : (
            <p className="form-error" role="alert">
              {moreError}
            </p>
          )}
        </div>
      )}
      <KeyboardHelpDialog open={helpOpen} onClose={() => setHelpOpen(false)} />
      {voting === undefined ? null : (
        <DecisionDialog
          request={voting.request}
          decision={voting.decision}
          onClose={() => setVoting(undefined)}
          onDone={() => {
            const id = voting.request.id;
            setVoting(undefined);
            setNotice(voting.decision === 'approve' ? 'Approved.' : 'Denied.');
            void refreshOne(id);
          }}
        />
      )}
    </div>
  );
}
