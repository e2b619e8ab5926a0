import type { ApprovalRequest } from '@gatehouse/core';
import type { Kysely } from 'kysely';
import type { EventHub } from '../events/event-hub.js';
import type { GrantVerification } from '../grants/grant-claims.js';
import type { PolicyStore } from '../policy/policy-store.js';
import type { GatehouseDatabase } from '../storage/database-types.js';

/** Signs and verifies grants; the grants module implements it with the database's keys. */
export interface GrantIssuer {
  /** The compact signed token for an approved request's grant (deterministic per grant). */
  tokenFor(request: ApprovalRequest): Promise<string>;
  /** Signature, claims, audience and expiry, against every key still in its grace period. */
  verify(token: unknown, now: number): GrantVerification;
}

/** The narrow set of things the request service needs. */
export interface RequestServiceDeps {
  readonly db: Kysely<GatehouseDatabase>;
  readonly policies: PolicyStore;
  readonly grants: GrantIssuer;
  readonly events: EventHub;
  readonly now: () => number;
  readonly newId: () => string;
}
