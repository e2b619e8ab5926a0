import { type AuditHead, canonicalJson } from '@gatehouse/core';
import { type AuditEventRecord, streamAuditEvents } from '../storage/audit-dal.js';
import type { Executor } from '../storage/transaction.js';

/** Where to start an export. */
export interface AuditExportOptions {
  /** First record to export (default 1, the whole log). A partial export verifies only with its predecessor. */
  readonly fromSeq?: number;
  /** Rows read per query (default 1,000). */
  readonly batchSize?: number;
}

/** What an export wrote. */
export interface AuditExportSummary {
  readonly count: number;
  /** The last record exported; absent when nothing was. */
  readonly last?: AuditHead;
}

/**
 * The JSON line of a record: exactly the fields the hash covers plus `hash`, as RFC 8785
 * canonical JSON, so the line without its `hash` member is the very text that was hashed.
 * A record no writer could have hashed (tampered in the database) is still written, as plain
 * JSON, for the verifier to report.
 */
function jsonLine(event: AuditEventRecord): string {
  const { v, seq, at, type, actor, subject, data, prevHash, hash } = event;
  const record = { v, seq, at, type, actor, subject, data, prevHash, hash };
  try {
    return `${canonicalJson(record)}\n`;
  } catch {
    return `${JSON.stringify(record)}\n`;
  }
}

/**
 * Streams the audit log as JSON Lines: `write` gets one record per call, each a complete line
 * ending in `\n`, in `seq` order; a returned promise is awaited (backpressure). The parsed
 * lines verify with the core's `verifyAuditChain`.
 *
 * @example await exportAuditJsonl(db, (line) => writeToStream(process.stdout, line));
 */
export async function exportAuditJsonl(
  db: Executor,
  write: (line: string) => void | Promise<void>,
  options: AuditExportOptions = {},
): Promise<AuditExportSummary> {
  let count = 0;
  let last: AuditHead | undefined;
  for await (const event of streamAuditEvents(options.fromSeq ?? 1, options.batchSize ?? 1_000, db)) {
    await write(jsonLine(event));
    count += 1;
    last = { seq: event.seq, hash: event.hash };
  }
  return Object.freeze({ count, ...(last && { last: Object.freeze(last) }) });
}
