import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// The root config only collects packages/*; the benchmark's own checks run with
// `npx vitest run --config bench/vitest.config.js`.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  // Keep Vite's cache with the root one rather than creating bench/node_modules.
  cacheDir: fileURLToPath(new URL('../node_modules/.vite/bench', import.meta.url)),
  test: { include: ['policy-bench/**/*.test.js'], testTimeout: 60_000 },
});
