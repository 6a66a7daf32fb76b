/**
 * Starts the real product for a browser test file: the dashboard built by vite (rebuilt when a source is newer),
 * then `tsx main.ts` on a free port with a fresh data directory, replaying the checked-in sample. Waits,
 * by polling with bounded timeouts, until the API is ready and the whole sample is stored.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { SEED_STORY } from '@trendlens/contract'

export const DASHBOARD_DIR = fileURLToPath(new URL('..', import.meta.url))
export const ROOT_DIR = fileURLToPath(new URL('../..', import.meta.url))
const DIST_INDEX = join(DASHBOARD_DIR, 'dist', 'index.html')
const SAMPLE_FILE = join(ROOT_DIR, 'fixtures', 'sample', 'events.jsonl')

/** The story the readiness probe watches. */
const { tag: STORY_TAG, from: STORY_FROM, to: STORY_TO } = SEED_STORY

const BUILD_TIMEOUT_MS = 120_000
const READY_TIMEOUT_MS = 90_000
const POLL_MS = 200

export interface Product {
  url: string
  port: number
  /** Headers that authorise a request to the running API. */
  headers: Record<string, string>
  /** GET a JSON route of the running API. */
  json<T>(path: string): Promise<T>
  stop(): Promise<void>
  /** What the product printed, for failure messages. */
  output(): string
}

function newestMtime(path: string): number {
  const stat = statSync(path)
  if (!stat.isDirectory()) return stat.mtimeMs
  let newest = stat.mtimeMs
  for (const entry of readdirSync(path)) {
    if (entry === 'node_modules' || entry === 'dist' || entry.endsWith('.test.ts')) continue
    newest = Math.max(newest, newestMtime(join(path, entry)))
  }
  return newest
}

/** True when dist/index.html is missing or older than any source, index.html, vite config or package.json. */
function dashboardNeedsBuild(): boolean {
  let built: number
  try {
    built = statSync(DIST_INDEX).mtimeMs
  } catch {
    return true
  }
  const sources = [
    ...['src', 'public', 'index.html', 'vite.config.ts', 'package.json'].map((p) => join(DASHBOARD_DIR, p)),
    join(ROOT_DIR, 'api', 'contract', 'src'),
  ]
  return sources.some((path) => {
    try {
      return newestMtime(path) > built
    } catch {
      return false
    }
  })
}

function run(
  command: string,
  args: string[],
  cwd: string,
  timeoutMs: number,
  env: NodeJS.ProcessEnv = process.env,
): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString()
    })
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString()
    })
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`${command} ${args.join(' ')} timed out after ${timeoutMs} ms\n${output}`))
    }, timeoutMs)
    child.on('error', (error) => {
      clearTimeout(timer)
      reject(error)
    })
    child.on('exit', (code) => {
      clearTimeout(timer)
      if (code === 0) resolve(output)
      else reject(new Error(`${command} ${args.join(' ')} exited with ${code}\n${output}`))
    })
  })
}

/** Runs `vite build` in the dashboard when its output is missing or stale. Returns the build log, or undefined. */
async function buildDashboardIfStale(): Promise<string | undefined> {
  if (!dashboardNeedsBuild()) return undefined
  const vite = join(DASHBOARD_DIR, 'node_modules', 'vite', 'bin', 'vite.js')
  // Vitest sets NODE_ENV=test, which would make vite bundle React's development build.
  const env = { ...process.env, NODE_ENV: 'production' }
  return run(process.execPath, [vite, 'build', '--logLevel', 'warn'], DASHBOARD_DIR, BUILD_TIMEOUT_MS, env)
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.unref()
    server.on('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      const port = typeof address === 'object' && address ? address.port : 0
      server.close(() => resolve(port))
    })
  })
}

