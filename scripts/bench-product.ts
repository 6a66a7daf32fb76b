/**
 * The product as a user runs it (not a test): starts `main.ts` (embedded engine, the seed story at
 * SEED_SCALE, the live feed at its default rate) and waits until the seed is loaded. Then
 * - idle cost: with no browser open, the process's CPU (% of one core) over `--idle-seconds` and its RSS;
 * - first chart: the dashboard opened in a freshly launched Chromium with an empty cache, `--runs` times: the time
 *   from navigation to the first chart drawn, and the bytes sent until then.
 *
 *   npx tsx scripts/bench-product.ts [--runs 5] [--idle-seconds 60] [--scale 0.01] [--data-dir DIR] [--roots DIR,DIR]
 *
 * --roots runs the same measurement against other checkouts of the product, one after the other on the same data
 * (for a before/after comparison in one run); --data-dir keeps the loaded seed for a later run.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { loadavg, tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { type FirstChartRun, firstChart } from './first-chart.ts'

const { values: args } = parseArgs({
  options: {
    runs: { type: 'string', default: '5' },
    scale: { type: 'string', default: '0.01' },
    'data-dir': { type: 'string' },
    roots: { type: 'string' },
    'idle-seconds': { type: 'string', default: '60' },
  },
})
const RUNS = Number(args.runs)
const THIS_ROOT = fileURLToPath(new URL('..', import.meta.url))
const LOAD_TIMEOUT_MS = 30 * 60_000
const IDLE_SECONDS = Number(args['idle-seconds'])
/** After the seed load the engine still merges its parts for a while; idle is measured once that is over. */
const SETTLE_SECONDS = 30
/** Linux's clock ticks per second for /proc/<pid>/stat times (USER_HZ). */
const CLOCK_TICKS = 100

const log = (line: string) => process.stderr.write(`${line}\n`)

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

function run(command: string, commandArgs: string[], cwd: string): Promise<void> {
  return new Promise((done, fail) => {
    const child = spawn(command, commandArgs, { cwd, stdio: ['ignore', 'ignore', 'inherit'] })
    child.once('error', fail)
    child.once('exit', (code) => (code === 0 ? done() : fail(new Error(`${command} exited with ${code}`))))
  })
}

/** Starts the product in `root` and resolves once its seed story is stored (it logs "seed story loaded"). */
async function startProduct(
  root: string,
  dataDir: string,
): Promise<{ url: string; pid: number; stop: () => Promise<void> }> {
  const port = await freePort()
  // As `pnpm start` runs it: one process, the engine inside it.
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'main.ts'], {
    cwd: root,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      SEED_SCALE: String(args.scale),
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
  await new Promise<void>((done, fail) => {
    const timer = setTimeout(() => fail(new Error('the seed did not load in time')), LOAD_TIMEOUT_MS)
    let output = ''
    child.stdout?.on('data', (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-4096)
      if (output.includes('"seed story loaded"')) {
        clearTimeout(timer)
        done()
      }
    })
    child.once('exit', (code) => fail(new Error(`the product exited with ${code}`)))
  })
  return { url: `http://127.0.0.1:${port}/`, pid: child.pid ?? 0, stop }
}

/** CPU seconds (user + system) a process has used so far, and its resident memory. */
function processUsage(pid: number): { cpuSeconds: number; rssBytes: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  // Fields after the command name, which is in parentheses and may contain spaces.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  const utime = Number(fields[11])
  const stime = Number(fields[12])
  const rssPages = Number(fields[21])
  return { cpuSeconds: (utime + stime) / CLOCK_TICKS, rssBytes: rssPages * 4096 }
}

interface Idle {
  cpuPercent: number
  rssMb: number
  rssPeakMb: number
}

async function measureIdle(pid: number): Promise<Idle> {
  await new Promise((done) => setTimeout(done, SETTLE_SECONDS * 1000))
  const before = processUsage(pid)
  const started = performance.now()
  let rssPeak = before.rssBytes
  for (let s = 0; s < IDLE_SECONDS; s++) {
    await new Promise((done) => setTimeout(done, 1000))
    rssPeak = Math.max(rssPeak, processUsage(pid).rssBytes)
  }
  const after = processUsage(pid)
  const seconds = (performance.now() - started) / 1000
  return {
    cpuPercent: ((after.cpuSeconds - before.cpuSeconds) / seconds) * 100,
    rssMb: after.rssBytes / 1024 / 1024,
    rssPeakMb: rssPeak / 1024 / 1024,
  }
}

async function measure(root: string, dataDir: string): Promise<{ idle: Idle; runs: FirstChartRun[] }> {
  log(`# ${root}: build the dashboard`)
  await run(
    process.execPath,
    [join(root, 'dashboard/node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'],
    join(root, 'dashboard'),
  )
  log('  start the product and load the seed')
  const started = performance.now()
  const product = await startProduct(root, dataDir)
  log(`  ready after ${((performance.now() - started) / 1000).toFixed(0)} s`)
  const runs: FirstChartRun[] = []
  let idle: Idle
  try {
    log(`  idle for ${IDLE_SECONDS} s after ${SETTLE_SECONDS} s to settle`)
    idle = await measureIdle(product.pid)
    log(
      `  idle: ${idle.cpuPercent.toFixed(1)}% of a core, RSS ${idle.rssMb.toFixed(0)} MB (peak ${idle.rssPeakMb.toFixed(0)})`,
    )
    for (let i = 0; i < RUNS; i++) {
      const result = await firstChart(product.url)
      runs.push(result)
      log(
        `  run ${i + 1}: first chart ${result.firstChartMs.toFixed(0)} ms, ` +
          `${(result.transferredBytes / 1024).toFixed(0)} KB in ${result.requests} requests`,
      )
    }
  } finally {
    await product.stop()
  }
  return { idle, runs }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)] ?? NaN

async function main(): Promise<void> {
  const roots = (args.roots ?? THIS_ROOT).split(',').map((root) => resolve(root))
  const dataDir = args['data-dir'] ?? mkdtempSync(join(tmpdir(), 'trendlens-bench-first-chart-'))
  const lines = [
    `Command: \`npx tsx scripts/bench-product.ts ${process.argv.slice(2).join(' ')}\``,
    '',
    '| product | idle CPU % of a core | idle RSS MB | first chart median ms | runs ms | KB sent | requests | load average |',
    '| --- | ---: | ---: | ---: | --- | ---: | ---: | ---: |',
  ]
  try {
    for (const root of roots) {
      const { idle, runs } = await measure(root, dataDir)
      lines.push(
        `| ${root === resolve(THIS_ROOT) ? 'this checkout' : root} | ${idle.cpuPercent.toFixed(1)} | ${idle.rssMb.toFixed(0)} | ` +
          `${median(runs.map((r) => r.firstChartMs)).toFixed(0)} | ` +
          `${runs.map((r) => r.firstChartMs.toFixed(0)).join(', ')} | ` +
          `${(median(runs.map((r) => r.transferredBytes)) / 1024).toFixed(0)} | ${median(runs.map((r) => r.requests))} | ` +
          `${(loadavg()[0] ?? 0).toFixed(1)} |`,
      )
    }
  } finally {
    if (!args['data-dir']) rmSync(dataDir, { recursive: true, force: true })
  }
  process.stdout.write(`${lines.join('\n')}\n`)
}

await main()
