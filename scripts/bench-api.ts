/**
 * API benchmark (not a test): latency of every dashboard endpoint at several data sizes, rollups against the same
 * answers from raw events, concurrent HTTP load while a live ingest runs, and the raw CSV export's rate and memory.
 *
 *   npx tsx scripts/bench-api.ts [--sizes 1000000,10000000] [--write] [--iterations 30] [--seconds 10]
 *                                [--connections 100] [--live-rate 20] [--data-dir DIR [--load-only]]
 *                                [--section NAME]
 *
 * --data-dir keeps the loaded events in DIR, and a later run with the same sizes measures them without loading them
 * again (100M events take about half an hour to load); --section names the block of docs/benchmarks.md that --write
 * replaces.
 */

import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { availableParallelism, cpus, loadavg, tmpdir, totalmem } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { Worker } from 'node:worker_threads'
import { createApp, listen, seedAnnotations } from '@trendlens/api'
import { DEFAULT_LIVE_RATE, generateScenario, liveEvents, STORY_ANNOTATION_ROWS, STORY_INFO } from '@trendlens/fixtures'
import { BatchWriter, IngestMetrics, silentLogger, validateEvent } from '@trendlens/ingest'
import { migrate, Store } from '@trendlens/sql'

const { values: args } = parseArgs({
  options: {
    /** Internal: the phases run in child processes, so each measures a fresh heap and its own RSS. */
    child: { type: 'string' },
    data: { type: 'string' },
    count: { type: 'string' },
    batch: { type: 'string' },
    size: { type: 'string' },
    sizes: { type: 'string', default: '1000000,10000000' },
    write: { type: 'boolean', default: false },
    iterations: { type: 'string', default: '30' },
    seconds: { type: 'string', default: '10' },
    connections: { type: 'string', default: '100' },
    /** The embedded product's own live feed rate by default: the targets speak of "ingest in the embedded default". */
    'live-rate': { type: 'string', default: String(DEFAULT_LIVE_RATE) },
    'data-dir': { type: 'string' },
    section: { type: 'string', default: 'bench-api' },
    /** With --data-dir: load (or top up) the events and stop, to measure in a later run. */
    'load-only': { type: 'boolean', default: false },
  },
})
const SIZES = (args.sizes ?? '')
  .split(',')
  .map(Number)
  .filter((n) => n > 0)
  .sort((a, b) => a - b)
const ITERATIONS = Number(args.iterations)
const LOAD_SECONDS = Number(args.seconds)
const CONNECTIONS = Number(args.connections)
const LIVE_RATE = Number(args['live-rate'])

/** The scenario at scale 1 is about 245 million events (fixtures' own figure); scale = size / this. */
const EVENTS_AT_SCALE_ONE = 245_000_000
/** Large blocks are what the engine inserts fastest. */
const INSERT_BLOCK_ROWS = 200_000
/** Raw-table queries are slow by design; fewer runs keep the benchmark's duration sane. */
const RAW_ITERATIONS = 5
const API = {
  defaultTimeZone: 'Asia/Shanghai',
  token: undefined,
  allowedHosts: ['127.0.0.1', 'localhost'],
  liveMaxClients: 1_000,
  exportMaxRows: 1_000_000_000,
  exportMaxConcurrent: 2,
  exportMaxPerClient: 1,
  exportIdleTimeoutMs: 30_000,
  queryTimeoutMs: 120_000,
}

