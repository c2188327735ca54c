import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// Dev mode (docs/web.md): `npm run web:dev` serves the app with hot reload on :5173 and proxies the
// API to a running `npm start` (HUKOU_API, default http://127.0.0.1:8080).
const api = process.env.HUKOU_API ?? `http://127.0.0.1:${process.env.PORT ?? 8080}`;

export default defineConfig(({ command }) => ({
  root: import.meta.dirname,
  // A build is always the production one (the test runner sets NODE_ENV=test; Ant Design and React read it).
  ...(command === 'build' ? { mode: 'production', define: { 'process.env.NODE_ENV': JSON.stringify('production') } } : {}),
  plugins: [react()],
  server: { proxy: { '/api': api, '/openapi.json': api, '/docs': api } },
  build: {
    outDir: 'dist',
    chunkSizeWarningLimit: 2000,
  },
}));
