import { randomUUID } from 'node:crypto';
import { createEventHub, type EventHub } from '../events/event-hub.js';
import { ensureSigningKey } from '../grants/signing-key-service.js';
import { createPolicyStore } from '../policy/policy-store.js';
import type { RequestActor } from '../requests/request-actor.js';
import { createRequestService, type RequestService } from '../requests/request-service.js';
import type { RequestServiceDeps } from '../requests/request-service-deps.js';
import { createSignedGrantIssuer } from '../requests/signed-grant-issuer.js';
import type { StorageEngine } from '../storage/storage-engine.js';
import { openTestStorage, type TestStorage } from '../storage/storage-test-engines.test-support.js';

// A real request service on a migrated test database, for the notification and summary suites
// (imported by *.test.ts only).

/** A request service with its storage, event hub and a clock the test moves. */
export interface NotificationTestBed {
  readonly storage: TestStorage;
  readonly service: RequestService;
  readonly deps: RequestServiceDeps;
  readonly events: EventHub;
  readonly clock: { now: number };
}

/** Opens a migrated database, installs `policy` and builds the request service on it. */
export async function openNotificationTestBed(
  engine: StorageEngine,
  policy: string,
  start = Date.now(),
): Promise<NotificationTestBed> {
  const storage = await openTestStorage(engine);
  const clock = { now: start };
  const policies = await createPolicyStore(storage.db);
  await policies.installIfNone(policy, clock.now);
  const keyRing = await ensureSigningKey(storage.db, clock.now);
  const events = createEventHub();
  const deps: RequestServiceDeps = {
    db: storage.db,
    policies,
    grants: createSignedGrantIssuer(
      { publicUrl: 'http://127.0.0.1:8080', grantAudience: 'gatehouse' },
      () => keyRing,
    ),
    events,
    now: () => clock.now,
    newId: () => randomUUID(),
  };
  return { storage, service: createRequestService(deps), deps, events, clock };
}

/** An agent owned by `owner`, allowed to submit requests. */
export function anAgent(id: string, owner: string, teams: string[] = []): RequestActor {
  return { kind: 'agent', id, owner, teams, scopes: ['requests:create', 'requests:read', 'grants:consume'] };
}
