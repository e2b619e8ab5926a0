import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Hono } from 'hono';
import { ASSETS_PREFIX, contentTypeOf, fileInDist, isServerPath } from './web-paths.js';
import {
  IMMUTABLE_CACHE_CONTROL,
  REVALIDATE_CACHE_CONTROL,
  WEB_CONTENT_SECURITY_POLICY,
  WEB_HTML_SECURITY_HEADERS,
} from './web-security-headers.js';

/** Where the built web app is (`packages/web/dist`). */
export interface WebAppOptions {
  readonly distDir: string;
}

/** The bytes of a file, or undefined when there is no such (regular) file. */
async function readIfFile(file: string): Promise<Uint8Array<ArrayBuffer> | undefined> {
  try {
    return new Uint8Array(await readFile(file));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'EISDIR' || code === 'ENOTDIR') return undefined;
    throw error;
  }
}

function fileResponse(bytes: Uint8Array<ArrayBuffer>, file: string, cacheControl: string): Response {
  return new Response(bytes, {
    status: 200,
    headers: {
      'Content-Type': contentTypeOf(file),
      'Cache-Control': cacheControl,
      'X-Content-Type-Options': 'nosniff',
    },
  });
}

function notBuiltResponse(): Response {
  return new Response('The Gatehouse web app is not built: run `npm run build -w @gatehouse/web`.\n', {
    status: 503,
    headers: {
      'Content-Type': 'text/plain; charset=utf-8',
      'Cache-Control': 'no-store',
      ...WEB_HTML_SECURITY_HEADERS,
    },
  });
}

/**
 * Serves the reviewer web app from its build: hashed files under `/assets/*` cached for a
 * year, other files of the build's root as they are, and `index.html` for every other GET
 * (the app routes in the browser), always revalidated and under a strict CSP.
 *
 * It is one middleware, not a `GET *` route, so that mounted beside the API it neither
 * shadows an API path (every server path falls through to the API's 404) nor shows up as a
 * route: the API's 405 logic and OpenAPI checks see only their own routes. Files are read
 * per request, so a rebuild is served without a restart.
 * @example app.route('/', createWebAppRoutes({ distDir: '/srv/gatehouse/web/dist' })); // after the API routes
 */
export function createWebAppRoutes(options: WebAppOptions): Hono {
  const distDir = path.resolve(options.distDir);
  const indexFile = path.join(distDir, 'index.html');
  const app = new Hono();

  app.use('*', async (c, next) => {
    const method = c.req.method;
    if (method !== 'GET' && method !== 'HEAD') return next();
    const urlPath = c.req.path;
    if (isServerPath(urlPath)) return next();

    const file = urlPath === '/' || urlPath === '/index.html' ? undefined : fileInDist(distDir, urlPath);
    if (urlPath.startsWith(ASSETS_PREFIX)) {
      // A missing hashed asset is a 404, never the HTML page a stale tab would try to run.
      const bytes = file === undefined ? undefined : await readIfFile(file);
      return bytes === undefined ? next() : fileResponse(bytes, file ?? '', IMMUTABLE_CACHE_CONTROL);
    }
    if (file !== undefined && file !== indexFile) {
      const bytes = await readIfFile(file);
      if (bytes !== undefined) {
        const response = fileResponse(bytes, file, REVALIDATE_CACHE_CONTROL);
        if (contentTypeOf(file).startsWith('text/html')) {
          response.headers.set('Content-Security-Policy', WEB_CONTENT_SECURITY_POLICY);
          response.headers.set('Referrer-Policy', 'no-referrer');
        }
        return response;
      }
    }

    const html = await readIfFile(indexFile);
    if (html === undefined) return notBuiltResponse();
    return new Response(html, {
      status: 200,
      headers: {
        'Content-Type': 'text/html; charset=utf-8',
        'Cache-Control': REVALIDATE_CACHE_CONTROL,
        ...WEB_HTML_SECURITY_HEADERS,
      },
    });
  });
  return app;
}
