import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { brotliCompressSync, constants, gzipSync } from 'node:zlib'
import react from '@vitejs/plugin-react'
import { defineConfig, type Plugin, runnerImport } from 'vite'

/** Where `pnpm dev` of the API listens (the API's DEFAULT_HOST, DEFAULT_PORT). */
const API_ORIGIN = 'http://127.0.0.1:8080'

/** Text assets worth compressing; below this size the headers outweigh the saving. */
const COMPRESSIBLE = /\.(?:js|mjs|css|html|svg|json|txt|webmanifest)$/
const MIN_COMPRESS_BYTES = 1024

/**
 * Writes a brotli (.br) and a gzip (.gz) copy beside every text asset of the build, at the highest levels (paid once
 * at build time), so the server sends them as they are instead of compressing on every request.
 */
function precompress(): Plugin {
  let outDir = ''
  const walk = (dir: string): string[] =>
    readdirSync(dir).flatMap((name) => {
      const path = join(dir, name)
      return statSync(path).isDirectory() ? walk(path) : [path]
    })
  return {
    name: 'trendlens-precompress',
    apply: 'build',
    configResolved(config) {
      outDir = resolve(config.root, config.build.outDir)
    },
    closeBundle() {
      for (const path of walk(outDir)) {
        if (!COMPRESSIBLE.test(path)) continue
        const bytes = readFileSync(path)
        if (bytes.length < MIN_COMPRESS_BYTES) continue
        writeFileSync(
          `${path}.br`,
          brotliCompressSync(bytes, {
            params: {
              [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
              [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
            },
          }),
        )
        writeFileSync(`${path}.gz`, gzipSync(bytes, { level: constants.Z_BEST_COMPRESSION }))
      }
    },
  }
}

/**
 * The charts are loaded lazily, so the browser would only ask for the ECharts chunk once the app has run; naming it
 * in the page lets its download overlap the app's start, since every first view draws a chart.
 */
function preloadCharts(): Plugin {
  return {
    name: 'trendlens-preload-charts',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(_html, context) {
        const chunks = Object.values(context.bundle ?? {}).filter(
          (chunk) => chunk.type === 'chunk' && chunk.name === 'echarts',
        )
        return chunks.map((chunk) => ({
          tag: 'link',
          attrs: { rel: 'modulepreload', crossorigin: true, href: `/${chunk.fileName}` },
          injectTo: 'head' as const,
        }))
      },
    },
  }
}

/** Where the build lists the default view's first requests, for the server to preload with the page. */
const FIRST_VIEW_FILE = 'first-view.json'

/**
 * The requests of the dashboard's default view (no query string), made by the dashboard's own code, listed beside
 * the page with the zone they were made for. The server names them in the page's `Link` header, so the browser asks
 * for them with the page instead of after the app's code has loaded and run; the app's identical requests then take
 * those answers.
 */
function firstViewPreload(): Plugin {
  return {
    name: 'trendlens-first-view-preload',
    apply: 'build',
    async generateBundle() {
      // Through Vite's module runner: the app's modules and the workspace packages they import are TypeScript.
      const load = async <T>(path: string) =>
        (await runnerImport<T>(fileURLToPath(new URL(path, import.meta.url)), { configFile: false, logLevel: 'warn' }))
          .module
      const { apiUrl } = await load<typeof import('./src/api.ts')>('./src/api.ts')
      const { defaultState, firstViewRequests, STATIC_DEFAULTS } =
        await load<typeof import('./src/state.ts')>('./src/state.ts')
      const requests = firstViewRequests(defaultState(STATIC_DEFAULTS), STATIC_DEFAULTS)
      this.emitFile({
        type: 'asset',
        fileName: FIRST_VIEW_FILE,
        source: `${JSON.stringify(
          { timeZone: STATIC_DEFAULTS.tz, requests: requests.map(([path, params]) => apiUrl(path, params)) },
          null,
          2,
        )}\n`,
      })
    },
  }
}

export default defineConfig({
  plugins: [react(), preloadCharts(), firstViewPreload(), precompress()],
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
