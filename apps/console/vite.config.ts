import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

// The hub serves dist/ at `/`; during `npm run dev -w apps/console` the API is proxied to a hub on :3000.
export default defineConfig({
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false, chunkSizeWarningLimit: 600 }, // the shared vendor chunk (React, router, Query, zod) is ~500 KB raw, ~155 KB gzipped
  server: {
    proxy: Object.fromEntries(['/v1', '/docs', '/health'].map((p) => [p, { target: process.env.HUB_URL ?? 'http://localhost:3000', changeOrigin: false }])),
  },
  test: { environment: 'happy-dom', include: ['src/**/*.test.ts', 'src/**/*.test.tsx'] },
});
