import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IDEMPOTENCY_WINDOW_MS } from '../../src/requests/submission-idempotency.js';
import { ENGINES } from '../../src/storage/storage-test-engines.test-support.js';
import { SECURITY_POLICY } from './security-policy.test-support.js';
import {
  type Body,
  createSecurityWorld,
  type Reply,
  type SecurityWorld,
} from './security-world.test-support.js';

// Payloads that could mean two things (issue 8, items 4 and 5), sent as an attacker would: over
// HTTP, on both engines. A refused payload is a 400 naming its path before anything is judged,
// hashed or stored, so nothing is audited; an idempotency key reused with another body is a
// 422, audited as `request.idempotency.refused`. Each test asserts the refusal, the audit
// records the attack left (none, or exactly the refusal's), and that no request was created.

/** A shell policy: `rm` of anything is denied, everything else allowed. */
const SHELL_POLICY = `${SECURITY_POLICY}  - name: no-rm
    match: { action: shell.execute, command: "rm *" }
    deny: "rm is not allowed"
`;

/** An audit record with these fields, and at least these `data` fields. */
function record(type: string, actor: string, subject: string, data: Record<string, unknown>) {
  return expect.objectContaining({ type, actor, subject, data: expect.objectContaining(data) });
}

/** A 400 invalid-input problem naming exactly `field`. */
function expectInvalid(reply: Reply, field: string): void {
  expect(reply.headers.get('content-type')).toBe('application/problem+json');
  expect({ status: reply.status, type: reply.body?.type }).toEqual({
    status: 400,
    type: 'https://gatehouse.dev/problems/invalid-input',
  });
  expect((reply.body.errors as Body[]).map((issue) => issue.field)).toEqual([field]);
}

