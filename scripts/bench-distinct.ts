/**
 * Distinct-user design benchmark (not a test): today's `uniqExact` hash sets of user ids against dense user numbers
 * in Roaring bitmaps (`groupBitmap`), with the same dimensions and with one state for all event types, on the
 * story scenario in a temporary embedded engine. Prints, for the region split, heatmap and overview shapes, p50/p95
 * with random ranges and zones (no two runs alike, no result cache), the insert cost of each rollup, the cost of
 * giving users their numbers at ingest, and checks every answer against the exact count over raw events.
 *
 *   npx tsx scripts/bench-distinct.ts [--events 10000000] [--iterations 30] [--sample 1000000] [--rounds 3]
 *
 * The experiment's SQL is in scripts/bench-distinct/ (tables and views NN_*.sql and mv_*.sql; one query per file).
 */

import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { wallTimeToInstant, zoneOffsetMs } from '@trendlens/contract'
import { generateScenario } from '@trendlens/fixtures'
import { validateEvent } from '@trendlens/ingest'

const { values: args } = parseArgs({
  options: {
    events: { type: 'string', default: '10000000' },
    iterations: { type: 'string', default: '30' },
    sample: { type: 'string', default: '1000000' },
    rounds: { type: 'string', default: '3' },
  },
})
const EVENTS = Number(args.events)
const ITERATIONS = Number(args.iterations)
const SAMPLE_ROWS = Number(args.sample)
const ROUNDS = Number(args.rounds)
/** The scenario at scale 1 is about 245 million events (fixtures' own figure). */
const EVENTS_AT_SCALE_ONE = 245_000_000
/** The ingest's default batch (INGEST_BATCH_ROWS): users get their numbers one batch at a time. */
const BATCH_ROWS = 50_000
const ZONES = [
  'Asia/Shanghai',
  'America/New_York',
  'Asia/Kolkata',
  'Asia/Kathmandu',
  'Australia/Lord_Howe',
  'UTC',
] as const
const STORY_FROM = Date.parse('2025-01-10T00:00:00+08:00')
const DAY_MS = 86_400_000

interface EngineResult {
  text(): string
}
interface EngineSession {
  queryBindAsync(query: string, params: object, options?: { format?: string }): Promise<EngineResult>
  insert(params: { table: string; values: string; format: 'JSONEachRow' }): Promise<unknown>
  close(): void
}
// The engine package is the store's dependency; a benchmark reaches it through the store package.
const requireFromStore = createRequire(new URL('../sql/package.json', import.meta.url))
const { Session } = requireFromStore('chdb') as { Session: new (path: string) => EngineSession }

const SQL_DIR = new URL('./bench-distinct/', import.meta.url)
const sql = (name: string) => readFileSync(new URL(`${name}.sql`, SQL_DIR), 'utf8')

const log = (line: string) => process.stderr.write(`${line}\n`)
const ms = (value: number) => (value < 10 ? value.toFixed(2) : value < 100 ? value.toFixed(1) : value.toFixed(0))

function percentile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? Number.NaN
}

async function rows<Row>(session: EngineSession, name: string, params: object = {}): Promise<Row[]> {
  const result = await session.queryBindAsync(sql(name), params, { format: 'JSONEachRow' })
  const text = result.text()
  return text.length === 0
    ? []
    : text
        .trimEnd()
        .split('\n')
        .map((line) => JSON.parse(line) as Row)
}

const command = (session: EngineSession, text: string) => session.queryBindAsync(text, {})

/**
 * Gives each user one dense number, for ever: looks the batch's users up in the dictionary, numbers the new ones
 * in order of first appearance from the next free number, and writes them to the dictionary before the batch's
 * events are inserted. A batch re-sent after a crash finds its users already numbered, so its rows are the same.
 */
class UserNumberAssigner {
  private next = 1
  lookupMs = 0
  writeMs = 0
  constructor(private readonly session: EngineSession) {}

  async start(): Promise<void> {
    const [top] = await rows<{ top: number }>(this.session, 'max_user_number')
    this.next = (top?.top ?? 0) + 1
  }

