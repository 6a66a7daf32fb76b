/**
 * The product as a user runs it, for the benchmarks: `main.ts` in its own process (embedded engine, the seed story at
 * a scale, the live feed at its default rate), its seed load as it logs it, and its CPU and memory from /proc.
 */
import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { fileURLToPath } from 'node:url'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
/** Linux's clock ticks per second for /proc/<pid>/stat times (USER_HZ). */
const CLOCK_TICKS = 100
const PAGE_BYTES = 4096

export interface SeedLoad {
  /** Seed events stored by this start (0 when an earlier start had stored them all). */
  stored: number
  seconds: number
  rowsPerSecond: number
}

export interface RunningProduct {
  url: string
  pid: number
  seed: SeedLoad
  stop(): Promise<void>
}

export interface Idle {
  cpuPercent: number
  rssMb: number
  rssPeakMb: number
  seconds: number
}

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer()
    server.on('error', fail)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => done(typeof address === 'object' && address ? address.port : 0))
    })
  })
}

/** Builds the dashboard as `pnpm start` does, so the product serves this checkout's assets. */
export function buildDashboard(): Promise<void> {
  const dashboard = `${ROOT}dashboard`
  return new Promise((done, fail) => {
    const child = spawn(
      process.execPath,
      [`${dashboard}/node_modules/vite/bin/vite.js`, 'build', '--logLevel', 'warn'],
      { cwd: dashboard, stdio: ['ignore', 'ignore', 'inherit'] },
    )
    child.once('error', fail)
    child.once('exit', (code) => (code === 0 ? done() : fail(new Error(`the dashboard build exited with ${code}`))))
  })
}

/**
 * Starts the product on `dataDir` with the seed story at `scale` and resolves once the seed is stored and the live
 * feed has filled in the hours before start: from then on the product is at rest but for the live feed.
 */
export async function startProduct(options: {
  dataDir: string
  scale: number
  liveRate: number
  timeoutMs: number
}): Promise<RunningProduct> {
  const { dataDir, scale, liveRate, timeoutMs } = options
  const port = await freePort()
  // As `pnpm start` runs it: one process, the engine inside it.
  const child = spawn(process.execPath, ['--import', 'tsx', 'main.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      SEED: 'true',
      SEED_SCALE: String(scale),
      LIVE_RATE: String(liveRate),
      // The embedded product: not a server or brokers the environment may name (empty settings count as unset).
      CLICKHOUSE_URL: '',
      KAFKA_BROKERS: '',
      LOG_LEVEL: 'info',
      OPEN_BROWSER: 'false',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
    detached: true,
  })
  const stop = async () => {
    if (child.exitCode !== null || child.pid === undefined) return
    const gone = new Promise((done) => child.once('exit', done))
    process.kill(-child.pid, 'SIGTERM')
    await gone
  }
  try {
    const seed = await new Promise<SeedLoad>((done, fail) => {
      const timer = setTimeout(() => fail(new Error('the seed did not load in time')), timeoutMs)
      let pending = ''
      let seed: SeedLoad | undefined
      // Without a live feed nothing is filled in.
      let backfilled = liveRate === 0
      child.stdout.on('data', (chunk: Buffer) => {
        const lines = (pending + chunk.toString('utf8')).split('\n')
        pending = lines.pop() ?? ''
        for (const line of lines) {
          if (!line.startsWith('{')) continue
          const entry = JSON.parse(line) as { msg?: string; stored?: number; seconds?: number; rowsPerSecond?: number }
          if (entry.msg === 'seed story loaded') {
            seed = { stored: entry.stored ?? 0, seconds: entry.seconds ?? 0, rowsPerSecond: entry.rowsPerSecond ?? 0 }
          }
          if (entry.msg === 'live backfill stored') backfilled = true
        }
        if (seed && backfilled) {
          clearTimeout(timer)
          done(seed)
        }
      })
      child.once('exit', (code) => fail(new Error(`the product exited with ${code}`)))
    })
    return { url: `http://127.0.0.1:${port}/`, pid: child.pid ?? 0, seed, stop }
  } catch (error) {
    await stop()
    throw error
  }
}

/** CPU seconds (user + system, every thread, the engine's included) a process has used so far, and its RSS. */
function processUsage(pid: number): { cpuSeconds: number; rssBytes: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  // Fields after the command name, which is in parentheses and may contain spaces.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  const utime = Number(fields[11])
  const stime = Number(fields[12])
  const rssPages = Number(fields[21])
  return { cpuSeconds: (utime + stime) / CLOCK_TICKS, rssBytes: rssPages * PAGE_BYTES }
}

/** The process's CPU (% of one core) averaged over `seconds`, its RSS at the end and the peak sampled each second. */
export async function measureIdle(pid: number, seconds: number): Promise<Idle> {
  const before = processUsage(pid)
  const started = performance.now()
  let rssPeak = before.rssBytes
  for (let s = 0; s < seconds; s++) {
    await new Promise((done) => setTimeout(done, 1000))
    rssPeak = Math.max(rssPeak, processUsage(pid).rssBytes)
  }
  const after = processUsage(pid)
  const elapsed = (performance.now() - started) / 1000
  return {
    cpuPercent: ((after.cpuSeconds - before.cpuSeconds) / elapsed) * 100,
    rssMb: after.rssBytes / 1024 / 1024,
    rssPeakMb: rssPeak / 1024 / 1024,
    seconds: elapsed,
  }
}
