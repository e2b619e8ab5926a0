import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RefusedError } from '../domain-errors.js';
import { createEventHub } from '../events/event-hub.js';
import { ensureSigningKey, type KeyRing } from '../grants/signing-key-service.js';
import { createPolicyStore } from '../policy/policy-store.js';
import { getRequest, listSubjectAuditEvents, streamAuditEvents } from '../storage/index.js';
import { ENGINES, openTestStorage, type TestStorage } from '../storage/storage-test-engines.test-support.js';
import { createExpiryWorker } from './expiry-worker.js';
import type { RequestActor } from './request-actor.js';
import { createRequestService, type RequestService } from './request-service.js';
import type { RequestServiceDeps } from './request-service-deps.js';
import { createSignedGrantIssuer } from './signed-grant-issuer.js';

const POLICY = `
defaults: { decision: allow, expiresIn: 1h, onTimeout: deny, grantTtl: 5m }
rules:
  - name: gate-shell
    match: { action: shell.execute }
    require:
      stages:
        - { approvers: { role: moderator }, min: 1 }
  - name: deploys
    match: { action: "deploy.*" }
    require:
      stages:
        - { approvers: { team: $requester.team }, min: 1 }
        - { approvers: { role: admin }, min: 1 }
    override: { by: [admin], justification: required }
  - name: never-drop
    match: { action: db.drop }
    deny: "Dropping databases is never allowed"
`;

const bot: RequestActor = {
  kind: 'agent',
  id: 'bot',
  teams: ['infra'],
  owner: 'olga',
  scopes: ['requests:create', 'requests:read', 'grants:consume'],
};
const human = (id: string, role: 'admin' | 'moderator' | 'user', teams: string[] = []): RequestActor => ({
  kind: 'user',
  id,
  role,
  teams,
  scopes: ['requests:create', 'requests:read', 'requests:review', 'grants:consume'],
});
const admin = human('ada', 'admin');
const moderator = human('mo', 'moderator');
const owner = human('olga', 'moderator');
const infraMember = human('ian', 'user', ['infra']);
const outsider = human('walt', 'user', ['web']);

