/**
 * The benchmark's calls to the Gatehouse API, each checked: a wrong status or a body that does
 * not say what the policy and the state machine promise (allowed with a grant, pending, approved
 * with a grant) throws, and the load driver counts it as a failure. Counts every request the
 * server answered, for the RSS-after-50,000 figure.
 */

import { createKeepAliveAgent, parseJsonBody, sendRequest } from './http-client.js';

function expect(condition, what, body) {
  if (!condition) throw new Error(`${what}: ${JSON.stringify(body).slice(0, 300)}`);
}

/**
 * A client of the running bench Gatehouse (`startBenchGatehouse()`): submissions as the agent,
 * approvals as the moderator, over one keep-alive pool of 32 sockets; long-polls on a pool of
 * their own so a parked wait never holds a socket the approve needs.
 */
export function createGatehouseClient({ origin, agentToken, moderatorToken }) {
  let pool = createKeepAliveAgent(32);
  let pollPool = createKeepAliveAgent(4);
  let served = 0;

  async function call(agent, options, status) {
    served++;
    const answer = await sendRequest(agent, origin, options);
    if (answer.status !== status) {
      throw new Error(
        `${options.method ?? 'GET'} ${options.path}: HTTP ${answer.status}, expected ${status}: ${answer.body.slice(0, 300)}`,
      );
    }
    return parseJsonBody(answer);
  }

  const submit = (action, params) =>
    call(pool, { method: 'POST', path: '/v1/requests', token: agentToken, json: { action, params } }, 201);

  return {
    origin,
    agentToken,
    /** How many requests the server has answered for this client (streams count once). */
    served: () => served,
    countServed(n) {
      served += n;
    },
    /** `bench.read`: allowed at once, approved, with a grant token. */
    async submitAllowed(key) {
      const body = await submit('bench.read', { path: `/srv/bench/${key}` });
      expect(
        body.decision?.outcome === 'allow' &&
          body.request?.status === 'approved' &&
          typeof body.grant === 'string',
        'bench.read was not allowed with a grant',
        body,
      );
    },
    /** `bench.write`: pending review; resolves with the request id. */
    async submitPending(key) {
      const body = await submit('bench.write', { key: `bench/${key}`, value: key });
      expect(
        body.decision?.outcome === 'require' && body.request?.status === 'pending',
        'bench.write did not wait for review',
        body,
      );
      return body.request.id;
    },
    /** The moderator approves; the request must come back approved with its grant issued. */
    async approve(id) {
      const body = await call(
        pool,
        {
          method: 'POST',
          path: `/v1/requests/${id}/reviews`,
          token: moderatorToken,
          json: { decision: 'approve' },
        },
        200,
      );
      expect(
        body.status === 'approved' && body.grant?.jti !== undefined,
        'the approve did not issue a grant',
        body,
      );
    },
    /** The agent's long-poll on one request; resolves with the status it answered. */
    async waitFor(id) {
      const body = await call(
        pollPool,
        { path: `/v1/requests/${id}/wait?timeout=30`, token: agentToken },
        200,
      );
      return body.status;
    },
    /**
     * Drops the pooled connections. Call it after the client sat idle: the server closes an idle
     * keep-alive connection after 5 s, and a request written just as it does fails with ECONNRESET.
     */
    reconnect() {
      pool.destroy();
      pollPool.destroy();
      pool = createKeepAliveAgent(32);
      pollPool = createKeepAliveAgent(4);
    },
    close() {
      pool.destroy();
      pollPool.destroy();
    },
  };
}
