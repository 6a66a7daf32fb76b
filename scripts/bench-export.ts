/**
 * The raw CSV export alone, on a data folder already loaded (not a test): rows/s and the API process's RSS growth
 * while a download client in its own process reads the whole story month over HTTP, as fast as it can or at a fixed
 * slow rate (a slow reader must not make the server buffer ahead of it).
 *
 *   npx tsx scripts/bench-export.ts --data DIR [--runs 3] [--slow-mbps 4] [--engine]
 *
 * DIR is a folder the product loaded, such as the `events-<size>` folder `scripts/bench-api.ts --data-dir DIR
 * --load-only` keeps. --engine also times the store's stream alone (no HTTP), to tell the engine's share.
 */

import { spawn } from 'node:child_process'
import { parseArgs } from 'node:util'
import { createApp, listen } from '@trendlens/api'
import { STORY_INFO } from '@trendlens/fixtures'
import { IngestMetrics, silentLogger } from '@trendlens/ingest'
import { Store } from '@trendlens/sql'

const { values: args } = parseArgs({
  options: {
    data: { type: 'string' },
    runs: { type: 'string', default: '3' },
    'slow-mbps': { type: 'string' },
    engine: { type: 'boolean', default: false },
  },
})
if (!args.data) throw new Error('--data DIR: a data folder the product loaded')

const API = {
  defaultTimeZone: 'Asia/Shanghai',
  token: undefined,
  allowedHosts: ['127.0.0.1', 'localhost'],
  liveMaxClients: 10,
  exportMaxRows: 1_000_000_000,
  exportMaxConcurrent: 2,
  exportMaxPerClient: 1,
  exportIdleTimeoutMs: 30_000,
  queryTimeoutMs: 600_000,
}
const FROM = Date.parse('2025-01-01T00:00:00+08:00')
const TO = Date.parse('2025-02-01T00:00:00+08:00')
const PATH = '/api/export/events.csv?from=2025-01-01&to=2025-02-01&tz=Asia/Shanghai'

/** Reads the whole body, counting bytes and lines; with a rate, pauses so it never reads faster than that. */
const CLIENT = `
const http = require('node:http')
const [url, rate] = [process.argv[1], Number(process.argv[2])]
const started = performance.now()
http.get(url, (response) => {
  if (response.statusCode !== 200) throw new Error('export: ' + response.statusCode)
  let bytes = 0
  let lines = 0
  response.on('data', (chunk) => {
    bytes += chunk.length
    for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines++
    if (rate > 0) {
      const due = started + (bytes / rate) * 1000
      const wait = due - performance.now()
      if (wait > 0) {
        response.pause()
        setTimeout(() => response.resume(), wait)
      }
    }
  })
  response.on('end', () => {
    process.stdout.write(JSON.stringify({ bytes, lines, seconds: (performance.now() - started) / 1000 }))
  })
})
`

function download(url: string, bytesPerSecond: number): Promise<{ bytes: number; lines: number; seconds: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', CLIENT, url, String(bytesPerSecond)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    let out = ''
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8')
    })
    child.once('error', reject)
    child.once('exit', (code) => {
      if (code === 0) resolve(JSON.parse(out) as { bytes: number; lines: number; seconds: number })
      else reject(new Error(`export client exited with ${code}`))
    })
  })
}

const mb = (bytes: number) => bytes / 1024 / 1024

async function main(): Promise<void> {
  const store = Store.open({ dataPath: String(args.data), requestTimeoutMs: 600_000 })
  try {
    const [count] = await store.query('api_events_count', { from: FROM, to: TO, regions: [], types: [], tags: [] })
    const expected = count?.rows ?? 0
    process.stdout.write(`${expected} rows in the story month\n`)
    if (args.engine) {
      const started = performance.now()
      let bytes = 0
      const params = { from: FROM, to: TO, tz: 'Asia/Shanghai', regions: [], types: [], tags: [] }
      for await (const chunk of store.queryStream('api_events_csv', params, 'CSV')) bytes += chunk.byteLength
      const seconds = (performance.now() - started) / 1000
      process.stdout.write(
        `engine stream alone: ${seconds.toFixed(1)} s, ${Math.round(expected / seconds)} rows/s, ` +
          `${(mb(bytes) / seconds).toFixed(0)} MB/s\n`,
      )
    }
    const app = createApp({
      store,
      metrics: new IngestMetrics('bench'),
      log: silentLogger,
      api: API,
      story: STORY_INFO,
    })
    const server = await listen(app, 0, '127.0.0.1')
    const slow = args['slow-mbps'] ? Number(args['slow-mbps']) * 1024 * 1024 : 0
    try {
      for (let run = 1; run <= Number(args.runs); run++) {
        const rssBefore = process.memoryUsage.rss()
        let rssPeak = rssBefore
        const sampler = setInterval(() => {
          rssPeak = Math.max(rssPeak, process.memoryUsage.rss())
        }, 20)
        const result = await download(`http://127.0.0.1:${server.port}${PATH}`, slow)
        clearInterval(sampler)
        const rows = result.lines - 1
        if (rows !== expected) throw new Error(`export wrote ${rows} rows, the range holds ${expected}`)
        process.stdout.write(
          `run ${run}${slow ? ` (reader at ${args['slow-mbps']} MB/s)` : ''}: ${rows} rows in ` +
            `${result.seconds.toFixed(1)} s, ${Math.round(rows / result.seconds)} rows/s, ` +
            `${(mb(result.bytes) / result.seconds).toFixed(0)} MB/s; RSS ${mb(rssBefore).toFixed(0)} → peak ` +
            `${mb(rssPeak).toFixed(0)} MB (+${mb(rssPeak - rssBefore).toFixed(0)} MB)\n`,
        )
      }
    } finally {
      await server.close()
    }
  } finally {
    await store.close()
  }
}

await main()
