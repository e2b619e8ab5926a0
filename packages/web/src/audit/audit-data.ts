import type { ApiClient } from '../api/api-client.js';
import type { AuditPage, AuditRecord } from '../api/api-types.js';

/** Audit filters: type and subject go to the server, actor is matched here. */
export interface AuditFilters {
  readonly type?: string;
  readonly subject?: string;
  readonly actor?: string;
}

/** Records read, oldest first, and where reading stopped (set when more remain). */
export interface AuditLoad {
  readonly records: readonly AuditRecord[];
  readonly nextSeq?: number;
}

/** Pages read per load: the API reads oldest first, so the newest are reached by reading on. */
const MAX_PAGES = 10;
const PAGE_SIZE = 1_000;

/** Whether a record passes the filters. */
export function matchesAudit(record: AuditRecord, filters: AuditFilters): boolean {
  if (filters.type !== undefined && record.type !== filters.type) return false;
  if (filters.subject !== undefined && record.subject !== filters.subject) return false;
  if (filters.actor !== undefined && !record.actor.toLowerCase().includes(filters.actor.toLowerCase()))
    return false;
  return true;
}

/**
 * Reads the log from `fromSeq` on, a few pages at most, keeping the records that pass the
 * filters. The API lists oldest first only, so reaching the newest means reading forward.
 */
export async function readAudit(
  api: ApiClient,
  filters: AuditFilters,
  fromSeq: number | undefined,
  signal?: AbortSignal,
): Promise<AuditLoad> {
  const records: AuditRecord[] = [];
  let next = fromSeq;
  for (let page = 0; page < MAX_PAGES; page++) {
    const result = await api.get<AuditPage>('/v1/audit', {
      query: { type: filters.type, subject: filters.subject, fromSeq: next, limit: PAGE_SIZE },
      ...(signal === undefined ? {} : { signal }),
    });
    records.push(...result.records.filter((record) => matchesAudit(record, filters)));
    next = result.nextSeq;
    if (next === undefined) return { records };
  }
  return { records, ...(next === undefined ? {} : { nextSeq: next }) };
}

/** The records with `added` appended, each seq once, in order. */
export function mergeRecords(current: readonly AuditRecord[], added: readonly AuditRecord[]): AuditRecord[] {
  const seen = new Set(current.map((record) => record.seq));
  return [...current, ...added.filter((record) => !seen.has(record.seq))].sort((a, b) => a.seq - b.seq);
}