/** What the dashboard asks for while telling the story. */
const ENDPOINTS: [name: string, path: string][] = [
  ['overview (1 day)', '/api/overview?from=2025-01-14&to=2025-01-15'],
  [
    'growth hourly (2 tags, 11 days)',
    '/api/hashtags/growth?tags=tiktokrefugee,tiktokban&from=2025-01-10&to=2025-01-21&granularity=hour',
  ],
  [
    'growth by minute (6 h)',
    '/api/hashtags/growth?tags=tiktokrefugee&from=2025-01-14T00:00&to=2025-01-14T06:00&granularity=minute',
  ],
  ['top tags (1 day)', '/api/hashtags/top?from=2025-01-14&to=2025-01-15&limit=20'],
  ['trending (2 days)', '/api/hashtags/trending?from=2025-01-13&to=2025-01-15&limit=20'],
  ['region split hourly (4 days)', '/api/regions/split?from=2025-01-13&to=2025-01-17&granularity=hour&top=5'],
  [
    'province split hourly (4 days)',
    '/api/regions/split?from=2025-01-13&to=2025-01-17&granularity=hour&level=province&metric=events',
  ],
  ['heatmap US (11 days)', '/api/regions/heatmap?from=2025-01-10&to=2025-01-21&focus=US'],
  ['annotations', '/api/annotations?from=2025-01-10&to=2025-01-21'],
  ['meta', '/api/meta'],
]

interface LatencyRow {
  name: string
  bySize: Map<number, { p50: number; p95: number; p99: number }>
}

interface Report {
  env: string[]
  loads: { size: number; rows: number; seconds: number; inserted: number }[]
  latency: LatencyRow[]
  rawVsRollup: { size: number; query: string; rollup: number; raw: number }[]
  load: {
    size: number
    cache: string
    rps: number
    p50: number
    p99: number
    errors: number
    requests: number
    ingested: number
  }[]
  exports: { size: number; rows: number; seconds: number; mb: number; rssBefore: number; rssPeak: number }[]
}

function percentile(sorted: number[], q: number): number {
  if (sorted.length === 0) return Number.NaN
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] as number
}

function summary(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b)
  return { p50: percentile(sorted, 0.5), p95: percentile(sorted, 0.95), p99: percentile(sorted, 0.99) }
}

const ms = (value: number) => (value < 10 ? value.toFixed(2) : value < 100 ? value.toFixed(1) : value.toFixed(0))
const mb = (bytes: number) => Math.round(bytes / 1024 / 1024)

/** Generates about `count` events of the story and inserts them as JSONEachRow blocks; ids get a batch prefix. */
async function load(store: Store, count: number, batch: number): Promise<number> {
  const scale = count / EVENTS_AT_SCALE_ONE
  let lines: string[] = []
  let rows = 0
  let block = 0
  const flush = async () => {
    if (lines.length === 0) return
    await store.insertJsonLines('events_v1', `${lines.join('\n')}\n`, `bench:${batch}:${block++}`)
    rows += lines.length
    lines = []
  }
  const now = Date.now()
  for (const chunk of generateScenario({ scale, seed: 1000 + batch, includeHostileText: true })) {
    for (const wire of chunk) {
      const checked = validateEvent({ ...wire, id: `b${batch}-${wire.id}` }, now)
      if (!checked.ok) continue
      lines.push(JSON.stringify(checked.event))
      if (lines.length >= INSERT_BLOCK_ROWS) await flush()
    }
  }
  await flush()
  return rows
}

async function timeRequest(app: ReturnType<typeof createApp>, path: string): Promise<number> {
  const started = performance.now()
  const response = await app.request(path)
  await response.arrayBuffer()
  if (!response.ok) throw new Error(`${path}: ${response.status}`)
  return performance.now() - started
}

async function timeLiveFirstTick(app: ReturnType<typeof createApp>): Promise<number> {
  const started = performance.now()
  const response = await app.request('/api/live')
  const reader = response.body?.getReader()
  if (!reader) throw new Error('/api/live: no body')
  let text = ''
  const decoder = new TextDecoder()
  while (!text.includes('\n\n')) {
    const { done, value } = await reader.read()
    if (done) break
    text += decoder.decode(value, { stream: true })
  }
  const elapsed = performance.now() - started
  await reader.cancel()
  return elapsed
}

