import react from '@vitejs/plugin-react'
import { defineConfig } from 'vite'

/** Where `pnpm dev` of the API listens (api/src/config.ts: DEFAULT_HOST, DEFAULT_PORT). */
const API_ORIGIN = 'http://127.0.0.1:8080'

export default defineConfig({
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // The bundle budget is 400 KB gzip; warn well before the raw size gets near it.
    chunkSizeWarningLimit: 900,
    rolldownOptions: {
      output: {
        // Named, stable chunks: React in the first load, ECharts only with the (lazily loaded) charts.
        codeSplitting: {
          groups: [
            { name: 'echarts', test: /node_modules[\\/](?:\.pnpm[\\/])?(?:echarts|zrender|tslib)/ },
            { name: 'react', test: /node_modules[\\/](?:\.pnpm[\\/])?(?:react|react-dom|scheduler)[@\\/]/ },
          ],
        },
      },
    },
  },
  server: {
    proxy: {
      '/api': { target: API_ORIGIN, changeOrigin: false },
      '/healthz': API_ORIGIN,
      '/readyz': API_ORIGIN,
    },
  },
})
