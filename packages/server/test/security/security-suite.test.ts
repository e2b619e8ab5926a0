import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { breakAppendOnlyGuards } from '../../src/audit/audit-fixtures.test-support.js';
import { decoded, partsOf } from '../../src/grants/grant-fixtures.test-support.js';
import { TEST_PASSWORD } from '../../src/http/http-test-app.test-support.js';
import type { AuditEventRecord } from '../../src/storage/audit-dal.js';
import { ENGINES } from '../../src/storage/storage-test-engines.test-support.js';
import { readEventStream } from './event-stream-reader.test-support.js';
import { carryingOwnKey, hmacSigned, signedByForeignKey, unsigned } from './forged-grants.test-support.js';
import { EXPIRES_IN_MS, GRANT_TTL_MS, NAMED_REQUESTER_POLICY } from './security-policy.test-support.js';
import {
  type Body,
  createSecurityWorld,
  type Reply,
  type SecurityWorld,
} from './security-world.test-support.js';

// Every attack DESIGN §4 says Gatehouse withstands, made as an attacker would make it: through
// the public HTTP API, on both engines. Each test asserts the refusal (status and problem
// `reason`), the audit record of the refusal (type, actor, subject, code), and that nothing
// changed. Tests are numbered as in issue 3 item 7; the ones after 25 close gaps found on the way.

/** Rounds of each race: enough for an interleaving bug to show, in seconds. */
const ROUNDS = 200;

/** A race's time limit: generous, so a loaded machine fails it only if something hangs. */
const RACE_TIMEOUT_MS = 180_000;

/** An audit record with these fields, and at least these `data` fields. */
function record(type: string, actor: string, subject: string, data: Record<string, unknown>) {
  return expect.objectContaining({ type, actor, subject, data: expect.objectContaining(data) });
}

/** The problem a refusal answered with: its status and reason. */
function expectRefused(reply: Reply, status: number, reason: string | undefined): void {
  expect({ status: reply.status, reason: reply.body?.reason }).toEqual({ status, reason });
  expect(reply.headers.get('content-type')).toBe('application/problem+json');
}

const deploy = () => ({ action: 'deploy.production', params: { version: randomUUID() } });