async function poll<T>(
  what: string,
  timeoutMs: number,
  probe: () => Promise<T | undefined>,
  log: () => string,
): Promise<T> {
  const deadline = Date.now() + timeoutMs
  let lastError: unknown
  while (Date.now() < deadline) {
    try {
      const value = await probe()
      if (value !== undefined) return value
    } catch (error) {
      lastError = error
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS))
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}: ${String(lastError ?? '')}\n${log()}`)
}

function sampleSize(): number {
  return readFileSync(SAMPLE_FILE, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '').length
}

interface ProductOptions {
  apiToken?: string
  /** Generate the story week at this scale (1 = the article's size) instead of replaying the small sample. */
  scenarioScale?: number
  /** How long to wait for the seed to be stored. */
  readyTimeoutMs?: number
}

export async function startProduct(options: ProductOptions = {}): Promise<Product> {
  await buildDashboardIfStale()
  const port = await freePort()
  const dataDir = mkdtempSync(join(tmpdir(), 'trendlens-e2e-'))
  const tsx = join(ROOT_DIR, 'node_modules', 'tsx', 'dist', 'cli.mjs')
  const child: ChildProcess = spawn(process.execPath, [tsx, 'main.ts'], {
    cwd: ROOT_DIR,
    env: {
      ...process.env,
      // The product under test replays the sample, even in a shell that points the Kafka tests at a broker.
      KAFKA_BROKERS: '',
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      ...(options.scenarioScale === undefined
        ? { SEED_SOURCE: 'sample', LOG_LEVEL: 'warn' }
        : { SEED_SOURCE: 'scenario', SEED_SCALE: String(options.scenarioScale), LOG_LEVEL: 'info' }),
      LIVE_RATE: '5',
      OPEN_BROWSER: 'false',
      ...(options.apiToken ? { API_TOKEN: options.apiToken } : {}),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  })
  let output = ''
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000)
  }
  child.stdout?.on('data', keep)
  child.stderr?.on('data', keep)
  let exited: number | null | undefined
  child.on('exit', (code) => {
    exited = code
  })

  const url = `http://127.0.0.1:${port}`
  const headers: Record<string, string> = options.apiToken ? { authorization: `Bearer ${options.apiToken}` } : {}
  const json = async <T>(path: string): Promise<T> => {
    const response = await fetch(`${url}${path}`, { headers })
    if (!response.ok) throw new Error(`${path}: HTTP ${response.status} ${await response.text()}`)
    return (await response.json()) as T
  }

  const stop = async () => {
    if (exited === undefined && child.pid !== undefined) {
      const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()))
      try {
        // The product runs in its own process group (detached): end it and anything it started.
        process.kill(-child.pid, 'SIGTERM')
      } catch {
        // Already gone.
      }
      const timer = setTimeout(() => {
        try {
          if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL')
        } catch {
          // Already gone.
        }
      }, 10_000)
      await gone
      clearTimeout(timer)
    }
    rmSync(dataDir, { recursive: true, force: true })
  }

  try {
    const log = () => `product output:\n${output}`
    if (options.scenarioScale !== undefined) {
      // The generated week is loaded in the background; the product logs when all of it is stored.
      let loaded = false
      child.stdout?.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes('"msg":"seed story loaded"')) loaded = true
      })
      await poll(
        'the generated story week to be stored',
        options.readyTimeoutMs ?? 900_000,
        async () => {
          if (exited !== undefined) throw new Error(`the product exited with ${exited}\n${output}`)
          return loaded ? true : undefined
        },
        log,
      )
      return { url, port, headers, json, stop, output: () => output }
    }
    await poll(
      '/readyz',
      READY_TIMEOUT_MS,
      async () => {
        if (exited !== undefined) throw new Error(`the product exited with ${exited}\n${output}`)
        const response = await fetch(`${url}/readyz`)
        return response.ok ? true : undefined
      },
      log,
    )
    // The sample is replayed after start-up; wait until every line has been received and the story's total
    // stops moving (the live feed adds events at the present, outside the story week).
    const lines = sampleSize()
    const growthPath = `/api/hashtags/growth?tag=${STORY_TAG}&from=${encodeURIComponent(STORY_FROM)}&to=${encodeURIComponent(STORY_TO)}&granularity=day`
    let previous = -1
    let stableReads = 0
    await poll(
      `the sample (${lines} events) to be stored`,
      READY_TIMEOUT_MS,
      async () => {
        if (exited !== undefined) throw new Error(`the product exited with ${exited}\n${output}`)
        const ingest = await json<{ received: number }>('/api/ingest')
        if (ingest.received < lines) return undefined
        const growth = await json<{ series: { points: { cumViews: number }[] }[] }>(growthPath)
        const points = growth.series[0]?.points ?? []
        const total = points[points.length - 1]?.cumViews ?? 0
        stableReads = total > 0 && total === previous ? stableReads + 1 : 0
        previous = total
        // The API may answer a repeated question from a one-second cache, so "stable" must outlast it.
        return stableReads >= 8 ? true : undefined
      },
      log,
    )
  } catch (error) {
    await stop()
    throw error
  }
  return { url, port, headers, json, stop, output: () => output }
}
