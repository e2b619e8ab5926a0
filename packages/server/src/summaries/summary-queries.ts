import { getRequestSummary, type StoredSummary } from '../storage/request-summaries-dal.js';
import type { Executor } from '../storage/transaction.js';

/**
 * The stored summary of a request: advisory text, risk and signals, and its source (`built-in` or
 * `llm:<model>`); undefined until the summary worker has written it.
 * @example const summary = await getSummary(request.id, db);
 */
export function getSummary(requestId: string, db: Executor): Promise<StoredSummary | undefined> {
  return getRequestSummary(requestId, db);
}