for (const engine of ENGINES) {
  describe(`payload attacks (${engine})`, () => {
    let w: SecurityWorld;
    beforeAll(async () => {
      w = await createSecurityWorld(engine, SHELL_POLICY);
    });
    afterAll(async () => {
      await w?.dispose();
    });

    /** Sends a raw JSON text, so the attack can hold what JSON.stringify cannot write (`1e400`). */
    const sendRaw = async (path: string, text: string, as = 'ci-bot'): Promise<Reply> => {
      const res = await w.t.app.request(path, {
        method: 'POST',
        headers: { authorization: `Bearer ${w.tokens[as]}`, 'content-type': 'application/json' },
        body: text,
      });
      return { status: res.status, body: await res.json(), headers: res.headers };
    };
    const requestCount = async () =>
      Number(
        (
          await w.t.storage.db
            .selectFrom('requests')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirst()
        )?.n,
      );
    /** Runs `attack` and returns its reply, the audit records it left, and how many requests it made. */
    const attack = async (run: () => Promise<Reply>) => {
      const [mark, before] = [await w.auditHead(), await requestCount()];
      const reply = await run();
      return { reply, records: await w.auditSince(mark), created: (await requestCount()) - before };
    };
    const submit = (body: unknown, headers: Record<string, string> = {}, as = 'ci-bot') =>
      w.send('POST', '/v1/requests', { as, body, headers });

    describe('item 4: a shell.execute payload names what runs in exactly one form', () => {
      it('P01 command and argv together (judged as one, run as the other) are refused 400 naming params', async () => {
        const body = { action: 'shell.execute', params: { command: 'ls', argv: ['rm', '-rf', '/'] } };
        const { reply, records, created } = await attack(() => submit(body));
        expectInvalid(reply, 'params');
        expect(reply.body.errors[0].message).toMatch(/exactly one of `command` or `argv`/);
        expect({ records, created }).toEqual({ records: [], created: 0 });
        expectInvalid(await w.send('POST', '/v1/evaluate', { as: 'ci-bot', body }), 'params');
      });

      it.each([
        ['neither form', {}, 'params'],
        ['another key instead', { cmd: 'rm -rf /' }, 'params'],
        ['an empty command', { command: '' }, 'params.command'],
        ['a command that is not a string', { command: ['rm', '-rf', '/'] }, 'params.command'],
        ['an empty argv', { argv: [] }, 'params.argv'],
        ['an argv that is a string', { argv: 'rm -rf /' }, 'params.argv'],
        ['an argv with a non-string word', { argv: ['rm', { r: true }, '/'] }, 'params.argv[1]'],
        ['a second spelling of command', { argv: ['ls'], Command: 'rm -rf /' }, 'params.Command'],
      ])('P02 %s is refused 400 naming %s, and nothing is stored', async (_what, params, field) => {
        const { reply, records, created } = await attack(() => submit({ action: 'shell.execute', params }));
        expectInvalid(reply, field as string);
        expect({ records, created }).toEqual({ records: [], created: 0 });
      });

      it('P03 an argv is judged as the command it runs: a denied command in argv form is denied', async () => {
        const { reply } = await attack(() =>
          submit({ action: 'shell.execute', params: { argv: ['rm', '-rf', '/'] } }),
        );
        expect(reply.status).toBe(201);
        expect(reply.body.decision).toEqual({
          outcome: 'deny',
          reasons: [{ rule: 'no-rm', reason: 'rm is not allowed' }],
        });
        expect(reply.body.grant).toBeUndefined();
      });
    });

    describe('item 4: values without an exact canonical form are refused, naming their path', () => {
      it.each([
        ['1e400 in params', '{"action":"deploy.production","params":{"size":1e400}}', 'params.size'],
        [
          '-1e400 in an array in context',
          '{"action":"a.b","context":{"tags":["x",1,-1e400]}}',
          'context.tags[2]',
        ],
        [
          'an integer beyond 2^53 in params',
          '{"action":"a.b","params":{"id":9007199254740993}}',
          'params.id',
        ],
        [
          'a lone surrogate in a params string',
          '{"action":"a.b","params":{"name":"x\\ud800y"}}',
          'params.name',
        ],
        [
          'a lone surrogate in a context key',
          '{"action":"a.b","context":{"k\\udc00":1}}',
          'context["k\\udc00"]',
        ],
        ['a lone surrogate in the reason', '{"action":"a.b","reason":"\\udfff"}', 'reason'],
        [
          'a __proto__ key in params',
          '{"action":"shell.execute","params":{"__proto__":{"command":"rm -rf /"},"argv":["ls"]}}',
          'params.__proto__',
        ],
      ])('P04 %s is refused 400 naming it; nothing is stored or audited', async (_what, text, field) => {
        const { reply, records, created } = await attack(() => sendRaw('/v1/requests', text));
        expectInvalid(reply, field);
        expect({ records, created }).toEqual({ records: [], created: 0 });
        expectInvalid(await sendRaw('/v1/evaluate', text), field);
      });

      it('P05 the same values are refused in every JSON body: grant consumption and reviews', async () => {
        const consumed = await attack(() =>
          sendRaw('/v1/grants/consume', '{"grant":"x.y.z","action":"a.b","params":{"n":1e999}}'),
        );
        expectInvalid(consumed.reply, 'params.n');
        expect(consumed.records).toEqual([]);
        const { id } = await w.submit('ci-bot', {
          action: 'deploy.production',
          params: { version: randomUUID() },
        });
        const voted = await attack(() =>
          sendRaw(`/v1/requests/${id}/reviews`, '{"decision":"deny","comment":"no\\ud83d"}', 'mod'),
        );
        expectInvalid(voted.reply, 'comment');
        expect(voted.records).toEqual([]);
        expect((await w.request(id)).reviews).toHaveLength(0);
      });
    });

    describe('item 5: an idempotency key stands for one body', () => {
      it.each([
        ['params', { params: { version: 'evil' } }],
        ['action', { action: 'deploy.staging' }],
        ['context', { context: { environment: 'prod' } }],
        ['reason', { reason: 'a different story' }],
        ['onBehalfOf', { onBehalfOf: 'mod' }],
      ])(
        'I01 the same key with a different %s is refused 422 and audited; no request, no grant',
        async (_field, change) => {
          const key = { 'Idempotency-Key': randomUUID() };
          const original = { action: 'deploy.production', params: { version: '1.0.0' } };
          const first = await submit(original, key);
          expect(first.status).toBe(201);
          const { reply, records, created } = await attack(() => submit({ ...original, ...change }, key));
          expect({ status: reply.status, reason: reply.body.reason }).toEqual({
            status: 422,
            reason: 'idempotency-key-reused',
          });
          expect(reply.headers.get('content-type')).toBe('application/problem+json');
          expect(reply.body.errors).toEqual([{ field: 'idempotency-key', message: expect.any(String) }]);
          expect(reply.body.grant).toBeUndefined();
          expect(created).toBe(0);
          expect(records).toEqual([
            record('request.idempotency.refused', 'agent:ci-bot', `request:${first.body.request.id}`, {
              code: 'idempotency-key-reused',
              key: key['Idempotency-Key'],
            }),
          ]);
        },
      );

      it('I02 the same key and body, keys in another order, answers 200 with the original and its grant', async () => {
        const key = { 'Idempotency-Key': randomUUID() };
        const first = await submit(
          { action: 'shell.execute', params: { argv: ['ls', '-la'] }, reason: 'look' },
          key,
        );
        expect(first.status).toBe(201);
        const { reply, records, created } = await attack(() =>
          submit({ reason: 'look', params: { argv: ['ls', '-la'] }, action: 'shell.execute' }, key),
        );
        expect(reply.status).toBe(200);
        expect(reply.body.request.id).toBe(first.body.request.id);
        expect(reply.body.grant).toBe(first.body.grant);
        expect({ records, created }).toEqual({ records: [], created: 0 });
      });

      it('I03 keys belong to one principal: another principal’s same key makes its own request', async () => {
        const key = { 'Idempotency-Key': randomUUID() };
        const body = { action: 'deploy.production', params: { version: '2.0.0' } };
        const mine = await submit(body, key, 'ci-bot');
        const theirs = await submit({ ...body, params: { version: 'other' } }, key, 'bob');
        expect([mine.status, theirs.status]).toEqual([201, 201]);
        expect(theirs.body.request.id).not.toBe(mine.body.request.id);
      });

      it('I04 a key expires after its window: then any body makes a new request', async () => {
        const key = { 'Idempotency-Key': randomUUID() };
        const first = await submit({ action: 'deploy.production', params: { version: '3.0.0' } }, key);
        w.t.advance(IDEMPOTENCY_WINDOW_MS - 1);
        expect((await submit({ action: 'deploy.production', params: { version: 'x' } }, key)).status).toBe(
          422,
        );
        w.t.advance(2);
        const later = await submit({ action: 'deploy.production', params: { version: 'x' } }, key);
        expect(later.status).toBe(201);
        expect(later.body.request.id).not.toBe(first.body.request.id);
        const again = await submit({ action: 'deploy.production', params: { version: 'x' } }, key);
        expect({ status: again.status, id: again.body.request.id }).toEqual({
          status: 200,
          id: later.body.request.id,
        });
      });

      it('I05 racing submissions with one key: one request; same bodies replay it, other bodies are refused and audited', async () => {
        for (let round = 0; round < 10; round++) {
          const key = { 'Idempotency-Key': randomUUID() };
          const bodies = Array.from({ length: 6 }, (_, i) => ({
            action: 'deploy.production',
            params: { version: i % 2 === 0 ? 'same' : `other-${i}` },
          }));
          const mark = await w.auditHead();
          const replies = await Promise.all(bodies.map((body) => submit(body, key)));
          const created = replies.filter((reply) => reply.status === 201);
          expect(created).toHaveLength(1);
          const winner = created[0] as Reply;
          const winnerVersion =
            winner.body.request.bound?.params?.version ?? winner.body.request.params?.version;
          replies.forEach((reply, i) => {
            const sameBody = bodies[i]?.params.version === winnerVersion;
            if (reply === winner) return;
            if (sameBody)
              expect([reply.status, reply.body.request.id]).toEqual([200, winner.body.request.id]);
            else expect([reply.status, reply.body.reason]).toEqual([422, 'idempotency-key-reused']);
          });
          const refusals = (await w.auditSince(mark)).filter((r) => r.type === 'request.idempotency.refused');
          expect(refusals).toHaveLength(replies.filter((reply) => reply.status === 422).length);
        }
      });
    });
  });
}
