import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// Served by the tenant API at /console: hashed files under /console/assets/ (cached for a year), and an
// index.html without inline scripts or styles, so the strict Content-Security-Policy holds.
export default defineConfig({
  root: __dirname,
  base: '/console/',
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, assetsDir: 'assets', modulePreload: { polyfill: false }, sourcemap: false },
});
