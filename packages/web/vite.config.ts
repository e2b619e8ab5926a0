import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The reviewer app is served by the Gatehouse server under a strict CSP (no inline script
// or style), so the build must emit none: no inlined assets, no preload polyfill, CSS as files.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    cssCodeSplit: false,
    sourcemap: false,
  },
  server: {
    // `npm run dev -w @gatehouse/web` against a local server on the default port.
    proxy: {
      '/v1': { target: 'http://127.0.0.1:8080', changeOrigin: false },
      '/.well-known': 'http://127.0.0.1:8080',
    },
  },
});