async function measureEndpoints(store: Store, metrics: IngestMetrics, size: number, report: Report) {
  const app = createApp({ store, metrics, log: silentLogger, api: API, story: STORY_INFO, responseCacheMs: 0 })
  const runs: [string, () => Promise<number>][] = [
    ...ENDPOINTS.map(([name, path]): [string, () => Promise<number>] => [name, () => timeRequest(app, path)]),
    ['live (first SSE tick)', () => timeLiveFirstTick(app)],
  ]
  for (const [name, run] of runs) {
    for (let i = 0; i < 3; i++) await run()
    const samples: number[] = []
    for (let i = 0; i < ITERATIONS; i++) samples.push(await run())
    let row = report.latency.find((r) => r.name === name)
    if (!row) {
      row = { name, bySize: new Map() }
      report.latency.push(row)
    }
    row.bySize.set(size, summary(samples))
    const s = summary(samples)
    log(`  ${name.padEnd(34)} p50 ${ms(s.p50)} ms  p95 ${ms(s.p95)} ms  p99 ${ms(s.p99)} ms`)
  }
}

async function median(run: () => Promise<unknown>, iterations: number): Promise<number> {
  await run()
  const samples: number[] = []
  for (let i = 0; i < iterations; i++) {
    const started = performance.now()
    await run()
    samples.push(performance.now() - started)
  }
  return summary(samples).p50
}

async function rawVersusRollup(store: Store, size: number, report: Report) {
  // The dashboard's unfiltered questions, answered by the queries the API runs and by raw-table equivalents.
  const growth = {
    tags: ['tiktokrefugee', 'tiktokban'],
    from: Date.parse('2025-01-10T00:00:00+08:00'),
    to: Date.parse('2025-01-21T00:00:00+08:00'),
    tz: 'Asia/Shanghai',
    step: 'hour' as const,
  }
  const top = {
    from: Date.parse('2025-01-14T00:00:00+08:00'),
    to: Date.parse('2025-01-15T00:00:00+08:00'),
    by: 'views' as const,
    limit: 20,
  }
  const cases = [
    [
      'growth hourly, 2 tags, 11 days',
      'api_tag_series_15m_all',
      growth,
      'bench_growth_raw',
      { ...growth, regions: [] },
    ],
    ['top 20 tags, 1 day', 'api_tag_top_all', top, 'bench_top_raw', { ...top, regions: [] }],
  ] as const
  type Row = { tag: string; ts?: number; bucket_ts?: number; views: number; discussions: number }
  const shape = (rows: Row[]) => JSON.stringify(rows.map((r) => [r.tag, r.ts ?? r.bucket_ts, r.views, r.discussions]))
  for (const [query, rollupName, rollupParams, rawName, rawParams] of cases) {
    const rollupRows = await store.query(rollupName, rollupParams)
    const rawRows = await store.query(rawName, rawParams)
    if (shape(rollupRows) !== shape(rawRows)) throw new Error(`${query}: the rollup and raw answers differ`)
    const rollup = await median(() => store.query(rollupName, rollupParams), ITERATIONS)
    const raw = await median(() => store.query(rawName, rawParams), RAW_ITERATIONS)
    report.rawVsRollup.push({ size, query, rollup, raw })
    log(`  ${query.padEnd(34)} rollup ${ms(rollup)} ms  raw ${ms(raw)} ms  ${(raw / rollup).toFixed(0)}x`)
  }
}

/** Synthetic events at the current time, one batch a second, through the real write path. */
function startLiveIngest(store: Store, metrics: IngestMetrics, ratePerSecond: number) {
  const stop = new AbortController()
  const writer = new BatchWriter(store)
  const startMs = Math.floor(Date.now() / 1000) * 1000
  const done = (async () => {
    let offset = 0
    for (const chunk of liveEvents({ startMs, ratePerSecond, seed: 7 })) {
      if (stop.signal.aborted) break
      const wait = startMs + (offset + 1) * 1000 - Date.now()
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait))
      const events = chunk.flatMap((wire) => {
        const checked = validateEvent(wire)
        return checked.ok ? [checked.event] : []
      })
      const started = performance.now()
      await writer.write({
        source: `bench-live-${startMs}`,
        partition: 0,
        firstOffset: offset,
        lastOffset: offset,
        events,
      })
      metrics.recordStored(events.length, performance.now() - started)
      offset++
    }
  })()
  return { stop: () => stop.abort(), done }
}

