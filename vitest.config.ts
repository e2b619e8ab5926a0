import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['packages/*/src/**/*.test.ts', 'packages/*/test/**/*.test.ts', 'bench/**/*.test.js'],
    globalSetup: ['test/postgres-schemas.global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
