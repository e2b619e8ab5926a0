import { useId, useState } from 'react';
import { REQUEST_STATUSES, RISKS } from '../api/api-types.js';
import type { QueueFilters } from './queue-model.js';

/** Props of {@link QueueFilterBar}. */
export interface QueueFilterBarProps {
  readonly filters: QueueFilters;
  readonly onChange: (filters: QueueFilters) => void;
  /** Values seen in the loaded requests, offered as suggestions. */
  readonly known: {
    readonly actions: readonly string[];
    readonly teams: readonly string[];
    readonly agents: readonly string[];
  };
}

function set(filters: QueueFilters, key: keyof QueueFilters, value: string): QueueFilters {
  const next: Record<string, string | undefined> = {
    ...filters,
    [key]: value.trim() === '' ? undefined : value,
  };
  return Object.fromEntries(Object.entries(next).filter(([, v]) => v !== undefined)) as QueueFilters;
}

/** Search and filters (status, action, team, risk, agent) for the queue. */
export function QueueFilterBar({ filters, onChange, known }: QueueFilterBarProps) {
  const id = useId();
  const field = (name: keyof QueueFilters) => `${id}-${name}`;
  const any = Object.keys(filters).length > 0;
  const narrowing = Object.keys(filters).filter((key) => key !== 'search').length;
  // Open on wide screens; on a phone the queue comes first and the filters fold away.
  const [openAtFirst] = useState(() => narrowing > 0 || window.matchMedia('(min-width: 700px)').matches);
  return (
    <form className="filters-bar" aria-label="Filter the queue" onSubmit={(event) => event.preventDefault()}>
      <div className="field field-search">
        <label htmlFor={field('search')}>Search</label>
        <input
          id={field('search')}
          type="search"
          placeholder="id, action, command, requester…"
          value={filters.search ?? ''}
          onChange={(event) => onChange(set(filters, 'search', event.target.value))}
        />
      </div>
      <details className="filters-more" open={openAtFirst}>
        <summary>Filters{narrowing > 0 ? ` (${narrowing} on)` : ''}</summary>
        <div className="filters">
          <div className="field">
            <label htmlFor={field('status')}>Status</label>
            <select
              id={field('status')}
              value={filters.status ?? ''}
              onChange={(event) => onChange(set(filters, 'status', event.target.value))}
            >
              <option value="">Any</option>
              {REQUEST_STATUSES.map((status) => (
                <option key={status} value={status}>
                  {status}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor={field('risk')}>Risk</label>
            <select
              id={field('risk')}
              value={filters.risk ?? ''}
              onChange={(event) => onChange(set(filters, 'risk', event.target.value))}
            >
              <option value="">Any</option>
              {RISKS.map((risk) => (
                <option key={risk} value={risk}>
                  {risk}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor={field('action')}>Action</label>
            <input
              id={field('action')}
              list={`${field('action')}-known`}
              placeholder="shell.execute"
              value={filters.action ?? ''}
              onChange={(event) => onChange(set(filters, 'action', event.target.value))}
            />
            <datalist id={`${field('action')}-known`}>
              {known.actions.map((action) => (
                <option key={action} value={action} />
              ))}
            </datalist>
          </div>
          <div className="field">
            <label htmlFor={field('team')}>Team</label>
            <input
              id={field('team')}
              list={`${field('team')}-known`}
              value={filters.team ?? ''}
              onChange={(event) => onChange(set(filters, 'team', event.target.value))}
            />
            <datalist id={`${field('team')}-known`}>
              {known.teams.map((team) => (
                <option key={team} value={team} />
              ))}
            </datalist>
          </div>
          <div className="field">
            <label htmlFor={field('agent')}>Agent</label>
            <input
              id={field('agent')}
              list={`${field('agent')}-known`}
              value={filters.agent ?? ''}
              onChange={(event) => onChange(set(filters, 'agent', event.target.value))}
            />
            <datalist id={`${field('agent')}-known`}>
              {known.agents.map((agent) => (
                <option key={agent} value={agent} />
              ))}
            </datalist>
          </div>
        </div>
      </details>
      {any ? (
        <button type="button" className="button button-quiet filters-clear" onClick={() => onChange({})}>
          Clear filters
        </button>
      ) : null}
    </form>
  );
}
