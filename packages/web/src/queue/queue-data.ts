import type { ApiClient } from '../api/api-client.js';
import type { RequestPage, RequestView } from '../api/api-types.js';
import type { QueueFilters, QueueLists } from './queue-model.js';

/** The loaded queue: both lists, and where the full list continues. */
export interface QueueData extends QueueLists {
  readonly nextCursor?: string;
}

/** How many requests one page of the full list holds. */
export const QUEUE_PAGE_SIZE = 100;

/** The filters the server applies itself (the rest are applied in the browser). */
export function serverQueryOf(filters: QueueFilters): Readonly<Record<string, string | undefined>> {
  return { status: filters.status, action: filters.action, team: filters.team, risk: filters.risk };
}

/** Loads what awaits my vote, and the newest page of everything I may see. */
export async function loadQueue(
  api: ApiClient,
  filters: QueueFilters,
  signal: AbortSignal,
): Promise<QueueData> {
  const query = serverQueryOf(filters);
  const [awaiting, all] = await Promise.all([
    api.get<RequestPage>('/v1/requests', { query: { ...query, awaiting: 'me', limit: 200 }, signal }),
    api.get<RequestPage>('/v1/requests', { query: { ...query, limit: QUEUE_PAGE_SIZE }, signal }),
  ]);
  return {
    awaiting: awaiting.requests,
    all: all.requests,
    ...(all.nextCursor === undefined ? {} : { nextCursor: all.nextCursor }),
  };
}

/** The next page of the full list. */
export async function loadMore(api: ApiClient, filters: QueueFilters, cursor: string): Promise<RequestPage> {
  return api.get<RequestPage>('/v1/requests', {
    query: { ...serverQueryOf(filters), limit: QUEUE_PAGE_SIZE, cursor },
  });
}

/** The list with the new page appended (without duplicates). */
export function appendPage(data: QueueData, page: RequestPage): QueueData {
  const seen = new Set(data.all.map((request) => request.id));
  const all: RequestView[] = [...data.all, ...page.requests.filter((request) => !seen.has(request.id))];
  return {
    awaiting: data.awaiting,
    all,
    ...(page.nextCursor === undefined ? {} : { nextCursor: page.nextCursor }),
  };
}

/** The lists without a request (it is gone, or no longer visible). */
export function removeRequest(data: QueueData, id: string): QueueData {
  return {
    ...data,
    awaiting: data.awaiting.filter((request) => request.id !== id),
    all: data.all.filter((request) => request.id !== id),
  };
}
