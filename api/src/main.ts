import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { serve } from '@hono/node-server'
import { generateScenario, liveEvents, readSample, SAMPLE_SCALE } from '@trendlens/fixtures'
import { BatchWriter, createLogger, IngestMetrics, type Logger, runReplay, sleep } from '@trendlens/ingest'
import { migrate, Store } from '@trendlens/sql'
import { seedAnnotations } from './annotations.ts'
import { createApp } from './app.ts'
import { type Config, ConfigError, loadConfig } from './config.ts'

/** The product in one process: migrations, ingest (Kafka, or the seed story replayed), the API and the dashboard. */
async function main(): Promise<void> {
  let config: Config
  try {
    config = loadConfig(process.env)
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`)
      process.exit(2)
    }
    throw error
  }
  const log = createLogger(config.logLevel, { service: 'trendlens' })
  const startedAt = performance.now()
  const store = Store.open(config.store)
  const migration = await migrate(store, config.store.cluster ? { cluster: config.store.cluster } : undefined)
  log.info('schema ready', { backend: store.backend, applied: migration.applied.length })
  if (config.role === 'migrate') {
    await store.close()
    return
  }
  const seededAnnotations = await seedAnnotations(store)
  if (seededAnnotations > 0) log.info('story annotations seeded', { rows: seededAnnotations })

  const shutdown = new AbortController()
  const metrics = new IngestMetrics(config.kafka ? 'kafka' : config.seed.enabled ? 'replay' : 'none')
  const ingestDone = config.role === 'api' ? Promise.resolve() : startIngest(config, store, metrics, log, shutdown)

  let server: ReturnType<typeof serve> | undefined
  if (config.role !== 'ingest') {
    const app = createApp({
      store,
      metrics,
      log,
      api: config.api,
      dashboardDir: config.dashboardDir ?? builtDashboard(),
    })
    server = serve({ fetch: app.fetch, port: config.http.port, hostname: config.http.host }, (address) => {
      const url = `http://${config.http.host === '0.0.0.0' ? 'localhost' : config.http.host}:${address.port}`
      log.info('listening', { url, startupMs: Math.round(performance.now() - startedAt) })
      process.stdout.write(`\n  TrendLens is running at ${url.replace('127.0.0.1', 'localhost')}\n\n`)
      if (config.openBrowser ?? (process.stdout.isTTY && !process.env.CI)) openBrowser(url)
    })
  }

  let stopping = false
  const stop = async (signal: string, exitCode = 0) => {
    if (stopping) return
    stopping = true
    log.info('shutting down', { signal })
    shutdown.abort()
    server?.close()
    await ingestDone.catch((error) => log.error('ingest failed during shutdown', { error: String(error) }))
    await store.close()
    process.exit(exitCode)
  }
  process.on('SIGINT', () => void stop('SIGINT'))
  process.on('SIGTERM', () => void stop('SIGTERM'))

  ingestDone.catch((error: unknown) => {
    log.error('ingest stopped', { error: error instanceof Error ? error.stack : String(error) })
    metrics.setState('stopped', { code: 'consumer_failed', detail: String(error) })
    // An ingest-only worker has nothing left to do: exit non-zero so that its supervisor restarts it.
    if (config.role === 'ingest') void stop('ingest failure', 1)
  })
}

async function startIngest(
  config: Config,
  store: Store,
  metrics: IngestMetrics,
  log: Logger,
  shutdown: AbortController,
): Promise<void> {
  if (config.kafka) {
    const { runConsumer } = await import('@trendlens/ingest/kafka/consumer')
    await runConsumer({ kafka: config.kafka, batching: config.ingest, store, metrics, log, signal: shutdown.signal })
    return
  }
  if (!config.seed.enabled) return
  const writer = new BatchWriter(store)
  const fromSample = config.seed.source === 'sample'
  const scale = fromSample ? SAMPLE_SCALE : config.seed.scale
  const live = config.seed.liveRate > 0 ? runLiveFeed(config, writer, metrics, log, shutdown.signal) : undefined
  const started = performance.now()
  const result = await runReplay({
    source: fromSample ? 'sample' : `seed:scale=${scale}:seed=1`,
    chunks: () => (fromSample ? chunked(readSample(), SAMPLE_CHUNK) : generateScenario({ scale, seed: 1 })),
    writer,
    metrics,
    batchRows: config.ingest.batchRows,
    signal: shutdown.signal,
    log: (message, fields) => log.info(message, fields),
    expectedRows: fromSample ? undefined : Math.round(scale * SCENARIO_EVENTS_PER_SCALE),
  })
  const seconds = (performance.now() - started) / 1000
  log.info('seed story loaded', {
    scale,
    stored: result.stored,
    rejected: result.rejected,
    resumedFromChunk: result.resumedFrom,
    seconds: Number(seconds.toFixed(1)),
    rowsPerSecond: Math.round(result.stored / Math.max(seconds, 0.001)),
  })
  await live
}

/**
 * The live feed is stored every few seconds rather than every second: each insert writes a part to the raw table and
 * every rollup and wakes their merges, which is most of what an idle product spends; the live view still moves.
 */
const LIVE_INSERT_SECONDS = 5

/** Synthetic events at the current time, one chunk a second, stored every LIVE_INSERT_SECONDS. */
async function runLiveFeed(
  config: Config,
  writer: BatchWriter,
  metrics: IngestMetrics,
  log: Logger,
  signal: AbortSignal,
): Promise<void> {
  const startMs = Math.floor(Date.now() / 1000) * 1000
  await runReplay({
    source: `live:${startMs.toString(36)}`,
    chunks: () => liveEvents({ startMs, ratePerSecond: config.seed.liveRate, seed: startMs % 2 ** 31 }),
    writer,
    metrics,
    batchRows: Math.max(1, Math.round(config.seed.liveRate * LIVE_INSERT_SECONDS)),
    signal,
    pace: (offset, paceSignal) => sleep(Math.max(0, startMs + (offset + 1) * 1000 - Date.now()), paceSignal),
    progressEveryMs: 0,
    log: (message, fields) => log.info(message, fields),
  })
}

/** The dashboard built by `vite build`, when it exists; the API runs without it. */
function builtDashboard(): string | undefined {
  const dir = fileURLToPath(new URL('../../dashboard/dist', import.meta.url))
  return existsSync(`${dir}/index.html`) ? dir : undefined
}

/** Events of the seed story per unit of scale (measured: scale 0.001 gives ~246k), for the load's progress. */
const SCENARIO_EVENTS_PER_SCALE = 246_000_000

/** The sample is replayed in fixed-size chunks so its batch boundaries are the same on every run. */
const SAMPLE_CHUNK = 1000

function* chunked<T>(items: readonly T[], size: number): Generator<T[]> {
  for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size)
}

function openBrowser(url: string): void {
  const command = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open'
  const child = spawn(command, [url], { stdio: 'ignore', detached: true })
  child.on('error', () => {})
  child.unref()
}

await main()