  async assign(userIds: readonly string[]): Promise<Map<string, number>> {
    const distinct = [...new Set(userIds)]
    let started = performance.now()
    const known = await rows<{ user_id: string; number: number }>(this.session, 'lookup_user_numbers', {
      users: distinct,
    })
    this.lookupMs += performance.now() - started
    const numbers = new Map(known.map((row) => [row.user_id, row.number]))
    let fresh = ''
    for (const user of distinct) {
      if (numbers.has(user)) continue
      const number = this.next++
      numbers.set(user, number)
      fresh += `${JSON.stringify({ user_id: user, number })}\n`
    }
    started = performance.now()
    if (fresh.length > 0) await this.session.insert({ table: 'user_numbers', values: fresh, format: 'JSONEachRow' })
    this.writeMs += performance.now() - started
    return numbers
  }
}

interface EventRow {
  id: string
  type: string
  ts: number
  user_id: string
  region: string
  country: string
}

/** The story's events at the scale giving about `count`, in ingest-sized batches. */
function* batches(count: number): Generator<EventRow[]> {
  let batch: EventRow[] = []
  const now = Date.now()
  for (const chunk of generateScenario({ scale: count / EVENTS_AT_SCALE_ONE, seed: 1000 })) {
    for (const wire of chunk) {
      const checked = validateEvent(wire, now)
      if (!checked.ok) continue
      const { id, type, ts, user_id, region, country } = checked.event
      batch.push({ id, type, ts, user_id, region, country })
      if (batch.length >= BATCH_ROWS) {
        yield batch
        batch = []
      }
    }
  }
  if (batch.length > 0) yield batch
}

function jsonLines(batch: readonly EventRow[], numbers: ReadonlyMap<string, number>): string {
  let body = ''
  for (const event of batch) body += `${JSON.stringify({ ...event, user_no: numbers.get(event.user_id) })}\n`
  return body
}

const VARIANTS = ['exact', 'bitmap', 'bitmap_all'] as const
type Variant = (typeof VARIANTS)[number]
const TABLE: Record<Variant, string> = { exact: 'ra_exact', bitmap: 'ra_bitmap', bitmap_all: 'ra_bitmap_all' }
const LABEL: Record<Variant | 'raw', string> = {
  exact: 'uniqExact(String), by region, country, type (today)',
  bitmap: 'groupBitmap(UInt32), by region, country, type',
  bitmap_all: 'groupBitmap(UInt32), by region, country (all types in one state)',
  raw: 'raw events (uniqExact over events)',
}

/** A local midnight `day` days into the story in `zone`, plus `hours` local hours. */
function localStart(zone: string, day: number, hours: number): number {
  const wall = STORY_FROM + zoneOffsetMs(STORY_FROM, 'Asia/Shanghai') + day * DAY_MS
  const midnight = wall - (wall % DAY_MS)
  return wallTimeToInstant(midnight + hours * 3_600_000, zone)
}

type Shape = 'split' | 'heatmap' | 'overview'
const SHAPES: Shape[] = ['split', 'heatmap', 'overview']
const SHAPE_LABEL: Record<Shape, string> = {
  split: 'region split, hourly, 4 days, top 5 + other + total',
  heatmap: 'heatmap, hour of day by day, 11 days, one region + all',
  overview: 'overview, active users, 1 day and the day before',
}
const TOP_KEYS = ['CN', 'US', 'CA', 'GB', 'AU', 'JP', 'DE', 'FR', 'SG', 'MY']
const HEAT_REGIONS = ['US', 'CN', 'CN-GD', 'US-CA', 'CA', 'CN-SH']

function randomParams(shape: Shape, random: () => number): Record<string, unknown> {
  const zone = ZONES[Math.floor(random() * ZONES.length)] as string
  const pick = (n: number) => Math.floor(random() * n)
  if (shape === 'split') {
    const from = localStart(zone, pick(7), pick(24))
    const keys = [...TOP_KEYS].sort(() => random() - 0.5).slice(0, 5)
    return { from, to: from + 4 * DAY_MS, tz: zone, keys, types: [] }
  }
  if (shape === 'heatmap') {
    const from = localStart(zone, pick(2), 0)
    return {
      from,
      to: from + (9 + pick(3)) * DAY_MS,
      tz: zone,
      regions: [HEAT_REGIONS[pick(HEAT_REGIONS.length)]],
      types: [],
    }
  }
  const from = localStart(zone, 1 + pick(9), pick(24))
  return { previous_from: from - DAY_MS, from, to: from + DAY_MS }
}

