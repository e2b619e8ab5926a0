import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../storage/storage-test-engines.test-support.js';
import { PUBLIC_V1_ROUTES } from './auth-middleware.js';
import { createTestApp, type TestApp } from './http-test-app.test-support.js';

// Structural checks of the OpenAPI 3.1 document, done here by hand: no OpenAPI validator
// (@apidevtools/swagger-parser) is installed. They cover what a validator would reject in
// practice: version, every route present, every $ref resolvable, responses on every
// operation, declared path parameters, declared security schemes, problem+json errors.

// biome-ignore lint/suspicious/noExplicitAny: the document is walked generically.
type Json = any;

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'];

/** Every `$ref` in `value`, at any depth. */
function refsIn(value: Json, found: string[] = []): string[] {
  if (Array.isArray(value)) for (const item of value) refsIn(item, found);
  else if (value !== null && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      if (key === '$ref' && typeof child === 'string') found.push(child);
      else refsIn(child, found);
    }
  }
  return found;
}

/** Follows a local JSON pointer (`#/components/schemas/X`). */
function resolvePointer(document: Json, ref: string): Json {
  if (!ref.startsWith('#/')) return undefined;
  return ref
    .slice(2)
    .split('/')
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((node: Json, part) => (node === undefined ? undefined : node[part]), document);
}

function operations(document: Json): { method: string; path: string; op: Json }[] {
  return Object.entries(document.paths as Record<string, Json>).flatMap(([path, item]) =>
    HTTP_METHODS.filter((method) => item[method] !== undefined).map((method) => ({
      method,
      path,
      op: item[method],
    })),
  );
}

for (const engine of ENGINES) {
  describe(`the OpenAPI document on ${engine}`, () => {
    let t: TestApp;
    let document: Json;
    beforeAll(async () => {
      t = await createTestApp(engine);
      const res = await t.call('GET', '/openapi.json');
      expect(res.status).toBe(200);
      document = await res.json();
    });
    afterAll(async () => {
      await t.dispose();
    });

    it('is OpenAPI 3.1 with an info block', () => {
      expect(document.openapi).toMatch(/^3\.1\.\d+$/);
      expect(typeof document.info.title).toBe('string');
      expect(typeof document.info.version).toBe('string');
    });

    it('documents every route registered in the app, and routes every documented operation', () => {
      const routed = new Set(
        t.app.routes
          .filter((route) => route.method !== 'ALL')
          .map((route) => `${route.method.toLowerCase()} ${route.path.replace(/:(\w+)/g, '{$1}')}`),
      );
      const documented = new Set(operations(document).map(({ method, path }) => `${method} ${path}`));
      expect(routed.size).toBeGreaterThan(40);
      expect([...routed].filter((route) => !documented.has(route))).toEqual([]);
      expect([...documented].filter((operation) => !routed.has(operation))).toEqual([]);
    });

    it('resolves every $ref', () => {
      const refs = refsIn(document);
      expect(refs.length).toBeGreaterThan(20);
      expect(refs.filter((ref) => resolvePointer(document, ref) === undefined)).toEqual([]);
    });

    it('gives every operation a summary, a success response and problem+json errors', () => {
      for (const { method, path, op } of operations(document)) {
        const where = `${method.toUpperCase()} ${path}`;
        expect(typeof op.summary, where).toBe('string');
        const statuses = Object.keys(op.responses ?? {});
        expect(
          statuses.some((status) => /^2\d\d$/.test(status)),
          where,
        ).toBe(true);
        for (const status of statuses.filter((s) => Number(s) >= 400)) {
          expect(Object.keys(op.responses[status].content ?? {}), `${where} ${status}`).toEqual([
            'application/problem+json',
          ]);
        }
        expect(statuses, where).toContain('500');
      }
    });

    it('declares every path parameter, required', () => {
      for (const { method, path, op } of operations(document)) {
        const names = [...path.matchAll(/\{(\w+)\}/g)].map((match) => match[1]);
        const declared = (op.parameters ?? []).filter((p: Json) => p.in === 'path');
        expect(declared.map((p: Json) => p.name).sort(), `${method} ${path}`).toEqual([...names].sort());
        expect(declared.every((p: Json) => p.required === true)).toBe(true);
      }
    });

    it('names a declared security scheme on every authenticated operation, none on public ones', () => {
      const schemes = Object.keys(document.components.securitySchemes);
      expect(schemes.sort()).toEqual(['bearerToken', 'sessionCookie']);
      for (const { method, path, op } of operations(document)) {
        const isPublic = !path.startsWith('/v1/') || PUBLIC_V1_ROUTES.has(`${method.toUpperCase()} ${path}`);
        expect(op.security, `${method} ${path}`).toEqual(
          isPublic ? [] : [{ bearerToken: [] }, { sessionCookie: [] }],
        );
        for (const requirement of op.security) {
          for (const name of Object.keys(requirement)) expect(schemes).toContain(name);
        }
      }
    });

    it('marks request bodies strict: unknown fields are not allowed', () => {
      const submission = document.components.schemas.Submission;
      expect(submission.additionalProperties).toBe(false);
      expect(submission.required).toContain('action');
    });

    it('serves a self-contained reference page listing every operation', async () => {
      const res = await t.call('GET', '/docs');
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      expect(res.headers.get('content-security-policy')).toMatch(/default-src 'none'/);
      const html = await res.text();
      for (const { method, path } of operations(document)) {
        expect(html).toContain(`${method.toUpperCase()} ${path.replace(/[<>&"']/g, '')}`);
      }
      expect(html).not.toMatch(/<script|<link|\ssrc=/i);
      expect(html).toContain('id="schema-RequestView"');
    });
  });
}
