import type { ApprovalRequest } from '@gatehouse/core';
import type { Kysely } from 'kysely';
import type { EventHub } from '../events/event-hub.js';
import type { PolicyStore } from '../policy/policy-store.js';
import type { GatehouseDatabase } from '../storage/database-types.js';

/** What a grant token says once verified, or why it was refused. */
export type GrantCheck =
  | {
      readonly ok: true;
      readonly requestId: string;
      readonly jti: string;
      readonly action: string;
      readonly payloadHash: string;
    }
  | { readonly ok: false; readonly code: string; readonly message: string; readonly requestId?: string };

/** Signs and verifies grants; the grants module implements it with the database's keys. */
export interface GrantIssuer {
  /** The compact signed token for an approved request's grant (deterministic per grant). */
  tokenFor(request: ApprovalRequest): Promise<string>;
  verify(token: string, now: number): Promise<GrantCheck>;
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
