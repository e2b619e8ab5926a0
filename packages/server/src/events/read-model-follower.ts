import type { EventHub } from './event-hub.js';

/** The in-memory read models a node keeps, and how to reload each. */
export interface FollowedReadModels {
  /** Re-read the active policy (it is parsed and compiled once per version). */
  readonly reloadPolicy: () => Promise<unknown>;
  /** Re-read the signing keys (the ring that signs and verifies grants). */
  readonly reloadKeys: () => Promise<unknown>;
  readonly onError: (error: unknown) => void;
}

const KEY_EVENTS: ReadonlySet<string> = new Set(['signing-key.created', 'signing-key.rotated']);

/**
 * Reload each cached read model when a committed audit record says it changed (DESIGN §8: the
 * audit log is the outbox). On PostgreSQL the hub also carries the records other nodes commit,
 * so a policy applied or a key rotated anywhere is in force here as soon as the fan-out delivers
 * it. The directory (users, roles, teams, groups, agents, tokens) is not cached: it is read from
 * the database on every request, so it needs no invalidation.
 * @returns a function that stops following.
 */
export function followReadModels(hub: Pick<EventHub, 'subscribe'>, models: FollowedReadModels): () => void {
  return hub.subscribe((event) => {
    if (event.type === 'policy.applied') models.reloadPolicy().catch(models.onError);
    else if (KEY_EVENTS.has(event.type)) models.reloadKeys().catch(models.onError);
  });
}
