import { QUEUE_TABS, type QueueTab } from './queue-model.js';

const LABELS: Readonly<Record<QueueTab, string>> = {
  all: 'All',
  awaiting: 'Awaiting me',
  pending: 'Pending',
  decided: 'Decided',
};

/** Which part of the queue to show, each with its count. */
export function QueueTabs({
  tab,
  counts,
  more,
  onChange,
}: {
  readonly tab: QueueTab;
  readonly counts: Readonly<Record<QueueTab, number>>;
  /** More requests exist on the server than are loaded: counts are lower bounds. */
  readonly more: boolean;
  readonly onChange: (tab: QueueTab) => void;
}) {
  return (
    <fieldset className="tabs">
      <legend className="visually-hidden">Show</legend>
      {QUEUE_TABS.map((name) => (
        <button
          key={name}
          type="button"
          className="tab"
          aria-pressed={tab === name}
          data-tab={name}
          onClick={() => onChange(name)}
        >
          {LABELS[name]}{' '}
          <span className="tab-count">
            {counts[name]}
            {more && name !== 'awaiting' ? '+' : ''}
          </span>
        </button>
      ))}
    </fieldset>
  );
}
