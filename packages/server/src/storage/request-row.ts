import { APPROVAL_REQUEST_VERSION, type ApprovalRequest, UnsupportedVersionError } from '@gatehouse/core';
import type { Insertable } from 'kysely';
import type { RequestsTable } from './database-types.js';
import { deepFreeze } from './deep-freeze.js';
import { fromJson, toJson } from './row-values.js';

/** The columns a request sets: the snapshot plus the fields the queue filters and sorts on. */
export type RequestColumns = Omit<Insertable<RequestsTable>, 'idempotency_key' | 'revision'>;

/**
 * The row for a request. `team` is the requester's team as the server resolved it,
 * else the team the action's context names (claimed by the agent; used only to filter lists).
 */
export function toRequestColumns(request: ApprovalRequest): RequestColumns {
  const contextTeam = request.context.team;
  return {
    id: request.id,
    v: request.v,
    action: request.action,
    params: toJson(request.params),
    context: toJson(request.context),
    payload_hash: request.payloadHash,
    requester_kind: request.requester.kind,
    requester_id: request.requester.id,
    on_behalf_of: request.onBehalfOf ?? null,
    policy_version: request.policyVersion,
    status: request.status,
    risk: request.risk,
    team: request.requesterTeam ?? (typeof contextTeam === 'string' ? contextTeam : null),
    stage_index: request.stageIndex,
    requirement: toJson(request.requirement),
    snapshot: toJson(request),
    created_at: request.createdAt,
    expires_at: request.expiresAt,
    decided_at: request.decidedAt ?? null,
  };
}

/** Reads a request back from its snapshot, refusing a format version this build cannot read. */
export function fromSnapshot(snapshot: string): ApprovalRequest {
  const request = fromJson<ApprovalRequest>(snapshot);
  if (request.v !== APPROVAL_REQUEST_VERSION) {
    throw new UnsupportedVersionError('approval request', request.v, [APPROVAL_REQUEST_VERSION]);
  }
  return deepFreeze(request);
}
