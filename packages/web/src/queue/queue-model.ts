import type { RequestStatus, RequestView, Risk } from '../api/api-types.js';
import { REQUEST_STATUSES, RISKS } from '../api/api-types.js';

/** What the queue is narrowed to. status/action/team/risk also go to the server. */
export interface QueueFilters {
  readonly status?: RequestStatus;
  readonly action?: string;
  readonly team?: string;
  readonly risk?: Risk;
  /** Part of the requesting agent's name. */
  readonly agent?: string;
  /** Free text over id, action, requester, params, rules and team. */
  readonly search?: string;
}

/** The queue's tabs. */
export type QueueTab = 'awaiting' | 'pending' | 'decided' | 'all';

/** Every tab, in order. */
export const QUEUE_TABS: readonly QueueTab[] = ['all', 'awaiting', 'pending', 'decided'];

const FILTER_KEYS = ['status', 'action', 'team', 'risk', 'agent', 'search'] as const;

/** The filters and tab a query string names (unknown values ignored). */
export function parseQueueQuery(search: string): { readonly filters: QueueFilters; readonly tab: QueueTab } {
  const query = new URLSearchParams(search);
  const filters: Record<string, string> = {};
  for (const key of FILTER_KEYS) {
    const value = query.get(key)?.trim();
    if (value) filters[key] = value;
  }
  if (filters.status !== undefined && !(REQUEST_STATUSES as readonly string[]).includes(filters.status))
    delete filters.status;
  if (filters.risk !== undefined && !(RISKS as readonly string[]).includes(filters.risk)) delete filters.risk;
  const tab = query.get('tab');
  return {
    filters: filters as QueueFilters,
    tab: (QUEUE_TABS as readonly (string | null)[]).includes(tab) ? (tab as QueueTab) : 'all',
  };
}

/** The query string of filters and a tab (empty values and the default tab left out). */
export function queueQueryOf(filters: QueueFilters, tab: QueueTab): string {
  const query = new URLSearchParams();
  for (const key of FILTER_KEYS) {
    const value = filters[key];
    if (value !== undefined && value !== '') query.set(key, value);
  }
  if (tab !== 'all') query.set('tab', tab);
  const text = query.toString();
  return text === '' ? '' : `?${text}`;
}

/** Whether a request passes the filters (the client-side half: agent and search too). */
export function matchesFilters(request: RequestView, filters: QueueFilters): boolean {
  if (filters.status !== undefined && request.status !== filters.status) return false;
  if (filters.action !== undefined && request.bound.action !== filters.action) return false;
  if (filters.team !== undefined && request.verified.team !== filters.team) return false;
  if (filters.risk !== undefined && request.risk !== filters.risk) return false;
  if (filters.agent !== undefined) {
    if (request.verified.requester.kind !== 'agent') return false;
    if (!request.verified.requester.id.toLowerCase().includes(filters.agent.toLowerCase())) return false;
  }
  if (filters.search !== undefined) {
    const needle = filters.search.toLowerCase();
    const haystack = [
      request.id,
      request.bound.action,
      request.verified.requester.id,
      request.verified.onBehalfOf?.user ?? '',
      request.verified.team ?? '',
      ...request.verified.rules,
      JSON.stringify(request.bound.params),
    ]
      .join('\n')
      .toLowerCase();
    if (!haystack.includes(needle)) return false;
  }
  return true;
}

/** Newest first, as the server lists them. */
function byNewest(a: RequestView, b: RequestView): number {
  return b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id);
}

/** The list with `request` added or replaced, newest first. */
export function upsertRequest(list: readonly RequestView[], request: RequestView): RequestView[] {
  return [...list.filter((item) => item.id !== request.id), request].sort(byNewest);
}

/** Whether the viewer can vote on a request now: what `awaiting=me` means. */
export function awaitsMe(request: RequestView): boolean {
  return request.status === 'pending' && request.viewer.canReview;
}

/** The queue's two lists: what awaits my vote, and everything else I may see. */
export interface QueueLists {
  readonly awaiting: readonly RequestView[];
  readonly all: readonly RequestView[];
}

/** The lists after a request changed (or appeared). */
export function applyRequestChange(lists: QueueLists, request: RequestView): QueueLists {
  return {
    awaiting: awaitsMe(request)
      ? upsertRequest(lists.awaiting, request)
      : lists.awaiting.filter((item) => item.id !== request.id),
    all: upsertRequest(lists.all, request),
  };
}

/** The rows of a tab, filtered: in "all", what awaits me comes first. */
export function rowsOfTab(lists: QueueLists, tab: QueueTab, filters: QueueFilters): RequestView[] {
  const awaiting = lists.awaiting.filter((request) => matchesFilters(request, filters));
  const all = lists.all.filter((request) => matchesFilters(request, filters));
  switch (tab) {
    case 'awaiting':
      return awaiting;
    case 'pending':
      return all.filter((request) => request.status === 'pending');
    case 'decided':
      return all.filter((request) => request.status !== 'pending');
    case 'all': {
      const first = new Set(awaiting.map((request) => request.id));
      return [...awaiting, ...all.filter((request) => !first.has(request.id))];
    }
  }
}

/** How many rows each tab has, under the filters. */
export function tabCounts(lists: QueueLists, filters: QueueFilters): Readonly<Record<QueueTab, number>> {
  return {
    all: rowsOfTab(lists, 'all', filters).length,
    awaiting: rowsOfTab(lists, 'awaiting', filters).length,
    pending: rowsOfTab(lists, 'pending', filters).length,
    decided: rowsOfTab(lists, 'decided', filters).length,
  };
}
