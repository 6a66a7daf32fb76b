import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { brotliCompressSync, constants, gzipSync } from 'node:zlib'
import react from '@vitejs/plugin-react'
import { defineConfig, type Plugin } from 'vite'

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

export default defineConfig({
  plugins: [react(), preloadCharts(), precompress()],
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
