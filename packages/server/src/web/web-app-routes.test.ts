import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../http/http-test-app.test-support.js';
import { ENGINES } from '../storage/storage-test-engines.test-support.js';
import { createWebAppRoutes } from './web-app-routes.js';
import { IMMUTABLE_CACHE_CONTROL, WEB_CONTENT_SECURITY_POLICY } from './web-security-headers.js';

const INDEX_HTML =
  '<!doctype html><html><head><script type="module" src="/assets/app-1a2b3c.js"></script></head><body></body></html>';
const APP_JS = 'console.log("gatehouse");';

let distDir: string;

beforeAll(async () => {
  distDir = await mkdtemp(path.join(tmpdir(), 'gatehouse-web-dist-'));
  await mkdir(path.join(distDir, 'assets'));
  await writeFile(path.join(distDir, 'index.html'), INDEX_HTML);
  await writeFile(path.join(distDir, 'assets', 'app-1a2b3c.js'), APP_JS);
  await writeFile(path.join(distDir, 'assets', 'app-4d5e6f.css'), 'body{color:black}');
  await writeFile(path.join(distDir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  // A secret one level up: nothing under the web routes may reach it.
  await writeFile(path.join(distDir, '..', `${path.basename(distDir)}-secret.txt`), 'secret');
});

afterAll(async () => {
  await rm(distDir, { recursive: true, force: true });
  await rm(path.join(distDir, '..', `${path.basename(distDir)}-secret.txt`), { force: true });
});

function expectHtmlPage(response: Response): void {
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
  expect(response.headers.get('cache-control')).toBe('no-cache');
  expect(response.headers.get('content-security-policy')).toBe(WEB_CONTENT_SECURITY_POLICY);
  expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  expect(response.headers.get('referrer-policy')).toBe('no-referrer');
}

describe('createWebAppRoutes on its own', () => {
  const app = () => createWebAppRoutes({ distDir });

  it('serves index.html at / with the strict CSP and no-cache', async () => {
    const response = await app().request('/');
    expectHtmlPage(response);
    expect(await response.text()).toBe(INDEX_HTML);
  });

  it('answers every app path with index.html (SPA fallback)', async () => {
    for (const urlPath of ['/requests/5b1c', '/audit', '/policy/versions', '/admin/users', '/index.html']) {
      const response = await app().request(urlPath);
      expectHtmlPage(response);
      expect(await response.text()).toBe(INDEX_HTML);
    }
  });

  it('serves hashed assets as immutable with their media type', async () => {
    const js = await app().request('/assets/app-1a2b3c.js');
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(js.headers.get('cache-control')).toBe(IMMUTABLE_CACHE_CONTROL);
    expect(js.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await js.text()).toBe(APP_JS);
    const css = await app().request('/assets/app-4d5e6f.css');
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
  });

  it('serves other files of the build root, revalidated', async () => {
    const icon = await app().request('/favicon.svg');
    expect(icon.status).toBe(200);
    expect(icon.headers.get('content-type')).toBe('image/svg+xml');
    expect(icon.headers.get('cache-control')).toBe('no-cache');
  });

  it('never answers a missing asset with the HTML page', async () => {
    const response = await app().request('/assets/app-000000.js');
    expect(response.status).toBe(404);
    expect(await response.text()).not.toContain('<html');
  });

  it('never answers a server path with the HTML page', async () => {
    for (const urlPath of [
      '/v1',
      '/v1/requests',
      '/v1/nope/deeper',
      '/openapi.json',
      '/docs',
      '/healthz',
      '/readyz',
      '/metrics',
      '/.well-known/jwks.json',
    ]) {
      const response = await app().request(urlPath);
      expect(response.status, urlPath).toBe(404);
    }
  });

  it('leaves unsafe methods alone', async () => {
    for (const method of ['POST', 'PUT', 'DELETE']) {
      expect((await app().request('/', { method })).status).toBe(404);
    }
  });

  it('refuses to read outside the build (path traversal)', async () => {
    const secret = `${path.basename(distDir)}-secret.txt`;
    for (const urlPath of [
      `/assets/..%2F..%2F${secret}`,
      '/assets/..%5c..%5cindex.html',
      '/assets/%00.js',
      '/assets/%E0%A4%A.js',
    ]) {
      const response = await app().request(urlPath);
      expect(response.status, urlPath).toBe(404);
      expect(await response.text()).not.toContain('secret');
    }
    // The URL parser folds encoded dot segments away before routing: the page, never the file.
    const folded = await app().request(`/assets/%2e%2e/%2e%2e/${secret}`);
    expect(await folded.text()).toBe(INDEX_HTML);
    // Outside /assets a bad path is just another app path: the page, never the file.
    const response = await app().request(`/..%2F${secret}`);
    expectHtmlPage(response);
    expect(await response.text()).toBe(INDEX_HTML);
  });

  it('says the app is not built when index.html is missing', async () => {
    const empty = await mkdtemp(path.join(tmpdir(), 'gatehouse-web-empty-'));
    try {
      const response = await createWebAppRoutes({ distDir: empty }).request('/queue');
      expect(response.status).toBe(503);
      expect(response.headers.get('content-security-policy')).toBe(WEB_CONTENT_SECURITY_POLICY);
      expect(await response.text()).toContain('not built');
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });
});

for (const engine of ENGINES) {
  describe(`mounted beside the API (${engine})`, () => {
    let test: TestApp;

    beforeAll(async () => {
      test = await createTestApp(engine);
      // Exactly what the composition root does: after every API route.
      test.app.route('/', createWebAppRoutes({ distDir }));
    });

    afterAll(async () => {
      await test.dispose();
    });

    it('serves the page at / and app paths, and the API as before', async () => {
      expectHtmlPage(await test.call('GET', '/'));
      expectHtmlPage(await test.call('GET', '/requests/abc'));
      const health = await test.call('GET', '/healthz');
      expect(health.status).toBe(200);
      expect(await health.json()).toEqual({ status: 'ok' });
      const list = await test.call('GET', '/v1/requests', { as: 'mod' });
      expect(list.status).toBe(200);
      expect(await list.json()).toMatchObject({ requests: [] });
    });

    it('leaves unknown API paths to the API: a 404 problem, not the page', async () => {
      const response = await test.call('GET', '/v1/no-such-route', { as: 'mod' });
      expect(response.status).toBe(404);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
      const unauthenticated = await test.call('GET', '/v1/requests');
      expect(unauthenticated.status).toBe(401);
    });

    it('adds no route the API would answer 405 for, nor any OpenAPI path', async () => {
      const response = await test.call('POST', '/queue');
      expect(response.status).toBe(404);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
      const document = (await (await test.call('GET', '/openapi.json')).json()) as {
        paths: Record<string, unknown>;
      };
      expect(Object.keys(document.paths).filter((p) => p === '/' || p.includes('*'))).toEqual([]);
      // The web app adds only middleware (method ALL): no route for the API's 405 logic to see.
      const wildcard = test.app.routes.filter((route) => route.path === '/*' && route.method !== 'ALL');
      expect(wildcard).toEqual([]);
    });
  });
}
