/**
 * The product's entry point: one process per role, assembled from the packages. `all` runs everything (the
 * embedded product); `api` and `ingest` are the two sides of a scaled deployment; `migrate` applies the schema.
 * Every role but `migrate` binds its port (PORT) first: the API there, or an ingest worker's health and metrics.
 */
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import {
  createApp,
  createOperationsApp,
  createStartingApp,
  type Listening,
  listen,
  PortInUseError,
  ReplaceableApp,
  seedAnnotations,
} from '@trendlens/api'
import { createLogger, IngestMetrics, type Logger } from '@trendlens/ingest'
import { migrate, Store } from '@trendlens/sql'
import { type Config, ConfigError, loadConfig } from './config.ts'
import { replaySeedStory, SEED_STORY } from './seed.ts'

/** Exit codes of a refused start: the settings are invalid; the port is taken by another process. */
const EXIT_INVALID_CONFIG = 2
const EXIT_PORT_IN_USE = 3

/** What every role is built from. */
interface Parts {
  config: Config
  store: Store
  metrics: IngestMetrics
  log: Logger
  shutdown: AbortController
  startedAt: number
}

/** The role's port, bound before anything else; it answers a JSON 503 until the role's app takes it over. */
interface Port {
  app: ReplaceableApp
  listening: Listening
}

async function main(): Promise<void> {
  const config = configOrExit()
  const log = createLogger(config.logLevel, { service: 'trendlens' })
  const startedAt = performance.now()
  // A second instance on a taken port must stop before it touches the schema.
  const port = config.role === 'migrate' ? undefined : await bindOrExit(config)
  const store = Store.open(config.store)
  const migration = await migrate(store, config.store.cluster ? { cluster: config.store.cluster } : undefined)
  log.info('schema ready', { backend: store.backend, applied: migration.applied.length })
  if (port === undefined) return store.close()

  const metrics = new IngestMetrics(config.kafka ? 'kafka' : config.seed.enabled ? 'replay' : 'none')
  const parts: Parts = { config, store, metrics, log, shutdown: new AbortController(), startedAt }
  switch (config.role) {
    case 'ingest':
      return runUntilStopped(parts, startIngest(parts), serveOperations(parts, port))
    case 'api':
      return runUntilStopped(parts, undefined, await startApi(parts, port))
    case 'all':
      return runUntilStopped(parts, startIngest(parts), await startApi(parts, port))
  }
}

/** Binds HTTP's address, or stops the process with one line naming the taken port. */
async function bindOrExit(config: Config): Promise<Port> {
  const app = new ReplaceableApp(createStartingApp())
  try {
    return { app, listening: await listen(app, config.http.port, config.http.host) }
  } catch (error) {
    if (error instanceof PortInUseError) {
      process.stderr.write(`${error.message}\n`)
      process.exit(EXIT_PORT_IN_USE)
    }
    throw error
  }
}

/** An ingest-only worker's port: /healthz, /readyz and /metrics, so its lag and state are seen. */
function serveOperations({ config, store, metrics, log, startedAt }: Parts, port: Port): Listening {
  port.app.replace(createOperationsApp({ store, metrics, log, api: config.api }))
  log.info('listening', {
    url: localUrl(config.http.host, port.listening.port),
    serves: 'operations',
    startupMs: Math.round(performance.now() - startedAt),
  })
  return port.listening
}

/** Kafka when brokers are configured; else the seed story, when seeding is on; else nothing. */
async function startIngest({ config, store, metrics, log, shutdown }: Parts): Promise<void> {
  if (config.kafka) {
    const { runConsumer } = await import('@trendlens/ingest/kafka')
    return runConsumer({ kafka: config.kafka, batching: config.ingest, store, metrics, log, signal: shutdown.signal })
  }
  if (config.seed.enabled) return replaySeedStory(config, store, metrics, log, shutdown.signal)
}

/** The API and the built dashboard; it names the seed story (and writes its annotations once) only when seeded. */
async function startApi({ config, store, metrics, log, startedAt }: Parts, port: Port): Promise<Listening> {
  const story = config.seed.enabled ? SEED_STORY : undefined
  const seeded = story ? await seedAnnotations(store, story.annotations) : 0
  if (seeded > 0) log.info('story annotations seeded', { rows: seeded })
  const app = createApp({
    store,
    metrics,
    log,
    api: config.api,
    story: story?.info,
    dashboardDir: config.dashboardDir ?? builtDashboard(),
  })
  port.app.replace(app)
  const url = localUrl(config.http.host, port.listening.port)
  log.info('listening', { url, serves: 'api', startupMs: Math.round(performance.now() - startedAt) })
  process.stdout.write(`\n  TrendLens is running at ${url.replace('127.0.0.1', 'localhost')}\n\n`)
  if (config.openBrowser ?? (process.stdout.isTTY && !process.env.CI)) openBrowser(url)
  return port.listening
}

function localUrl(host: string, port: number): string {
  return `http://${host === '0.0.0.0' ? 'localhost' : host}:${port}`
}

/** Stops on SIGINT/SIGTERM: ingest flushes, the server closes, the store closes. A failed ingest worker exits 1. */
function runUntilStopped(parts: Parts, ingest: Promise<void> | undefined, server: Listening): void {
  const { config, store, metrics, log, shutdown } = parts
  let stopping = false
  const stop = async (signal: string, exitCode = 0) => {
    if (stopping) return
    stopping = true
    log.info('shutting down', { signal })
    shutdown.abort()
    await server.close().catch(() => undefined)
    await ingest?.catch((error) => log.error('ingest failed during shutdown', { error: String(error) }))
    await store.close()
    process.exit(exitCode)
  }
  process.on('SIGINT', () => void stop('SIGINT'))
  process.on('SIGTERM', () => void stop('SIGTERM'))
  ingest?.catch((error: unknown) => {
    log.error('ingest stopped', { error: error instanceof Error ? error.stack : String(error) })
    metrics.setState('stopped', { code: 'consumer_failed', detail: String(error) })
    // An ingest-only worker has nothing left to do: exit non-zero so that its supervisor restarts it.
    if (config.role === 'ingest') void stop('ingest failure', 1)
  })
}

function configOrExit(): Config {
  try {
    return loadConfig(process.env)
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`)
      process.exit(EXIT_INVALID_CONFIG)
    }
    throw error
  }
}

/** The dashboard built by `vite build`, when it exists; the API runs without it. */
function builtDashboard(): string | undefined {
  const dir = fileURLToPath(new URL('./dashboard/dist', import.meta.url))
  return existsSync(`${dir}/index.html`) ? dir : undefined
}

function openBrowser(url: string): void {
  const command = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open'
  const child = spawn(command, [url], { stdio: 'ignore', detached: true })
  child.on('error', () => {})
  child.unref()
}

await main()