for (const engine of ENGINES) {
  describe(`security suite (${engine})`, () => {
    let w: SecurityWorld;
    beforeAll(async () => {
      w = await createSecurityWorld(engine);
    });
    afterAll(async () => {
      await w?.dispose();
    });

    /** The request is as submitted: pending at `stageIndex`, with `votes` votes and no grant. */
    const expectUntouched = async (id: string, stageIndex = 0, votes = 0) => {
      const request = await w.request(id);
      expect({ status: request.status, stageIndex: request.stageIndex }).toEqual({
        status: 'pending',
        stageIndex,
      });
      expect(request.reviews).toHaveLength(votes);
      expect(request.grant).toBeUndefined();
    };
    const consume = (body: Record<string, unknown>, as = 'ci-bot') =>
      w.send('POST', '/v1/grants/consume', { as, body });
    /** Runs `attack` and returns its reply and every audit record it left. */
    const attack = async (run: () => Promise<Reply>) => {
      const mark = await w.auditHead();
      const reply = await run();
      return { reply, records: await w.auditSince(mark) };
    };

    it('01 a requester approving their own request is refused (403 self-approval) and audited', async () => {
      const { id } = await w.submit('mod', deploy());
      const { reply, records } = await attack(() => w.review('mod', id, 'approve'));
      expectRefused(reply, 403, 'self-approval');
      expect(records).toEqual([
        record('review.refused', 'user:mod', `request:${id}`, { code: 'self-approval', decision: 'approve' }),
      ]);
      await expectUntouched(id);
    });

    it('02 the user a request acts on behalf of approving it is refused (403 self-approval) and audited', async () => {
      const { id } = await w.submit('ci-bot', { ...deploy(), onBehalfOf: 'mod' });
      const { reply, records } = await attack(() => w.review('mod', id, 'approve'));
      expectRefused(reply, 403, 'self-approval');
      expect(records).toEqual([
        record('review.refused', 'user:mod', `request:${id}`, { code: 'self-approval' }),
      ]);
      expect(records[0]?.data.reason).toMatch(/acts for/);
      await expectUntouched(id);
    });

    it('03 the owner of the requesting agent approving its request is refused (403 self-approval) and audited', async () => {
      // mod-bot belongs to mod, a moderator: eligible for the stage but for owning the agent.
      const { id } = await w.submit('mod-bot', deploy());
      const { reply, records } = await attack(() => w.review('mod', id, 'approve'));
      expectRefused(reply, 403, 'self-approval');
      expect(records).toEqual([
        record('review.refused', 'user:mod', `request:${id}`, { code: 'self-approval' }),
      ]);
      expect(records[0]?.data.reason).toMatch(/owns the requesting agent/);
      await expectUntouched(id);
    });

    it('04 an agent token reviewing is refused (403 agent-cannot-review) and audited', async () => {
      const { id } = await w.submit('bob', deploy());
      for (const agent of ['ci-bot', 'mod-bot']) {
        const { reply, records } = await attack(() => w.review(agent, id, 'approve'));
        expectRefused(reply, 403, 'agent-cannot-review');
        expect(records).toEqual([
          record('review.refused', `agent:${agent}`, `request:${id}`, { code: 'agent-cannot-review' }),
        ]);
      }
      await expectUntouched(id);
    });

    it('05 a moderator satisfying an admin stage is refused (403 not-eligible) and audited', async () => {
      const { id } = await w.submit('bob', { action: 'proxmox.vm.delete', params: { vmid: 101 } });
      const { reply, records } = await attack(() => w.review('mod', id, 'approve'));
      expectRefused(reply, 403, 'not-eligible');
      expect(records).toEqual([
        record('review.refused', 'user:mod', `request:${id}`, { code: 'not-eligible' }),
      ]);
      await expectUntouched(id);
    });

    it('06 a member of another team satisfying a team stage is refused (403 not-eligible) and audited', async () => {
      // gus and dave are both of ops, so dave sees gus's request; the stage wants team infra.
      const { id } = await w.submit('gus', { action: 'infra.change', params: { host: 'db-1' } });
      const { reply, records } = await attack(() => w.review('dave', id, 'approve'));
      expectRefused(reply, 403, 'not-eligible');
      expect(records).toEqual([
        record('review.refused', 'user:dave', `request:${id}`, { code: 'not-eligible' }),
      ]);
      await expectUntouched(id);
    });

    it('07 one person voting twice through two groups is refused (409 already-voted) and audited', async () => {
      // carol sits on the change board (stage 1) and the release board (stage 2).
      const { id } = await w.submit('bob', { action: 'workflow.publish', params: { workflow: 'release' } });
      expect((await w.review('carol', id, 'approve')).status).toBe(200);
      const { reply, records } = await attack(() => w.review('carol', id, 'approve'));
      expectRefused(reply, 409, 'already-voted');
      expect(records).toEqual([
        record('review.refused', 'user:carol', `request:${id}`, { code: 'already-voted', stage: 1 }),
      ]);
      await expectUntouched(id, 1, 1);
    });

    it('08 an approval after expiry is refused (409 expired) and audited; the request then expires', async () => {
      const { id } = await w.submit('ci-bot', deploy());
      w.t.advance(EXPIRES_IN_MS);
      const { reply, records } = await attack(() => w.review('mod', id, 'approve'));
      expectRefused(reply, 409, 'expired');
      expect(records).toEqual([record('review.refused', 'user:mod', `request:${id}`, { code: 'expired' })]);
      await expectUntouched(id);

      const mark = await w.auditHead();
      await w.runExpiry();
      expect(await w.auditSince(mark)).toContainEqual(
        record('request.expired', 'system', `request:${id}`, { decidedBy: 'timeout-deny' }),
      );
      expect((await w.request(id)).status).toBe('expired');
      expectRefused(await w.review('mod', id, 'approve'), 409, 'not-pending');
    });

    it('09 an approval after cancel is refused (409 not-pending) and audited', async () => {
      const { id } = await w.submit('ci-bot', deploy());
      expect((await w.send('POST', `/v1/requests/${id}/cancel`, { as: 'ci-bot' })).status).toBe(200);
      const { reply, records } = await attack(() => w.review('mod', id, 'approve'));
      expectRefused(reply, 409, 'not-pending');
      expect(records).toEqual([
        record('review.refused', 'user:mod', `request:${id}`, { code: 'not-pending', status: 'cancelled' }),
      ]);
      const request = await w.request(id);
      expect({ status: request.status, reviews: request.reviews, grant: request.grant }).toEqual({
        status: 'cancelled',
        reviews: [],
        grant: undefined,
      });
    });

    it(
      `10 a concurrent approve and deny decide exactly once, ${ROUNDS} rounds; the loser is refused (409) and audited`,
      async () => {
        const mark = await w.auditHead();
        const losers = new Map<string, string>();
        for (let round = 0; round < ROUNDS; round++) {
          const { id } = await w.submit('ci-bot', deploy());
          const [approve, deny] = await Promise.all([
            w.review('mod', id, 'approve'),
            w.review('admin', id, 'deny', 'not today'),
          ]);
          expect([approve.status, deny.status].sort(), `round ${round}`).toEqual([200, 409]);
          const loser = approve.status === 409 ? approve : deny;
          expect(loser.body.reason, `round ${round}`).toBe('not-pending');
          losers.set(id, approve.status === 409 ? 'user:mod' : 'user:admin');
        }
        const bySubject = groupBySubject(await w.auditSince(mark));
        for (const [id, loser] of losers) {
          const about = bySubject.get(`request:${id}`) ?? [];
          const outcomes = about.filter((r) => r.type === 'request.approved' || r.type === 'request.denied');
          expect(outcomes, id).toHaveLength(1);
          expect(about.filter((r) => r.type === 'review.refused')).toEqual([
            record('review.refused', loser, `request:${id}`, { code: 'not-pending' }),
          ]);
          const request = await w.request(id);
          expect(request.status).toBe(outcomes[0]?.type === 'request.approved' ? 'approved' : 'denied');
          expect(request.reviews).toHaveLength(1);
        }
      },
      RACE_TIMEOUT_MS,
    );

    it('11 a grant signed by a foreign key under our kid is refused (403 grant-bad-signature) and audited', async () => {
      const granted = await w.approvedDeploy();
      const forged = signedByForeignKey(granted.grant);
      expect(decoded(partsOf(forged)[0]).kid).toBe(w.t.context.keyRing().active.kid);
      const { reply, records } = await attack(() => consume({ grant: forged }));
      expectRefused(reply, 403, 'grant-bad-signature');
      // Not filed under the request: an unverified claim cannot write into a request's history.
      expect(records).toEqual([
        record('grant.refused', 'agent:ci-bot', 'grant:unverified', { code: 'bad-signature' }),
      ]);
      expect((await w.grant(granted.jti)).consumedAt).toBeUndefined();
    });

    it('12 a grant with alg none is refused (403 grant-unsupported-algorithm) and audited', async () => {
      const granted = await w.approvedDeploy();
      const { reply, records } = await attack(() => consume({ grant: unsigned(granted.grant) }));
      expectRefused(reply, 403, 'grant-unsupported-algorithm');
      expect(records).toEqual([
        record('grant.refused', 'agent:ci-bot', 'grant:unverified', { code: 'unsupported-algorithm' }),
      ]);
      expect((await w.grant(granted.jti)).consumedAt).toBeUndefined();
    });

    it('13 a grant presented with changed params is refused (403 grant-mismatch) and audited', async () => {
      const granted = await w.approvedDeploy({ version: '1.0.0' });
      const { reply, records } = await attack(() =>
        consume({ grant: granted.grant, action: 'deploy.production', params: { version: '6.6.6' } }),
      );
      expectRefused(reply, 403, 'grant-mismatch');
      expect(records).toEqual([
        record('grant.refused', 'agent:ci-bot', `request:${granted.id}`, { code: 'grant-mismatch' }),
      ]);
      expect((await w.grant(granted.jti)).consumedAt).toBeUndefined();
    });

    it(
      `14 a grant consumed twice concurrently succeeds exactly once, ${ROUNDS} rounds; the other use is refused (409) and audited`,
      async () => {
        const mark = await w.auditHead();
        const jtis = new Map<string, string>();
        for (let round = 0; round < ROUNDS; round++) {
          const { id, body } = await w.submit('ci-bot', {
            action: 'shell.execute',
            params: { command: 'uptime' },
          });
          const [first, second] = await Promise.all([
            consume({ grant: body.grant }),
            consume({ grant: body.grant }),
          ]);
          expect([first.status, second.status].sort(), `round ${round}`).toEqual([200, 409]);
          expect((first.status === 409 ? first : second).body.reason, `round ${round}`).toBe(
            'grant-consumed',
          );
          jtis.set(id, body.request.grant.jti);
        }
        const bySubject = groupBySubject(await w.auditSince(mark));
        for (const [id, jti] of jtis) {
          const about = bySubject.get(`request:${id}`) ?? [];
          expect(
            about.filter((r) => r.type === 'grant.consumed'),
            id,
          ).toHaveLength(1);
          expect(about.filter((r) => r.type === 'grant.refused')).toEqual([
            record('grant.refused', 'agent:ci-bot', `request:${id}`, { code: 'grant-consumed' }),
          ]);
          expect((await w.grant(jti)).consumedAt).toBeDefined();
        }
      },
      RACE_TIMEOUT_MS,
    );

    it('15 an expired grant is refused (409 grant-expired) and audited', async () => {
      const granted = await w.approvedDeploy();
      w.t.advance(GRANT_TTL_MS);
      const { reply, records } = await attack(() => consume({ grant: granted.grant, ...exactly(granted) }));
      expectRefused(reply, 409, 'grant-expired');
      expect(records).toEqual([
        record('grant.refused', 'agent:ci-bot', `request:${granted.id}`, { code: 'expired' }),
      ]);
      expect((await w.grant(granted.jti)).consumedAt).toBeUndefined();
    });

    it('16 a revoked agent token, and the token of a disabled agent, are refused (401) and audited', async () => {
      const minted = await w.send('POST', '/v1/tokens', { as: 'alice', body: { agentId: 'ci-bot' } });
      expect(minted.status).toBe(201);
      expect((await w.send('DELETE', `/v1/tokens/${minted.body.id}`, { as: 'alice' })).status).toBe(204);
      const revoked = await attack(() =>
        w.send('POST', '/v1/requests', { token: minted.body.token, body: deploy() }),
      );
      // A 401 names no reason on purpose (no oracle for token states); the audit record does.
      expectRefused(revoked.reply, 401, undefined);
      expect(revoked.records).toEqual([
        record('auth.token.refused', 'agent:ci-bot', `token:${minted.body.id}`, { reason: 'revoked' }),
      ]);

      expect((await w.send('POST', '/v1/agents', { as: 'alice', body: { name: 'night-bot' } })).status).toBe(
        201,
      );
      const night = await w.send('POST', '/v1/tokens', { as: 'alice', body: { agentId: 'night-bot' } });
      expect((await w.send('POST', '/v1/requests', { token: night.body.token, body: deploy() })).status).toBe(
        201,
      );
      expect((await w.send('POST', '/v1/agents/night-bot/disable', { as: 'alice' })).status).toBe(204);
      const disabled = await attack(() =>
        w.send('POST', '/v1/requests', { token: night.body.token, body: deploy() }),
      );
      expectRefused(disabled.reply, 401, undefined);
      expect(disabled.records).toEqual([
        record('auth.token.refused', 'agent:night-bot', `token:${night.body.id}`, {
          reason: 'principal-disabled',
        }),
      ]);
    });

    it('17 CSRF against a cookie session (no header, a wrong one, another session’s) is refused (403 csrf) and audited', async () => {
      const victim = await w.t.signIn('mod');
      const attacker = await w.t.signIn('bob');
      const { id } = await w.submit('ci-bot', deploy());
      const forged = (csrf?: string) =>
        w.send('POST', `/v1/requests/${id}/reviews`, {
          cookie: victim.cookie,
          ...(csrf === undefined ? {} : { csrf }),
          body: { decision: 'approve' },
        });
      for (const [csrf, problem] of [
        [undefined, 'missing'],
        ['A'.repeat(43), 'mismatch'],
        [attacker.csrfToken, 'mismatch'],
      ] as const) {
        const { reply, records } = await attack(() => forged(csrf));
        expectRefused(reply, 403, 'csrf');
        expect(records).toEqual([
          record('auth.csrf.refused', 'user:mod', 'user:mod', {
            reason: problem,
            session: victim.principal.sessionId,
          }),
        ]);
      }
      await expectUntouched(id);
      // The same session with its own token is let through: only the CSRF check refused it.
      expect((await forged(victim.csrfToken)).status).toBe(200);
    });

    it('18 login brute force locks the account after 5 failures, audited; the right password is then refused', async () => {
      const login = (password: string) =>
        w.send('POST', '/v1/auth/login', { body: { username: 'frank', password } });
      const sessions = () =>
        w.t.storage.db.selectFrom('sessions').select('id').where('user_id', '=', 'frank').execute();
      const sessionsBefore = await sessions();
      const mark = await w.auditHead();
      const wrong: Reply[] = [];
      for (let attempt = 1; attempt <= 5; attempt++) wrong.push(await login(`not the password ${attempt}`));
      const right = await login(TEST_PASSWORD);
      for (const reply of [...wrong, right]) expectRefused(reply, 401, undefined);
      expect(right.body.detail).toBe(wrong[0]?.body.detail);
      expect(right.headers.getSetCookie()).toEqual([]);
      const records = await w.auditSince(mark);
      expect(records).toEqual([
        ...[1, 2, 3, 4, 5].map((failedLogins) =>
          record('auth.login.failed', 'user:frank', 'user:frank', { reason: 'bad-password', failedLogins }),
        ),
        record('auth.account.locked', 'user:frank', 'user:frank', { failedLogins: 5 }),
        record('auth.login.failed', 'user:frank', 'user:frank', { reason: 'locked' }),
      ]);
      // The order matters: the lock is recorded with the fifth failure, before the right password came.
      expect(records.map((r) => r.type).indexOf('auth.account.locked')).toBe(5);
      expect(await sessions()).toEqual(sessionsBefore);
    });

    it('19 a user cannot read a request of a team they may not see: list, show, wait and live events', async () => {
      const open = async (as: string) => {
        const res = await w.t.app.request('/v1/events', {
          headers: { authorization: `Bearer ${w.tokens[as]}` },
        });
        expect(res.status).toBe(200);
        return readEventStream(res);
      };
      const bobs = await open('bob');
      const erins = await open('erin');
      const { id } = await w.submit('alice', { ...deploy(), context: { team: 'infra' } });
      const own = await w.submit('bob', { action: 'deploy.staging', params: {} });
      // erin (of infra) is shown it; bob's first event is his own request, so alice's never reached him.
      expect((await erins.next()).data).toMatchObject({ type: 'request.created', subject: `request:${id}` });
      expect((await bobs.next()).data).toMatchObject({
        type: 'request.created',
        subject: `request:${own.id}`,
      });
      await Promise.all([bobs.close(), erins.close()]);

      const mark = await w.auditHead();
      const listed = (await w.send('GET', '/v1/requests?limit=200', { as: 'bob' })).body.requests as Body[];
      expect(listed.map((r) => r.id)).not.toContain(id);
      expect((await w.send('GET', '/v1/requests?team=infra', { as: 'bob' })).body.requests).toEqual([]);
      const shown = await w.send('GET', `/v1/requests/${id}`, { as: 'bob' });
      const waited = await w.send('GET', `/v1/requests/${id}/wait?timeout=0`, { as: 'bob' });
      const missing = await w.send('GET', `/v1/requests/${randomUUID()}`, { as: 'bob' });
      for (const reply of [shown, waited]) {
        expect(reply.status).toBe(404);
        // Exactly what a request that does not exist answers: its existence is not revealed.
        expect({ type: reply.body.type, title: reply.body.title }).toEqual({
          type: missing.body.type,
          title: missing.body.title,
        });
        expect(JSON.stringify(reply.body)).not.toContain('deploy.production');
      }
      // The permitted reader sees it, through every door.
      const erinList = (await w.send('GET', '/v1/requests?limit=200', { as: 'erin' })).body
        .requests as Body[];
      expect(erinList.map((r) => r.id)).toContain(id);
      expect((await w.send('GET', `/v1/requests/${id}`, { as: 'erin' })).status).toBe(200);
      // Reading changes nothing: no record about the request, and it is still pending.
      expect((await w.auditSince(mark)).filter((r) => r.subject === `request:${id}`)).toEqual([]);
      await expectUntouched(id);
    });

    it('20 a non-admin replacing the policy (moderator, user) is refused (403 admin-only) and audited', async () => {
      const before = await w.policyVersion();
      const open = 'version: 1\ndefaults: { decision: allow }\n';
      const moderatorSession = await w.t.signIn('mod');
      const attempts: [string, () => Promise<Reply>][] = [
        ['user:mod', () => w.send('PUT', '/v1/policy', { as: 'mod', body: { source: open } })],
        ['user:bob', () => w.send('PUT', '/v1/policy', { as: 'bob', body: { source: open } })],
        [
          'user:mod',
          () =>
            w.send('PUT', '/v1/policy', {
              cookie: moderatorSession.cookie,
              csrf: moderatorSession.csrfToken,
              body: { source: open },
            }),
        ],
      ];
      for (const [actor, run] of attempts) {
        const { reply, records } = await attack(run);
        expectRefused(reply, 403, 'admin-only');
        expect(records).toEqual([
          record('permission.denied', actor, 'policy', { operation: 'policy.apply', reason: 'admin-only' }),
        ]);
      }
      expect(await w.policyVersion()).toBe(before);
      expect((await w.send('GET', '/v1/policy', { as: 'bob' })).body.version).toBe(before);
    });

    it('21 an agent editing the policy is refused (403 agent-not-allowed) and audited', async () => {
      const before = await w.policyVersion();
      for (const agent of ['ci-bot', 'mod-bot']) {
        const { reply, records } = await attack(() =>
          w.send('PUT', '/v1/policy', {
            as: agent,
            body: { source: 'version: 1\ndefaults: { decision: allow }\n' },
          }),
        );
        expectRefused(reply, 403, 'agent-not-allowed');
        expect(records).toEqual([
          record('permission.denied', `agent:${agent}`, 'policy', {
            operation: 'policy.apply',
            reason: 'agent-not-allowed',
          }),
        ]);
      }
      expect(await w.policyVersion()).toBe(before);
    });

    it('22 params shadowing action, status or environment do not change the decision: it follows the real fields', async () => {
      const shadow = { action: 'files.read', status: 'approved', environment: 'dev' };
      const mark = await w.auditHead();
      const secret = await w.submit('ci-bot', {
        action: 'secret.read',
        params: { ...shadow, name: 'db-password' },
        context: { action: 'files.read' },
      });
      expect(secret.body.decision).toEqual({
        outcome: 'deny',
        reasons: [{ rule: 'no-secrets', reason: 'Reading secrets is not allowed' }],
      });
      expect(secret.body.request.status).toBe('denied');
      expect(secret.body.grant).toBeUndefined();
      const gated = await w.submit('ci-bot', { action: 'deploy.production', params: shadow });
      expect(gated.body.request).toMatchObject({ status: 'pending', verified: { rules: ['deploys'] } });
      const prod = await w.submit('ci-bot', {
        action: 'service.restart',
        params: shadow,
        context: { environment: 'prod' },
      });
      expect(prod.body.request).toMatchObject({ status: 'pending', verified: { rules: ['prod-restarts'] } });
      for (const { id } of [gated, prod]) {
        expect((await w.request(id)).grant).toBeUndefined();
      }
      const records = await w.auditSince(mark);
      expect(records.filter((r) => r.subject === `request:${secret.id}`)).toEqual([
        record('request.created', 'agent:ci-bot', `request:${secret.id}`, { action: 'secret.read' }),
        record('request.denied', 'system', `request:${secret.id}`, {
          by: 'policy',
          reasons: [expect.objectContaining({ rule: 'no-secrets' })],
        }),
      ]);
      expect(records.filter((r) => r.type === 'request.approved' || r.type === 'grant.issued')).toEqual([]);
      // Params cannot add a gate's condition either, and a top-level status is not an input at all.
      const dev = await w.submit('ci-bot', {
        action: 'service.restart',
        params: { environment: 'prod' },
        context: { environment: 'dev' },
      });
      expect(dev.body.decision).toEqual({ outcome: 'allow' });
      const status = await w.send('POST', '/v1/requests', {
        as: 'ci-bot',
        body: { ...deploy(), status: 'approved' },
      });
      expect(status.status).toBe(400);
      expect(status.body.errors).toEqual([{ field: 'status', message: 'unknown field' }]);
    });

    it('23 an audit row edited or deleted in the database is found by POST /v1/audit/verify', async () => {
      // An attacker with database access drops the append-only triggers: a world of its own.
      const tampered = await createSecurityWorld(engine);
      try {
        await tampered.approvedDeploy();
        const verify = () => tampered.send('POST', '/v1/audit/verify', { as: 'mod' });
        const intact = await verify();
        expect(intact.body).toMatchObject({ ok: true });
        const log = await tampered.auditSince(0);
        const approval = log.find((r) => r.type === 'review.recorded');
        const created = log.find((r) => r.type === 'request.created');
        if (approval === undefined || created === undefined) throw new Error('the log has no review');
        await breakAppendOnlyGuards(tampered.t.storage);
        const { db } = tampered.t.storage;

        await db
          .updateTable('audit_events')
          .set({ actor: 'user:admin' })
          .where('seq', '=', approval.seq)
          .execute();
        const edited = await verify();
        expect(edited.status).toBe(200);
        expect(edited.body).toMatchObject({ ok: false, firstBad: { seq: approval.seq, problem: 'edited' } });

        await db
          .updateTable('audit_events')
          .set({ actor: approval.actor })
          .where('seq', '=', approval.seq)
          .execute();
        expect((await verify()).body).toMatchObject({ ok: true, count: intact.body.count });
        await db.deleteFrom('audit_events').where('seq', '=', created.seq).execute();
        const deleted = await verify();
        expect(deleted.body).toMatchObject({
          ok: false,
          firstBad: { seq: created.seq + 1, problem: 'deleted-or-inserted' },
        });
      } finally {
        await tampered.dispose();
      }
    });

    it('24 an agent token minting a token with review scope is refused (403) and audited', async () => {
      const agentTokens = () =>
        w.t.storage.db
          .selectFrom('api_tokens')
          .select('id')
          .where('principal_kind', '=', 'agent')
          .where('principal_id', '=', 'ci-bot')
          .execute();
      const before = await agentTokens();
      for (const body of [
        { agentId: 'ci-bot', scopes: ['requests:review'] },
        { scopes: ['requests:review'] },
      ]) {
        const { reply, records } = await attack(() => w.send('POST', '/v1/tokens', { as: 'ci-bot', body }));
        expectRefused(reply, 403, 'agent-not-allowed');
        expect(records).toEqual([
          record('permission.denied', 'agent:ci-bot', 'agent:ci-bot', {
            operation: 'token.create',
            reason: 'agent-not-allowed',
          }),
        ]);
      }
      // Nor can its owner give it one: agents never review.
      const { reply, records } = await attack(() =>
        w.send('POST', '/v1/tokens', {
          as: 'alice',
          body: { agentId: 'ci-bot', scopes: ['requests:review'] },
        }),
      );
      expectRefused(reply, 403, 'agent-forbidden-scope');
      expect(records).toEqual([
        record('permission.denied', 'user:alice', 'agent:ci-bot', {
          operation: 'token.create',
          reason: 'agent-forbidden-scope',
        }),
      ]);
      expect(await agentTokens()).toEqual(before);
    });

    it('25 replaying an approved request’s grant for a different action is refused (403 grant-mismatch) and audited', async () => {
      const granted = await w.approvedDeploy({ version: '3.1.4' });
      for (const action of ['deploy.staging', 'proxmox.vm.delete']) {
        const { reply, records } = await attack(() =>
          consume({ grant: granted.grant, action, params: granted.params }),
        );
        expectRefused(reply, 403, 'grant-mismatch');
        expect(records).toEqual([
          record('grant.refused', 'agent:ci-bot', `request:${granted.id}`, { code: 'grant-mismatch' }),
        ]);
      }
      expect((await w.grant(granted.jti)).consumedAt).toBeUndefined();
      // Used as approved it runs once; replayed afterwards for another action it is refused again.
      expect((await consume({ grant: granted.grant, ...exactly(granted) })).status).toBe(200);
      const replay = await attack(() =>
        consume({ grant: granted.grant, action: 'shell.execute', params: granted.params }),
      );
      expectRefused(replay.reply, 403, 'grant-mismatch');
      expect(replay.records).toEqual([
        record('grant.refused', 'agent:ci-bot', `request:${granted.id}`, { code: 'grant-mismatch' }),
      ]);
    });

    it('26 a grant signed HS256 with our public key as the secret is refused (403 grant-unsupported-algorithm) and audited', async () => {
      const granted = await w.approvedDeploy();
      const jwks = await w.send('GET', '/.well-known/jwks.json');
      const forged = hmacSigned(granted.grant, String(jwks.body.keys[0].x));
      const { reply, records } = await attack(() => consume({ grant: forged }));
      expectRefused(reply, 403, 'grant-unsupported-algorithm');
      expect(records).toEqual([
        record('grant.refused', 'agent:ci-bot', 'grant:unverified', { code: 'unsupported-algorithm' }),
      ]);
      expect((await w.grant(granted.jti)).consumedAt).toBeUndefined();
    });

    it('27 a grant carrying its own key in the header (jwk) is refused (403 grant-malformed) and audited', async () => {
      const granted = await w.approvedDeploy();
      const { reply, records } = await attack(() => consume({ grant: carryingOwnKey(granted.grant) }));
      expectRefused(reply, 403, 'grant-malformed');
      expect(records).toEqual([
        record('grant.refused', 'agent:ci-bot', 'grant:unverified', { code: 'malformed' }),
      ]);
      expect((await w.grant(granted.jti)).consumedAt).toBeUndefined();
    });

    it('28 a user token without requests:review approving is refused (403 missing-scope) and audited', async () => {
      const { id } = await w.submit('ci-bot', deploy());
      const narrow = await w.send('POST', '/v1/tokens', { as: 'mod', body: { scopes: ['requests:read'] } });
      const { reply, records } = await attack(() =>
        w.send('POST', `/v1/requests/${id}/reviews`, {
          token: narrow.body.token,
          body: { decision: 'approve' },
        }),
      );
      expectRefused(reply, 403, 'missing-scope');
      expect(records).toEqual([
        record('review.refused', 'user:mod', `request:${id}`, { code: 'missing-scope' }),
      ]);
      await expectUntouched(id);
    });

    it('29 a vote on a request the voter may not even see is refused (404, as for none) and audited', async () => {
      // bob shares no team with ci-bot's owner and is no moderator: the request is hidden from him.
      const { id } = await w.submit('ci-bot', deploy());
      const { reply, records } = await attack(() => w.review('bob', id, 'approve'));
      expect(reply.status).toBe(404);
      expect(records).toEqual([record('review.refused', 'user:bob', `request:${id}`, {})]);
      await expectUntouched(id);
    });

    it(
      `30 one person voting twice at once (token and session) counts once, ${ROUNDS} rounds; the second vote is refused (409) and audited`,
      async () => {
        const session = await w.t.signIn('mod');
        const mark = await w.auditHead();
        const ids: string[] = [];
        for (let round = 0; round < ROUNDS; round++) {
          // Two moderators needed: mod's two credentials must not make them two people.
          const { id } = await w.submit('ci-bot', { action: 'plugin.install.community', params: { round } });
          const [byToken, bySession] = await Promise.all([
            w.review('mod', id, 'approve'),
            w.send('POST', `/v1/requests/${id}/reviews`, {
              cookie: session.cookie,
              csrf: session.csrfToken,
              body: { decision: 'approve' },
            }),
          ]);
          expect([byToken.status, bySession.status].sort(), `round ${round}`).toEqual([200, 409]);
          expect((byToken.status === 409 ? byToken : bySession).body.reason, `round ${round}`).toBe(
            'already-voted',
          );
          ids.push(id);
        }
        const bySubject = groupBySubject(await w.auditSince(mark));
        for (const id of ids) {
          const about = bySubject.get(`request:${id}`) ?? [];
          expect(
            about.filter((r) => r.type === 'review.recorded'),
            id,
          ).toHaveLength(1);
          expect(about.filter((r) => r.type === 'review.refused')).toEqual([
            record('review.refused', 'user:mod', `request:${id}`, { code: 'already-voted' }),
          ]);
          await expectUntouched(id, 0, 1);
        }
      },
      RACE_TIMEOUT_MS,
    );

    it('31 an agent named after a user gets none of that user’s rules: no grant, and the attempt is audited', async () => {
      // Under deny-by-default only alice deploys; bob names an agent "alice". A world of its own.
      const named = await createSecurityWorld(engine, NAMED_REQUESTER_POLICY);
      try {
        expect((await named.submit('alice', deploy())).body.decision).toEqual({ outcome: 'allow' });
        const mark = await named.auditHead();
        const made = await named.send('POST', '/v1/agents', { as: 'bob', body: { name: 'alice' } });
        // Either fix closes it: the directory refuses the name, or the rule does not match the agent.
        if (made.status === 201) {
          const minted = await named.send('POST', '/v1/tokens', { as: 'bob', body: { agentId: 'alice' } });
          const submitted = await named.send('POST', '/v1/requests', {
            token: minted.body.token,
            body: deploy(),
          });
          expect(submitted.body.decision?.outcome).not.toBe('allow');
          expect(submitted.body.grant).toBeUndefined();
        } else {
          expect(made.status).toBeGreaterThanOrEqual(400);
        }
        const records = await named.auditSince(mark);
        expect(records.filter((r) => r.type === 'grant.issued' || r.type === 'request.approved')).toEqual([]);
        // The refusal is on record: the directory's (permission.denied) or the policy's (request.denied).
        expect(records.map((r) => r.type)).toContainEqual(
          expect.stringMatching(/^(request|permission)\.denied$/),
        );
      } finally {
        await named.dispose();
      }
    });

    it('32 a maintainer of the team that owns the requesting agent approving its request is refused (403 self-approval) and audited', async () => {
      // mod maintains team web, creates its agent, mints the agent's token and asks through it.
      const admin = w.t.principals.admin;
      if (admin === undefined) throw new Error('no admin');
      await w.t.directory.createTeam(admin, 'web', w.t.context.now());
      await w.t.directory.addTeamMember(admin, 'web', 'mod', 'maintainer', w.t.context.now());
      const agent = { name: 'web-bot', owner: { kind: 'team', id: 'web' } };
      expect((await w.send('POST', '/v1/agents', { as: 'mod', body: agent })).status).toBe(201);
      const minted = await w.send('POST', '/v1/tokens', { as: 'mod', body: { agentId: 'web-bot' } });
      const submitted = await w.send('POST', '/v1/requests', { token: minted.body.token, body: deploy() });
      const id = submitted.body.request.id as string;
      const { reply, records } = await attack(() => w.review('mod', id, 'approve'));
      expectRefused(reply, 403, 'self-approval');
      expect(records).toEqual([
        record('review.refused', 'user:mod', `request:${id}`, { code: 'self-approval' }),
      ]);
      await expectUntouched(id);
    });

    it('33 a revoked token’s open event stream is cut off: nothing reaches it after revocation', async () => {
      const minted = await w.send('POST', '/v1/tokens', { as: 'mod', body: {} });
      const res = await w.t.app.request('/v1/events', {
        headers: { authorization: `Bearer ${minted.body.token}` },
      });
      const stream = readEventStream(res);
      try {
        const revoked = await attack(() => w.send('DELETE', `/v1/tokens/${minted.body.id}`, { as: 'mod' }));
        expect(revoked.reply.status).toBe(204);
        expect(revoked.records).toEqual([
          record('token.revoked', 'user:mod', `token:${minted.body.id}`, { prefix: minted.body.id }),
        ]);
        // The attack: hold the stream open and keep reading. A moderator's stream shows every request.
        await w.submit('ci-bot', deploy());
        await expect(stream.next()).rejects.toThrow('the stream ended');
      } finally {
        await stream.close();
      }
    });
  });
}

/** The payload an approved request was approved for. */
function exactly(granted: { params: Readonly<Record<string, unknown>> }) {
  return { action: 'deploy.production', params: granted.params };
}

/** Audit records by subject, each group in `seq` order. */
function groupBySubject(records: readonly AuditEventRecord[]): Map<string, AuditEventRecord[]> {
  const groups = new Map<string, AuditEventRecord[]>();
  for (const r of records) groups.set(r.subject, [...(groups.get(r.subject) ?? []), r]);
  return groups;
}