const LOAD_WORKER = `
const { parentPort, workerData } = require('node:worker_threads')
const { urls, connections, seconds } = workerData
;(async () => {
  const latencies = []
  let errors = 0
  const deadline = performance.now() + seconds * 1000
  const loop = async (start) => {
    let k = start
    while (performance.now() < deadline) {
      const url = urls[k++ % urls.length]
      const started = performance.now()
      try {
        const response = await fetch(url)
        await response.arrayBuffer()
        if (!response.ok) errors++
        latencies.push(performance.now() - started)
      } catch {
        errors++
      }
    }
  }
  const began = performance.now()
  await Promise.all(Array.from({ length: connections }, (_, i) => loop(i)))
  parentPort.postMessage({ latencies, errors, seconds: (performance.now() - began) / 1000 })
})()
`

function runWorker<T>(code: string, workerData: unknown): Promise<T> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(code, { eval: true, workerData })
    worker.once('message', resolve)
    worker.once('error', reject)
    worker.once('exit', (code) => {
      if (code !== 0) reject(new Error(`worker exited with ${code}`))
    })
  })
}

async function concurrentLoad(store: Store, size: number, report: Report) {
  for (const [cache, responseCacheMs] of [
    ['1 s (default)', undefined],
    ['off', 0],
  ] as const) {
    const metrics = new IngestMetrics('bench-live')
    const app = createApp({ store, metrics, log: silentLogger, api: API, story: STORY_INFO, responseCacheMs })
    const server = await listen(app, 0, '127.0.0.1')
    const urls = ENDPOINTS.map(([, path]) => `http://127.0.0.1:${server.port}${path}`)
    const ingest = startLiveIngest(store, metrics, LIVE_RATE)
    // Steady state: each question asked once before the clock starts, as an open dashboard already has.
    for (const url of urls) await (await fetch(url)).arrayBuffer()
    const result = await runWorker<{ latencies: number[]; errors: number; seconds: number }>(LOAD_WORKER, {
      urls,
      connections: CONNECTIONS,
      seconds: LOAD_SECONDS,
    })
    ingest.stop()
    await ingest.done
    await server.close()
    const s = summary(result.latencies)
    const row = {
      size,
      cache,
      rps: result.latencies.length / result.seconds,
      p50: s.p50,
      p99: s.p99,
      errors: result.errors,
      requests: result.latencies.length,
      ingested: metrics.stored,
    }
    report.load.push(row)
    log(
      `  cache ${cache.padEnd(14)} ${row.rps.toFixed(0)} req/s  p50 ${ms(row.p50)} ms  p99 ${ms(row.p99)} ms  ` +
        `errors ${row.errors}  live rows stored ${row.ingested}`,
    )
  }
}

/** The download client runs in its own process, so the API process's RSS is the server's alone. */
const EXPORT_CLIENT = `
;(async () => {
  const started = performance.now()
  const response = await fetch(process.argv[1])
  if (!response.ok) throw new Error('export: ' + response.status + ' ' + (await response.text()))
  let bytes = 0
  let lines = 0
  for await (const chunk of response.body) {
    bytes += chunk.length
    for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines++
  }
  process.stdout.write(JSON.stringify({ bytes, lines, seconds: (performance.now() - started) / 1000 }))
})()
`