for (const engine of ENGINES) {
  describe(`request service on ${engine}`, () => {
    let storage: TestStorage;
    let service: RequestService;
    let deps: RequestServiceDeps;
    let clock = 1_800_000_000_000;

    beforeAll(async () => {
      storage = await openTestStorage(engine);
      const policies = await createPolicyStore(storage.db);
      await policies.installIfNone(POLICY, clock);
      let keyRing: KeyRing = await ensureSigningKey(storage.db, clock);
      deps = {
        db: storage.db,
        policies,
        grants: createSignedGrantIssuer(
          { publicUrl: 'http://127.0.0.1:8080', grantAudience: 'gatehouse' },
          () => keyRing,
        ),
        events: createEventHub(),
        now: () => clock,
        newId: () => randomUUID(),
      };
      keyRing = await ensureSigningKey(storage.db, clock);
      service = createRequestService(deps);
    });
    afterAll(async () => {
      await storage.dispose();
    });

    async function auditTypes(id: string): Promise<string[]> {
      return (await listSubjectAuditEvents(`request:${id}`, storage.db)).map((record) => record.type);
    }

    it('approves an allowed action at once with a grant that can be consumed exactly once', async () => {
      const submitted = await service.submit(bot, { action: 'docs.read', params: { path: '/README' } });
      expect(submitted.request.status).toBe('approved');
      expect(submitted.grantToken).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
      const consumed = await service.consumeGrant(bot, { grant: submitted.grantToken as string });
      expect(consumed).toMatchObject({
        requestId: submitted.request.id,
        action: 'docs.read',
        params: { path: '/README' },
      });
      const replay = await service
        .consumeGrant(bot, { grant: submitted.grantToken as string })
        .catch((error) => error);
      expect(replay).toBeInstanceOf(RefusedError);
      expect((replay as RefusedError).reason).toBe('grant-consumed');
      expect(await auditTypes(submitted.request.id)).toEqual([
        'request.created',
        'request.approved',
        'grant.issued',
        'grant.consumed',
        'grant.refused',
      ]);
    });

    it('records a denied action with the rule and its reason', async () => {
      const submitted = await service.submit(bot, { action: 'db.drop', params: { name: 'prod' } });
      expect(submitted.request.status).toBe('denied');
      expect(submitted.decision).toMatchObject({ outcome: 'deny', reasons: [{ rule: 'never-drop' }] });
      expect(submitted.grantToken).toBeUndefined();
      expect(await auditTypes(submitted.request.id)).toEqual(['request.created', 'request.denied']);
    });

    it('waits for a pending request, which a moderator approves; the requester then gets the grant', async () => {
      const { request } = await service.submit(bot, { action: 'shell.execute', params: { command: 'ls' } });
      expect(request.status).toBe('pending');
      const waiting = service.wait(bot, request.id, 30_000);
      await service.review(moderator, request.id, { decision: 'approve', comment: 'fine' });
      const decided = await waiting;
      expect(decided.status).toBe('approved');
      expect(await service.grantTokenFor(bot, decided)).toBeDefined();
      expect(await service.grantTokenFor(moderator, decided)).toBeUndefined();
    });

    it('refuses the agent owner approving, and audits the refusal', async () => {
      const { request } = await service.submit(bot, { action: 'shell.execute', params: { command: 'id' } });
      const refused = await service
        .review(owner, request.id, { decision: 'approve' })
        .catch((error) => error);
      expect(refused).toBeInstanceOf(RefusedError);
      expect((refused as RefusedError).reason).toBe('self-approval');
      const records = await listSubjectAuditEvents(`request:${request.id}`, storage.db);
      expect(records.at(-1)).toMatchObject({
        type: 'review.refused',
        actor: 'user:olga',
        data: { code: 'self-approval' },
      });
      expect((await getRequest(request.id, storage.db))?.request.status).toBe('pending');
    });

    it('refuses a grant presented with changed params, and audits it', async () => {
      const submitted = await service.submit(bot, { action: 'files.write', params: { path: '/tmp/a' } });
      const refused = await service
        .consumeGrant(bot, {
          grant: submitted.grantToken as string,
          action: 'files.write',
          params: { path: '/etc/passwd' },
        })
        .catch((error) => error);
      expect((refused as RefusedError).reason).toBe('grant-mismatch');
      expect((await auditTypes(submitted.request.id)).at(-1)).toBe('grant.refused');
      // The untouched payload still works: the refusal consumed nothing.
      const consumed = await service.consumeGrant(bot, {
        grant: submitted.grantToken as string,
        action: 'files.write',
        params: { path: '/tmp/a' },
      });
      expect(consumed.requestId).toBe(submitted.request.id);
    });

    it('lets exactly one of many concurrent consumers use a grant', async () => {
      const submitted = await service.submit(bot, { action: 'cache.flush', params: {} });
      const attempts = await Promise.allSettled(
        Array.from({ length: 20 }, () =>
          service.consumeGrant(bot, { grant: submitted.grantToken as string }),
        ),
      );
      expect(attempts.filter((attempt) => attempt.status === 'fulfilled')).toHaveLength(1);
      const types = await auditTypes(submitted.request.id);
      expect(types.filter((type) => type === 'grant.consumed')).toHaveLength(1);
      expect(types.filter((type) => type === 'grant.refused')).toHaveLength(19);
    });

    it('settles concurrent approve and deny on exactly one outcome', async () => {
      for (let round = 0; round < 10; round++) {
        const { request } = await service.submit(bot, {
          action: 'shell.execute',
          params: { command: `echo ${round}` },
        });
        await Promise.allSettled([
          service.review(moderator, request.id, { decision: 'approve' }),
          service.review(admin, request.id, { decision: 'deny', comment: 'no' }),
        ]);
        const final = (await getRequest(request.id, storage.db))?.request;
        expect(['approved', 'denied']).toContain(final?.status);
        const types = await auditTypes(request.id);
        expect(types.filter((type) => type === 'request.approved' || type === 'request.denied')).toHaveLength(
          1,
        );
      }
    });

    it('runs a staged approval: the requester team first, then the admin', async () => {
      const { request } = await service.submit(bot, {
        action: 'deploy.web',
        params: {},
        context: { team: 'infra' },
      });
      const tooEarly = await service
        .review(admin, request.id, { decision: 'approve' })
        .catch((error) => error);
      expect((tooEarly as RefusedError).reason).toBe('not-eligible');
      await service.review(infraMember, request.id, { decision: 'approve' });
      const { request: approved } = await service.review(admin, request.id, { decision: 'approve' });
      expect(approved.status).toBe('approved');
      expect(approved.grant).toBeDefined();
    });

    it('hides a request from a user of another team', async () => {
      const { request } = await service.submit(bot, {
        action: 'deploy.api',
        params: {},
        context: { team: 'infra' },
      });
      await expect(service.get(outsider, request.id)).rejects.toThrow(/No request/);
      expect((await service.list(outsider, {})).requests.map((seen) => seen.id)).not.toContain(request.id);
      expect(
        (await service.list(infraMember, { awaitingMe: true })).requests.map((seen) => seen.id),
      ).toContain(request.id);
    });

    it('replays an idempotent submission instead of creating a second request', async () => {
      const first = await service.submit(
        bot,
        { action: 'shell.execute', params: { command: 'date' } },
        'key-1',
      );
      const second = await service.submit(
        bot,
        { action: 'shell.execute', params: { command: 'date' } },
        'key-1',
      );
      expect(second.created).toBe(false);
      expect(second.request.id).toBe(first.request.id);
    });

    it('expires a pending request on time, also when the timer is caught up late', async () => {
      const { request } = await service.submit(bot, {
        action: 'shell.execute',
        params: { command: 'uptime' },
      });
      const worker = createExpiryWorker(deps, 'test-node');
      expect(await worker.runDue()).toBe(0);
      clock += 2 * 60 * 60 * 1000;
      expect(await worker.runDue()).toBeGreaterThanOrEqual(1);
      expect((await getRequest(request.id, storage.db))?.request.status).toBe('expired');
      expect(await auditTypes(request.id)).toContain('request.expired');
      const late = await service
        .review(moderator, request.id, { decision: 'approve' })
        .catch((error) => error);
      expect((late as RefusedError).reason).toBe('not-pending');
    });

    it('keeps the audit chain continuous across all of the above', async () => {
      let previous = 0;
      for await (const record of streamAuditEvents(1, 200, storage.db)) {
        expect(record.seq).toBe(previous + 1);
        previous = record.seq;
      }
      expect(previous).toBeGreaterThan(50);
    });
  });
}
