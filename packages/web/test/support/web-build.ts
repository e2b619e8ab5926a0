import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The web package. */
export const WEB_DIR = fileURLToPath(new URL('../..', import.meta.url));

/** Where the build goes (what the server serves). */
export const DIST_DIR = path.join(WEB_DIR, 'dist');

async function newestChange(entry: string): Promise<number> {
  const info = await stat(entry).catch(() => undefined);
  if (info === undefined) return 0;
  if (!info.isDirectory()) return info.mtimeMs;
  let newest = info.mtimeMs;
  for (const name of await readdir(entry))
    newest = Math.max(newest, await newestChange(path.join(entry, name)));
  return newest;
}

/**
 * Builds the web app with Vite's JS API when `dist` is missing or older than any source, so
 * the browser tests always run against the code as it is.
 */
export async function ensureWebBuild(): Promise<void> {
  const built = await stat(path.join(DIST_DIR, 'index.html')).catch(() => undefined);
  const sources = Math.max(
    ...(await Promise.all(
      ['src', 'public', 'index.html', 'vite.config.ts', 'package.json'].map((name) =>
        newestChange(path.join(WEB_DIR, name)),
      ),
    )),
  );
  if (built !== undefined && built.mtimeMs >= sources) return;
  const { build } = await import('vite');
  // Vitest runs with NODE_ENV=test, which would give React's development build: build what ships.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({
      root: WEB_DIR,
      configFile: path.join(WEB_DIR, 'vite.config.ts'),
      mode: 'production',
      logLevel: 'warn',
    });
  } finally {
    process.env.NODE_ENV = nodeEnv;
  }
}
