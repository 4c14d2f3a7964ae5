import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// Served by the tenant API at /console: hashed files under /console/assets/ (cached for a year), and an
// index.html without inline scripts or styles, so the strict Content-Security-Policy holds.
export default defineConfig({
  root: __dirname,
  base: '/console/',
  plugins: [react()],
  // The one browser-safe lib: pure TypeScript shared with the CLI (the document file formats).
  resolve: { alias: { '@tessera/domain': fileURLToPath(new URL('../../libs/domain/src/index.ts', import.meta.url)) } },
  build: { outDir: 'dist', emptyOutDir: true, assetsDir: 'assets', modulePreload: { polyfill: false }, sourcemap: false },
});