/** A small seeded generator, so a run's requests are the same from run to run but never the same twice within it. */
function seeded(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
  }
}

function canonical(rowsOut: Record<string, unknown>[]): string {
  return JSON.stringify(rowsOut.map((row) => Object.values(row).map(String)))
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'trendlens-bench-distinct-'))
  const session = new Session(dir)
  const load: number[] = []
  try {
    for (const file of readdirSync(SQL_DIR)
      .filter((f) => /^\d\d_.*\.sql$/.test(f))
      .sort()) {
      await command(session, sql(file.slice(0, -4)))
    }
    const assigner = new UserNumberAssigner(session)
    await assigner.start()

    // 1. Insert cost of each rollup on the same sample: the raw table alone, then with each view attached.
    log(`# insert cost: ${SAMPLE_ROWS} events, ${ROUNDS} rounds`)
    const sample: string[] = []
    let sampleRows = 0
    for (const batch of batches(SAMPLE_ROWS)) {
      sample.push(jsonLines(batch, await assigner.assign(batch.map((e) => e.user_id))))
      sampleRows += batch.length
    }
    const insertSeconds: Record<'bare' | Variant, number[]> = { bare: [], exact: [], bitmap: [], bitmap_all: [] }
    for (let round = 0; round < ROUNDS; round++) {
      for (const variant of ['bare', ...VARIANTS] as const) {
        if (variant !== 'bare') await command(session, sql(`mv_${variant}`))
        const started = performance.now()
        for (const body of sample) await session.insert({ table: 'ev', values: body, format: 'JSONEachRow' })
        insertSeconds[variant].push((performance.now() - started) / 1000)
        if (variant !== 'bare') await command(session, sql(`drop_mv_${variant}`))
        for (const table of ['ev', ...Object.values(TABLE)]) await command(session, sql(`truncate_${table}`))
      }
    }
    const medianOf = (values: number[]) =>
      percentile(
        [...values].sort((a, b) => a - b),
        0.5,
      )
    const bare = medianOf(insertSeconds.bare)
    for (const variant of ['bare', ...VARIANTS] as const) {
      const seconds = medianOf(insertSeconds[variant])
      log(
        `  ${variant.padEnd(10)} ${Math.round(sampleRows / seconds)} rows/s` +
          (variant === 'bare' ? '' : `  view adds ${ms(((seconds - bare) / sampleRows) * 1e6)} µs/row`),
      )
    }

    // 2. Load the events with every view attached; users get their numbers batch by batch as the ingest would.
    log(`# load ${EVENTS} events`)
    for (const variant of VARIANTS) await command(session, sql(`mv_${variant}`))
    const lookupBefore = assigner.lookupMs
    const writeBefore = assigner.writeMs
    let loaded = 0
    let batchCount = 0
    const loadStarted = performance.now()
    for (const batch of batches(EVENTS)) {
      const numbers = await assigner.assign(batch.map((e) => e.user_id))
      await session.insert({ table: 'ev', values: jsonLines(batch, numbers), format: 'JSONEachRow' })
      loaded += batch.length
      batchCount++
    }
    const loadSeconds = (performance.now() - loadStarted) / 1000
    load.push(loadavg()[0] ?? 0)
    await command(session, sql('optimize_user_numbers'))
    const [dictionary] = await rows<{ top: number; users: number }>(session, 'max_user_number')
    const assignLookup = (assigner.lookupMs - lookupBefore) / batchCount
    const assignWrite = (assigner.writeMs - writeBefore) / batchCount
    log(
      `  ${loaded} rows in ${loadSeconds.toFixed(0)} s; ${dictionary?.users} users numbered 1..${dictionary?.top}; ` +
        `per ${BATCH_ROWS}-row batch: lookup ${ms(assignLookup)} ms, dictionary write ${ms(assignWrite)} ms`,
    )
    const sizes = await rows<{ table: string; rows: number; bytes: number }>(session, 'rollup_sizes')
    for (const size of sizes) log(`  ${size.table}: ${size.rows} rows, ${(size.bytes / 1e6).toFixed(1)} MB`)

    // 3. Every variant's answer equals the count over raw events, in every zone (two random ranges each).
    log('# exactness against raw events')
    const check = seeded(7)
    let checked = 0
    for (const shape of SHAPES) {
      for (let i = 0; i < ZONES.length * 2; i++) {
        const params = { ...randomParams(shape, check), ...(shape === 'overview' ? {} : { tz: ZONES[i % 6] }) }
        const expected = canonical(await rows(session, `${shape}_raw`, params))
        for (const variant of VARIANTS) {
          const got = canonical(await rows(session, `${shape}_${variant}`, params))
          if (got !== expected)
            throw new Error(`${shape} ${variant} differs from raw events for ${JSON.stringify(params)}`)
          checked++
        }
      }
    }
    log(`  ${checked} answers equal the raw count`)

    // 4. Latency: each variant answers the same random requests, interleaved, so machine load falls on all alike.
    log(`# latency, ${ITERATIONS} random requests per shape`)
    const latency = new Map<string, number[]>()
    const random = seeded(42)
    for (const shape of SHAPES) {
      for (let i = 0; i < 2; i++)
        for (const variant of VARIANTS) await rows(session, `${shape}_${variant}`, randomParams(shape, random))
      for (let i = 0; i < ITERATIONS; i++) {
        const params = randomParams(shape, random)
        for (const variant of VARIANTS) {
          const started = performance.now()
          await rows(session, `${shape}_${variant}`, params)
          const key = `${shape}/${variant}`
          latency.set(key, [...(latency.get(key) ?? []), performance.now() - started])
        }
      }
      const raw: number[] = []
      for (let i = 0; i < 3; i++) {
        const started = performance.now()
        await rows(session, `${shape}_raw`, randomParams(shape, random))
        raw.push(performance.now() - started)
      }
      latency.set(`${shape}/raw`, raw)
    }
    load.push(loadavg()[0] ?? 0)

    const lines: string[] = []
    lines.push(`Command: \`${['npx tsx scripts/bench-distinct.ts', ...process.argv.slice(2)].join(' ')}\``)
    lines.push('')
    lines.push(
      `- ${cpus()[0]?.model ?? 'CPU'}, ${availableParallelism()} cores; Node ${process.version}; ` +
        `load average ${load.map((l) => l.toFixed(1)).join(', ')}; ${new Date().toISOString().slice(0, 10)}`,
    )
    lines.push(
      `- ${loaded} events, ${dictionary?.users} users; ${checked} answers checked equal to raw events ` +
        `(${ZONES.join(', ')})`,
    )
    lines.push(
      `- numbering users at ingest: ${ms(assignLookup)} ms lookup + ${ms(assignWrite)} ms dictionary write per ` +
        `${BATCH_ROWS}-row batch (EmbeddedRocksDB)`,
    )
    lines.push('', '| shape | design | p50 ms | p95 ms |', '| --- | --- | ---: | ---: |')
    for (const shape of SHAPES) {
      for (const variant of [...VARIANTS, 'raw'] as const) {
        const sorted = [...(latency.get(`${shape}/${variant}`) ?? [])].sort((a, b) => a - b)
        const p95 = variant === 'raw' ? '' : ms(percentile(sorted, 0.95))
        lines.push(`| ${SHAPE_LABEL[shape]} | ${LABEL[variant]} | ${ms(percentile(sorted, 0.5))} | ${p95} |`)
      }
    }
    lines.push('', `| rollup | rows | MB | insert rows/s (${SAMPLE_ROWS} events, median of ${ROUNDS}) | µs/row |`)
    lines.push('| --- | ---: | ---: | ---: | ---: |')
    lines.push(`| raw table alone | | | ${Math.round(sampleRows / bare)} | |`)
    for (const variant of VARIANTS) {
      const size = sizes.find((s) => s.table === TABLE[variant])
      const seconds = medianOf(insertSeconds[variant])
      lines.push(
        `| ${LABEL[variant]} | ${size?.rows} | ${((size?.bytes ?? 0) / 1e6).toFixed(1)} | ` +
          `${Math.round(sampleRows / seconds)} | ${ms(((seconds - bare) / sampleRows) * 1e6)} |`,
      )
    }
    process.stdout.write(`${lines.join('\n')}\n`)
  } finally {
    session.close()
    rmSync(dir, { recursive: true, force: true })
  }
}

await main()
