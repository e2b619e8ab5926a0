import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../../storage/storage-test-engines.test-support.js';
import { createHttpApp } from '../http-app.js';
import { createTestApp, type TestApp } from '../http-test-app.test-support.js';

for (const engine of ENGINES) {
  describe(`system routes on ${engine}`, () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp(engine);
    });
    afterAll(async () => {
      await t.dispose();
    });

    it('answers /healthz while it serves', async () => {
      const res = await t.call('GET', '/healthz');
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ status: 'ok' });
    });

    it('answers /readyz 200 when the database answers and a policy is active, else 503 as a problem', async () => {
      expect(await (await t.call('GET', '/readyz')).json()).toEqual({ status: 'ready' });
      const notReady = createHttpApp({ ...t.context, ready: async () => false });
      const res = await notReady.request('/readyz');
      expect(res.status).toBe(503);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
      const failing = createHttpApp({
        ...t.context,
        ready: async () => {
          throw new Error('connect ECONNREFUSED 127.0.0.1:5432');
        },
      });
      const refused = await failing.request('/readyz');
      expect(refused.status).toBe(503);
      expect(await refused.text()).not.toContain('ECONNREFUSED');
    });

    it('exposes Prometheus metrics labelled by route pattern, not by URL', async () => {
      const created = await t.call('POST', '/v1/requests', {
        as: 'ci-bot',
        body: { action: 'shell.execute', params: { command: 'ls' } },
      });
      const { request } = (await created.json()) as { request: { id: string } };
      await t.call('GET', `/v1/requests/${request.id}`, { as: 'ci-bot' });
      await t.call('GET', '/no/such/page');
      const res = await t.call('GET', '/metrics');
      expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
      const text = await res.text();
      expect(text).toContain('http_requests_total{method="GET",route="/v1/requests/:id",status="200"}');
      expect(text).toContain('route="unmatched",status="404"');
      expect(text).not.toContain(request.id);
      expect(text).toMatch(
        /http_request_duration_seconds_bucket\{le="[\d.]+",method="POST",route="\/v1\/requests"\}/,
      );
      expect(text).toMatch(/gatehouse_requests_created_total\{outcome="allow"\} 1/);
      expect(text).toContain('process_cpu_user_seconds_total');
    });

    it('answers 500 for an unexpected error without disclosing it, and logs it', async () => {
      const app = createHttpApp(t.context);
      app.get('/explode', () => {
        throw new Error('SELECT password_hash FROM users failed');
      });
      const res = await app.request('/explode');
      expect(res.status).toBe(500);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
      expect(await res.text()).not.toContain('password_hash');
      expect(t.logs.at(-1)).toMatchObject({
        level: 'error',
        fields: { err: expect.objectContaining({ message: expect.stringContaining('password_hash') }) },
      });
    });

    it('answers unknown routes 404 and wrong methods 405 with Allow, as problems', async () => {
      const missing = await t.call('GET', '/v2/requests');
      expect(missing.status).toBe(404);
      expect(missing.headers.get('content-type')).toBe('application/problem+json');
      const wrong = await t.call('PUT', '/healthz');
      expect(wrong.status).toBe(405);
      expect(wrong.headers.get('allow')).toBe('GET');
      expect((await wrong.json()) as unknown).toMatchObject({ status: 405, instance: '/healthz' });
    });
  });
}
