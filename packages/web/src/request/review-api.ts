import type { ApiClient } from '../api/api-client.js';
import type { RequestDetail } from '../api/api-types.js';

/** The path of a request in the API. */
export function requestApiPath(id: string): string {
  return `/v1/requests/${encodeURIComponent(id)}`;
}

/** Fetches one request with its timeline. */
export function fetchRequest(api: ApiClient, id: string, signal?: AbortSignal): Promise<RequestDetail> {
  return api.get<RequestDetail>(requestApiPath(id), signal === undefined ? {} : { signal });
}

/** Votes on a request: approve (comment optional) or deny (reason required by the server). */
export async function submitReview(
  api: ApiClient,
  id: string,
  decision: 'approve' | 'deny',
  comment: string,
): Promise<void> {
  const trimmed = comment.trim();
  await api.post(`${requestApiPath(id)}/reviews`, {
    body: { decision, ...(trimmed === '' ? {} : { comment: trimmed }) },
  });
}
