import path from 'node:path';

/**
 * Paths that belong to the API and the operators, never to the web app: the SPA fallback
 * must not answer them with `index.html`, or a typo in an API path would look like success.
 */
const SERVER_PATHS: readonly string[] = Object.freeze([
  '/v1',
  '/openapi.json',
  '/docs',
  '/healthz',
  '/readyz',
  '/metrics',
  '/.well-known',
]);

/** Whether `urlPath` is one of the server's own (the path itself or anything under it). */
export function isServerPath(urlPath: string): boolean {
  return SERVER_PATHS.some((prefix) => urlPath === prefix || urlPath.startsWith(`${prefix}/`));
}

/** Where the build puts its content-hashed files. */
export const ASSETS_PREFIX = '/assets/';

/**
 * The file under `distDir` that `urlPath` names, or undefined when it cannot name one
 * (bad escapes, NUL bytes, dot segments or anything resolving outside `distDir`).
 */
export function fileInDist(distDir: string, urlPath: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return undefined;
  const segments = decoded.split('/').filter((segment) => segment !== '');
  if (segments.length === 0 || segments.some((segment) => segment === '.' || segment === '..'))
    return undefined;
  const root = path.resolve(distDir);
  const file = path.resolve(root, ...segments);
  return file.startsWith(root + path.sep) ? file : undefined;
}

const CONTENT_TYPES: Readonly<Record<string, string>> = Object.freeze({
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
});

/** The media type of a built file, by its extension; unknown ones are opaque bytes. */
export function contentTypeOf(file: string): string {
  return CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}