function download(url: string): Promise<{ bytes: number; lines: number; seconds: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', EXPORT_CLIENT, url], { stdio: ['ignore', 'pipe', 'inherit'] })
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

async function exportAll(store: Store, metrics: IngestMetrics, size: number, report: Report) {
  const from = Date.parse('2025-01-01T00:00:00+08:00')
  const to = Date.parse('2025-02-01T00:00:00+08:00')
  const [count] = await store.query('api_events_count', {
    from,
    to,
    regions: [],
    types: [],
    tags: [],
  })
  const expectedRows = count?.rows ?? 0
  const app = createApp({ store, metrics, log: silentLogger, api: API, story: STORY_INFO })
  const server = await listen(app, 0, '127.0.0.1')
  const rssBefore = process.memoryUsage.rss()
  let rssPeak = rssBefore
  const sampler = setInterval(() => {
    rssPeak = Math.max(rssPeak, process.memoryUsage.rss())
  }, 20)
  const result = await download(
    `http://127.0.0.1:${server.port}/api/export/events.csv?from=2025-01-01&to=2025-02-01&tz=Asia/Shanghai`,
  )
  clearInterval(sampler)
  await server.close()
  const rows = result.lines - 1
  if (rows !== expectedRows) throw new Error(`export wrote ${rows} rows, the range holds ${expectedRows}`)
  report.exports.push({ size, rows, seconds: result.seconds, mb: result.bytes / 1024 / 1024, rssBefore, rssPeak })
  log(
    `  ${rows} rows in ${result.seconds.toFixed(1)} s: ${Math.round(rows / result.seconds)} rows/s, ` +
      `${(result.bytes / 1024 / 1024 / result.seconds).toFixed(0)} MB/s; RSS ${mb(rssBefore)} MB before, peak ${mb(rssPeak)} MB`,
  )
}

function markdown(report: Report, command: string): string {
  const sizes = report.loads.map((l) => l.size)
  const label = (n: number) => (n >= 1e6 ? `${n / 1e6}M` : `${n / 1e3}k`)
  const lines: string[] = []
  lines.push('## API benchmark', '', `Command: \`${command}\``, '', ...report.env.map((e) => `- ${e}`), '')
  lines.push(
    'Data: the story scenario (`generateScenario`) at the scale giving each size, inserted as JSONEachRow blocks.',
  )
  lines.push('')
  lines.push('| size | rows stored | load rows/s |', '| ---: | ---: | ---: |')
  for (const l of report.loads) {
    const rate = l.seconds > 0 ? String(Math.round(l.inserted / l.seconds)) : 'not recorded'
    lines.push(`| ${label(l.size)} | ${l.rows} | ${rate} |`)
  }
  lines.push(
    '',
    `### Dashboard endpoints: latency in ms (app.request, response cache off, ${ITERATIONS} runs each)`,
    '',
  )
  lines.push(`| endpoint | ${sizes.map((s) => `${label(s)} p50 | ${label(s)} p95 | ${label(s)} p99`).join(' | ')} |`)
  lines.push(`| --- | ${sizes.map(() => '---: | ---: | ---:').join(' | ')} |`)
  for (const row of report.latency) {
    const cells = sizes.map((s) => {
      const v = row.bySize.get(s)
      return v ? `${ms(v.p50)} | ${ms(v.p95)} | ${ms(v.p99)}` : ' | | '
    })
    lines.push(`| ${row.name} | ${cells.join(' | ')} |`)
  }
  lines.push('', '### Rollups against the same answer from raw events (median ms)', '')
  lines.push('| size | query | rollup | raw events | speedup |', '| ---: | --- | ---: | ---: | ---: |')
  for (const r of report.rawVsRollup) {
    lines.push(`| ${label(r.size)} | ${r.query} | ${ms(r.rollup)} | ${ms(r.raw)} | ${(r.raw / r.rollup).toFixed(0)}x |`)
  }
  lines.push(
    '',
    `### Concurrent load: ${CONNECTIONS} connections over HTTP on 127.0.0.1 for ${LOAD_SECONDS} s, ` +
      `live ingest of ${LIVE_RATE} events/s in the same process`,
    '',
  )
  lines.push('| size | response cache | requests/s | p50 ms | p99 ms | errors | requests | live rows stored |')
  lines.push('| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |')
  for (const r of report.load) {
    lines.push(
      `| ${label(r.size)} | ${r.cache} | ${r.rps.toFixed(0)} | ${ms(r.p50)} | ${ms(r.p99)} | ${r.errors} | ${r.requests} | ${r.ingested} |`,
    )
  }
  lines.push('', '### CSV export of every raw event (streamed over HTTP, keyset pages on the bulk lane)', '')
  lines.push('| size | rows | seconds | rows/s | MB/s | RSS before (MB) | peak RSS (MB) |')
  lines.push('| ---: | ---: | ---: | ---: | ---: | ---: | ---: |')
  for (const e of report.exports) {
    lines.push(
      `| ${label(e.size)} | ${e.rows} | ${e.seconds.toFixed(1)} | ${Math.round(e.rows / e.seconds)} | ` +
        `${(e.mb / e.seconds).toFixed(0)} | ${mb(e.rssBefore)} | ${mb(e.rssPeak)} |`,
    )
  }
  return `${lines.join('\n')}\n`
}

const START = `<!-- ${args.section}:start -->`
const END = `<!-- ${args.section}:end -->`

function writeSection(section: string): void {
  const file = new URL('../docs/benchmarks.md', import.meta.url)
  let text = ''
  try {
    text = readFileSync(file, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
    text = '# Benchmarks\n'
  }
  const block = `${START}\n${section}${END}\n`
  const start = text.indexOf(START)
  const end = text.indexOf(END)
  const next =
    start >= 0 && end > start
      ? text.slice(0, start) + block + text.slice(end + END.length + 1)
      : `${text.trimEnd()}\n\n${block}`
  writeFileSync(file, next)
}

/** The phase's result goes to stdout on one line after this marker; logs go to stderr. */
const RESULT_MARKER = '@@bench-result '

function log(line: string): void {
  process.stderr.write(`${line}\n`)
}

async function childLoad(): Promise<void> {
  const store = Store.open({ dataPath: String(args.data), requestTimeoutMs: 600_000 })
  // A kept data dir remembers how its rows were loaded, so a later run reports that load's rate.
  const loadLog = join(String(args.data), `bench-load-${args.batch}.json`)
  try {
    await migrate(store)
    await seedAnnotations(store, STORY_ANNOTATION_ROWS)
    let loaded: { rows: number; seconds: number }
    if (existsSync(loadLog)) {
      loaded = JSON.parse(readFileSync(loadLog, 'utf8')) as typeof loaded
    } else {
      const [before] = await store.query('api_events_range', {})
      const started = performance.now()
      const rows = await load(store, Number(args.count) - (before?.events ?? 0), Number(args.batch))
      loaded = { rows, seconds: (performance.now() - started) / 1000 }
      writeFileSync(loadLog, JSON.stringify(loaded))
    }
    const [span] = await store.query('api_events_range', {})
    process.stdout.write(`${RESULT_MARKER}${JSON.stringify({ ...loaded, total: span?.events ?? 0 })}\n`)
  } finally {
    await store.close()
  }
}

async function childMeasure(): Promise<void> {
  const size = Number(args.size)
  const store = Store.open({ dataPath: String(args.data), requestTimeoutMs: 600_000 })
  const report: Report = { env: [], loads: [], latency: [], rawVsRollup: [], load: [], exports: [] }
  try {
    const [engine] = await store.query('api_engine_version', {})
    const metrics = new IngestMetrics('bench')
    log('export (first, in a fresh process)')
    await exportAll(store, metrics, size, report)
    log('latency')
    await measureEndpoints(store, metrics, size, report)
    log('rollup against raw')
    await rawVersusRollup(store, size, report)
    log('concurrent load')
    await concurrentLoad(store, size, report)
    const latency = report.latency.map((row) => ({ name: row.name, ...row.bySize.get(size) }))
    process.stdout.write(`${RESULT_MARKER}${JSON.stringify({ engine: engine?.version, ...report, latency })}\n`)
  } finally {
    await store.close()
  }
}

/** Runs one phase in a child process (same tsx loader) and returns the JSON it reports. */
function runChild<T>(phaseArgs: string[]): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), ...phaseArgs], {
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    let out = ''
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8')
    })
    child.once('error', reject)
    child.once('exit', (code) => {
      const line = out.split('\n').find((l) => l.startsWith(RESULT_MARKER))
      if (code !== 0 || !line) reject(new Error(`bench phase ${phaseArgs.join(' ')} failed with exit code ${code}`))
      else resolve(JSON.parse(line.slice(RESULT_MARKER.length)) as T)
    })
  })
}

