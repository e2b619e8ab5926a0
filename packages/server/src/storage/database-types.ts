import type { ColumnType, Generated } from 'kysely';

/**
 * The tables as Kysely sees them, identical on SQLite and PostgreSQL.
 *
 * Both engines are made to return the same JS values: times are bigint milliseconds
 * read as `number`, JSON columns are read as their text (PostgreSQL's jsonb parser is
 * switched off in `open-database.ts`), and flags are written as 0/1 and read back as
 * `0 | 1` on SQLite or `boolean` on PostgreSQL (the DALs normalise them with `isSet`).
 */

/** A boolean column: `boolean` on PostgreSQL, `0 | 1` on SQLite; always written as 0/1. */
export type Flag = ColumnType<boolean | number, number | undefined, number>;

/** A JSON column: `jsonb` on PostgreSQL, `text` on SQLite; always read and written as JSON text. */
export type Json = string;

/** Milliseconds since the epoch (`bigint` column). */
export type EpochMs = number;

/** `users`: humans. Their role here is the base role; the admin is whoever holds `admin_seat`. */
export interface UsersTable {
  id: string;
  username: string;
  display_name: string;
  role: 'moderator' | 'user';
  password_hash: string | null;
  disabled: Flag;
  created_at: EpochMs;
  failed_logins: ColumnType<number, number | undefined, number>;
  locked_until: EpochMs | null;
}

/** `admin_seat`: at most one row (id = 1), never deleted once created: exactly one admin. */
export interface AdminSeatTable {
  id: number;
  user_id: string;
}

/** `teams`. */
export interface TeamsTable {
  id: string;
  name: string;
}

/** `team_members`: one row per (team, user). */
export interface TeamMembersTable {
  team_id: string;
  user_id: string;
  role: 'maintainer' | 'member';
}

/** `approval_groups`: named sets of users and teams. */
export interface ApprovalGroupsTable {
  name: string;
}

/** `group_members`: a user or a team in a group. */
export interface GroupMembersTable {
  group_name: string;
  kind: 'user' | 'team';
  member_id: string;
}

/** `agents`: non-human principals, owned by exactly one user or team. */
export interface AgentsTable {
  id: string;
  name: string;
  owner_user_id: string | null;
  owner_team_id: string | null;
  disabled: Flag;
  created_at: EpochMs;
}

/** `api_tokens`: hashed, prefixed, scoped, revocable. */
export interface ApiTokensTable {
  id: string;
  prefix: string;
  secret_hash: string;
  principal_kind: 'user' | 'agent';
  principal_id: string;
  scopes: Json;
  created_at: EpochMs;
  expires_at: EpochMs | null;
  revoked_at: EpochMs | null;
  last_used_at: EpochMs | null;
}

/** `sessions`: keyed by the hash of the session secret, never the secret. */
export interface SessionsTable {
  id: string;
  user_id: string;
  csrf_token_hash: string;
  created_at: EpochMs;
  expires_at: EpochMs;
  last_seen_at: EpochMs;
}

/** `policies`: every version ever stored; at most one active. */
export interface PoliciesTable {
  version: string;
  source: string;
  created_at: EpochMs;
  created_by: string;
  active: Flag;
}

/** `requests`: queryable columns beside the full `ApprovalRequest` snapshot. */
export interface RequestsTable {
  id: string;
  v: number;
  action: string;
  params: Json;
  context: Json;
  payload_hash: string;
  requester_kind: 'user' | 'agent';
  requester_id: string;
  on_behalf_of: string | null;
  policy_version: string;
  status: 'pending' | 'approved' | 'denied' | 'expired' | 'cancelled';
  risk: 'low' | 'medium' | 'high' | 'critical';
  team: string | null;
  stage_index: number;
  requirement: Json;
  snapshot: Json;
  created_at: EpochMs;
  expires_at: EpochMs;
  decided_at: EpochMs | null;
  idempotency_key: string | null;
  /** Bumped by every update: the optimistic-concurrency token. */
  revision: Generated<number>;
}

/** `reviews`: one vote per (request, reviewer), enforced by the primary key. */
export interface ReviewsTable {
  request_id: string;
  reviewer_id: string;
  decision: 'approve' | 'deny';
  comment: string | null;
  stage: number;
  at: EpochMs;
}

/** `grants`: one per request, consumed at most once. */
export interface GrantsTable {
  jti: string;
  request_id: string;
  payload_hash: string;
  issued_at: EpochMs;
  expires_at: EpochMs;
  consumed_at: EpochMs | null;
}

/** `audit_events`: the hash chain; UPDATE and DELETE are refused by triggers. */
export interface AuditEventsTable {
  seq: number;
  v: number;
  at: EpochMs;
  type: string;
  actor: string;
  subject: string;
  data: Json;
  prev_hash: string;
  hash: string;
}

/** `audit_checkpoints`: signed heads of the chain. */
export interface AuditCheckpointsTable {
  seq: number;
  v: number;
  hash: string;
  at: EpochMs;
  key_id: string;
  signature: string;
}

/** `signing_keys`: grant and checkpoint keys, public half as a JWK. */
export interface SigningKeysTable {
  kid: string;
  alg: string;
  public_jwk: Json;
  private_pkcs8: string | null;
  created_at: EpochMs;
  retired_at: EpochMs | null;
}

/** `idempotency`: which request a principal's idempotency key created, and from which body. */
export interface IdempotencyTable {
  key: string;
  principal: string;
  request_id: string;
  created_at: EpochMs;
  /** The hash of the canonical submission body; null only for keys no submission wrote. */
  body_hash: string | null;
}

/** `timers`: due work (request expiry, escalation), leased by one node at a time. */
export interface TimersTable {
  id: string;
  request_id: string;
  kind: 'expire' | 'escalate';
  due_at: EpochMs;
  claimed_by: string | null;
  claimed_until: EpochMs | null;
}

/** The whole schema, for `Kysely<GatehouseDatabase>`. */
export interface GatehouseDatabase {
  users: UsersTable;
  admin_seat: AdminSeatTable;
  teams: TeamsTable;
  team_members: TeamMembersTable;
  approval_groups: ApprovalGroupsTable;
  group_members: GroupMembersTable;
  agents: AgentsTable;
  api_tokens: ApiTokensTable;
  sessions: SessionsTable;
  policies: PoliciesTable;
  requests: RequestsTable;
  reviews: ReviewsTable;
  grants: GrantsTable;
  audit_events: AuditEventsTable;
  audit_checkpoints: AuditCheckpointsTable;
  signing_keys: SigningKeysTable;
  idempotency: IdempotencyTable;
  timers: TimersTable;
}
