import type { ApiClient } from '../api/api-client.js';
import type { AuditPage, SessionUser } from '../api/api-types.js';

/** Pages of the audit log read at most while looking for one record (each scans ≤ 10,000). */
const MAX_PAGES = 5;

async function findRecord(
  api: ApiClient,
  subject: string,
  type: string,
): Promise<AuditPage['records'][number] | undefined> {
  let fromSeq: number | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const result = await api.get<AuditPage>('/v1/audit', { query: { subject, type, limit: 1, fromSeq } });
    if (result.records[0] !== undefined) return result.records[0];
    if (result.nextSeq === undefined) return undefined;
    fromSeq = result.nextSeq;
  }
  return undefined;
}

/**
 * Whether the admin still signs in with the one-time password the server generated at first
 * start. The API has no flag for it, so this reads the audit log, which records both facts:
 * `admin.bootstrapped` with `generatedPassword: true`, and no `user.password.changed` since.
 * Anyone but the admin: false.
 */
export async function adminHasGeneratedPassword(api: ApiClient, user: SessionUser): Promise<boolean> {
  if (user.role !== 'admin') return false;
  const subject = `user:${user.id}`;
  const bootstrapped = await findRecord(api, subject, 'admin.bootstrapped');
  if (bootstrapped?.data.generatedPassword !== true) return false;
  return (await findRecord(api, subject, 'user.password.changed')) === undefined;
}