async function main(): Promise<void> {
  if (args.child === 'load') return childLoad()
  if (args.child === 'measure') return childMeasure()
  const chdbVersion = (
    JSON.parse(readFileSync(new URL('../sql/node_modules/chdb/package.json', import.meta.url), 'utf8')) as {
      version: string
    }
  ).version
  const keptDataDir = args['data-dir']
  const dataDir = keptDataDir ?? mkdtempSync(join(tmpdir(), 'trendlens-bench-api-'))
  const report: Report = { env: [], loads: [], latency: [], rawVsRollup: [], load: [], exports: [] }
  let engine = '?'
  const loadAverages: number[] = []
  try {
    for (const [i, size] of SIZES.entries()) {
      log(`\n# ${size} events`)
      const result = await runChild<{ rows: number; total: number; seconds: number }>([
        '--child=load',
        `--data=${dataDir}`,
        `--count=${size}`,
        `--batch=${i}`,
      ])
      log(`  loaded ${result.rows} rows in ${result.seconds.toFixed(1)} s; ${result.total} in total`)
      report.loads.push({ size, rows: result.total, seconds: result.seconds, inserted: result.rows })
      loadAverages.push(loadavg()[0] ?? 0)
      if (args['load-only']) continue
      const measured = await runChild<
        Omit<Report, 'latency' | 'env' | 'loads'> & {
          engine: string
          latency: { name: string; p50: number; p95: number; p99: number }[]
        }
      >([
        '--child=measure',
        `--data=${dataDir}`,
        `--size=${size}`,
        `--iterations=${ITERATIONS}`,
        `--seconds=${LOAD_SECONDS}`,
        `--connections=${CONNECTIONS}`,
        `--live-rate=${LIVE_RATE}`,
      ])
      loadAverages.push(loadavg()[0] ?? 0)
      engine = measured.engine
      for (const row of measured.latency) {
        let existing = report.latency.find((r) => r.name === row.name)
        if (!existing) {
          existing = { name: row.name, bySize: new Map() }
          report.latency.push(existing)
        }
        existing.bySize.set(size, { p50: row.p50, p95: row.p95, p99: row.p99 })
      }
      report.rawVsRollup.push(...measured.rawVsRollup)
      report.load.push(...measured.load)
      report.exports.push(...measured.exports)
    }
  } finally {
    if (!keptDataDir) rmSync(dataDir, { recursive: true, force: true })
  }
  report.env.push(
    `CPU: ${cpus()[0]?.model ?? 'unknown'}, ${availableParallelism()} cores; memory ${mb(totalmem())} MB`,
    `Node ${process.version}; chdb ${chdbVersion} (engine ${engine})`,
    `Machine shared with other work: 1-minute load average ${loadAverages.map((l) => l.toFixed(1)).join(', ')} ` +
      'around the phases',
    `Date: ${new Date().toISOString().slice(0, 10)}`,
  )
  if (args['load-only']) return
  // The data dir is wherever the reader keeps it, not this machine's folder.
  const shownArgs = process.argv
    .slice(2)
    .map((arg, i, all) =>
      all[i - 1] === '--data-dir' ? '<dir>' : arg.startsWith('--data-dir=') ? '--data-dir=<dir>' : arg,
    )
  const command = `npx tsx scripts/bench-api.ts ${shownArgs.join(' ')}`.trim()
  const section = markdown(report, command)
  process.stdout.write(`\n${section}`)
  if (args.write) writeSection(section)
}

await main()
