import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// Dev mode (docs/web.md): `npm run web:dev` serves the app with hot reload on :5173 and proxies the
// API to a running `npm start` (HUKOU_API, default http://127.0.0.1:8080).
const api = process.env.HUKOU_API ?? `http://127.0.0.1:${process.env.PORT ?? 8080}`;

export default defineConfig({
  root: import.meta.dirname,
  plugins: [react()],
  server: { proxy: { '/api': api, '/openapi.json': api, '/docs': api } },
  build: {
    outDir: 'dist',
    chunkSizeWarningLimit: 2000,
    rollupOptions: {
      output: {
        manualChunks(id) {
          if (id.includes('node_modules/antd') || id.includes('node_modules/@ant-design') || id.includes('node_modules/rc-') || id.includes('node_modules/@rc-component')) return 'antd';
          if (id.includes('node_modules/react') || id.includes('node_modules/scheduler')) return 'react';
          return undefined;
        },
      },
    },
  },
});
