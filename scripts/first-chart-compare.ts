/**
 * The first chart of several dashboard builds, back to back on one running product (not a test): the product runs as
 * `pnpm start` does on a data folder whose seed is already stored, and serves each build in turn (its folder copied
 * into the one the product serves), each run in a freshly launched Chromium with an empty cache, the builds
 * interleaved so the machine's load falls on all of them alike. Prints every run and each build's median.
 *
 *   npx tsx scripts/first-chart-compare.ts --data-dir DIR --builds before=DIST_A,after=DIST_B [--runs 5]
 *                                          [--settle-seconds 20] [--scale 0.01]
 *
 * DIR is a product data folder holding the seed at `--scale` (e.g. `<dir>/events-2460000` after
 * `npx tsx scripts/bench-api.ts --sizes default --data-dir <dir> --load-only`); each DIST is a `vite build` output.
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { DEFAULT_LIVE_RATE } from '@trendlens/fixtures'
import { DEFAULT_SEED_SCALE } from '../config.ts'
import { firstChart } from './first-chart.ts'
import { startProduct } from './product-process.ts'

const { values: args } = parseArgs({
  options: {
    'data-dir': { type: 'string' },
    builds: { type: 'string' },
    runs: { type: 'string', default: '5' },
    'settle-seconds': { type: 'string', default: '20' },
    scale: { type: 'string', default: String(DEFAULT_SEED_SCALE) },
  },
})
const dataDir = args['data-dir']
const builds = (args.builds ?? '').split(',').map((item) => {
  const [name, dir] = item.split('=')
  if (!name || !dir) throw new Error(`--builds takes name=folder pairs, got ${item}`)
  return { name, dir }
})
if (!dataDir || builds.length === 0) throw new Error('usage: --data-dir DIR --builds name=DIST[,name=DIST...]')
const runs = Number(args.runs)

const served = mkdtempSync(join(tmpdir(), 'trendlens-first-chart-'))
const serve = (dir: string) => {
  rmSync(served, { recursive: true, force: true })
  cpSync(dir, served, { recursive: true })
}
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN

serve(builds[0]?.dir ?? '')
process.env.DASHBOARD_DIR = served
const product = await startProduct({
  dataDir,
  scale: Number(args.scale),
  liveRate: DEFAULT_LIVE_RATE,
  timeoutMs: 3_600_000,
})
try {
  // The engine merges its parts for a while after a start; the runs begin once that is over.
  await new Promise((done) => setTimeout(done, Number(args['settle-seconds']) * 1000))
  const times = new Map(builds.map((build) => [build.name, [] as number[]]))
  const loads: number[] = []
  for (let run = 1; run <= runs; run++) {
    for (const build of builds) {
      serve(build.dir)
      const result = await firstChart(product.url)
      times.get(build.name)?.push(result.firstChartMs)
      loads.push(loadavg()[0] ?? 0)
      console.log(
        `${build.name} ${run}: ${result.firstChartMs.toFixed(0)} ms, ${(result.transferredBytes / 1024).toFixed(0)} KB ` +
          `in ${result.requests} requests before it; load average ${loadavg()[0]?.toFixed(1)}`,
      )
    }
  }
  for (const [name, values] of times) {
    console.log(`${name}: median ${median(values).toFixed(0)} ms; runs ${values.map((v) => v.toFixed(0)).join(', ')}`)
  }
  console.log(`1-minute load average ${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)} during the runs`)
} finally {
  await product.stop()
  rmSync(served, { recursive: true, force: true })
}
