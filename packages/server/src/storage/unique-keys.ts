/**
 * Every unique key of the schema, by the name PostgreSQL reports.
 *
 * SQLite names only the columns of a violated key ("UNIQUE constraint failed: t.a, t.b"),
 * so this table turns that back into the same name, and a `ConflictError` reads the same
 * on both engines. A migration that adds a unique key adds it here (a test checks
 * that PostgreSQL's catalogue and this list agree).
 */
export const UNIQUE_KEYS: readonly UniqueKey[] = Object.freeze([
  key('users_pkey', 'users', 'id'),
  key('users_username_unique', 'users', 'username'),
  key('admin_seat_pkey', 'admin_seat', 'id'),
  key('teams_pkey', 'teams', 'id'),
  key('teams_name_unique', 'teams', 'name'),
  key('team_members_pkey', 'team_members', 'team_id', 'user_id'),
  key('approval_groups_pkey', 'approval_groups', 'name'),
  key('group_members_pkey', 'group_members', 'group_name', 'kind', 'member_id'),
  key('agents_pkey', 'agents', 'id'),
  key('agents_name_unique', 'agents', 'name'),
  key('api_tokens_pkey', 'api_tokens', 'id'),
  key('api_tokens_prefix_unique', 'api_tokens', 'prefix'),
  key('sessions_pkey', 'sessions', 'id'),
  key('policies_pkey', 'policies', 'version'),
  key('policies_one_active', 'policies', 'active'),
  key('requests_pkey', 'requests', 'id'),
  key('requests_idempotency_unique', 'requests', 'requester_kind', 'requester_id', 'idempotency_key'),
  key('reviews_pkey', 'reviews', 'request_id', 'reviewer_id'),
  key('grants_pkey', 'grants', 'jti'),
  key('grants_request_unique', 'grants', 'request_id'),
  key('audit_events_pkey', 'audit_events', 'seq'),
  key('audit_events_hash_unique', 'audit_events', 'hash'),
  key('audit_checkpoints_pkey', 'audit_checkpoints', 'seq'),
  key('signing_keys_pkey', 'signing_keys', 'kid'),
  key('idempotency_pkey', 'idempotency', 'principal', 'key'),
  key('timers_pkey', 'timers', 'id'),
  key('request_summaries_pkey', 'request_summaries', 'request_id'),
  key('webhook_subscriptions_pkey', 'webhook_subscriptions', 'id'),
  key('webhook_cursors_pkey', 'webhook_cursors', 'subscription_id'),
  key('webhook_deliveries_pkey', 'webhook_deliveries', 'id'),
  key('webhook_deliveries_attempt_unique', 'webhook_deliveries', 'subscription_id', 'event_seq', 'attempt'),
  key('email_notifications_pkey', 'email_notifications', 'event_seq', 'user_id'),
  key('emergency_windows_pkey', 'emergency_windows', 'id'),
  key('agent_acts_for_pkey', 'agent_acts_for', 'agent_id', 'user_id'),
]);

/** A unique key: its name and the columns it covers. */
export interface UniqueKey {
  readonly name: string;
  readonly table: string;
  readonly columns: readonly string[];
}

function key(name: string, table: string, ...columns: string[]): UniqueKey {
  return Object.freeze({ name, table, columns: Object.freeze(columns) });
}

/**
 * The key named by SQLite's violation text, or `unknown`.
 * @example uniqueKeyFromSqlite('UNIQUE constraint failed: reviews.request_id, reviews.reviewer_id') // 'reviews_pkey'
 */
export function uniqueKeyFromSqlite(message: string): string {
  const failed = /constraint failed: (.*)$/s.exec(message)?.[1]?.trim();
  if (failed === undefined) return 'unknown';
  const index = /^index '([^']+)'$/.exec(failed)?.[1];
  if (index !== undefined) return index;
  const qualified = failed.split(',').map((part) => part.trim().split('.'));
  const table = qualified[0]?.[0];
  const columns = qualified.map((part) => part[1] ?? '').sort();
  const found = UNIQUE_KEYS.find(
    (candidate) =>
      candidate.table === table &&
      candidate.columns.length === columns.length &&
      [...candidate.columns].sort().every((column, i) => column === columns[i]),
  );
  return found?.name ?? 'unknown';
}
