/**
 * Kafka ingest benchmark (not a test), against the local broker (`scripts/kafka.sh`) and the embedded engine:
 *
 *   (a) raw kafkajs consume-only rate (eachBatch, no processing) with the consumer's fetch settings
 *   (b) events/s stored end to end by one consumer process (runConsumer, embedded store), and (b)/(a)
 *   (c) the store's bare insert rate of the same rows (store.insertJsonLines of prepared JSONEachRow lines)
 *   (d) peak RSS (and JS heap) of the consumer process
 *   (e) freshness: a steady stream at 1k, 10k, 50k events/s; produce time to counted by an API-style query on the
 *       1-minute rollup (api_live_minutes), p50/p95/p99
 *   (f) scaling: 1, 2, 3 consumers in one group, in ONE process sharing one store (an engine folder belongs to one
 *       process), events/s per step
 *
 * Each measurement runs in a fresh child process (own heap, own RSS, own engine folder), after a warm-up pass;
 * (a)–(c) are repeated and medians reported.
 *
 *   npx tsx scripts/bench-ingest.ts [--events 1000000] [--big [--big-repeat 1]] [--repeat 3] [--write] [--profile]
 *                                   [--skip-freshness] [--skip-scaling] [--rates 1000,10000,50000]
 *                                   [--dedup-window-hours 24] [--dedup-cost] [--numbering-cost] [--help]
 *
 * `--dedup-cost` measures only (b), with the dedup window of event ids at 24 h and off (`--repeat` runs of each,
 * the window off first), and prints events/s, peak RSS and peak JS heap of the consumer process for both.
 *
 * `--numbering-cost` measures only the seed's bulk load (no Kafka): the scenario at `--events` replayed through the
 * product's write path into a fresh engine, as `pnpm start` loads the seed story, with the user numbering and with
 * that step left out (its users numbered before the timed load, so the rollups do the same work; `--repeat` runs of
 * each, without first), and prints rows/s for both, the time spent numbering and whether every stored user was
 * numbered.
 *
 * `--big` adds a 10M-event topic for (a) and (b). `--write` replaces this benchmark's section of
 * docs/benchmarks.md. `--profile` runs one more end-to-end pass under `node --cpu-prof` and prints where the
 * consumer's main thread spends its time.
 */
import { spawn } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { availableParallelism, cpus, loadavg, tmpdir, totalmem } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { generateScenario, liveEvents } from '@trendlens/fixtures'
import {
  BatchWriter,
  createLogger,
  DEFAULT_BATCH_AGE_MS,
  DEFAULT_BATCH_BYTES,
  DEFAULT_BATCH_ROWS,
  IN_PROCESS_RANGE,
  IngestMetrics,
  runReplay,
  UserNumbers,
  validateEvent,
} from '@trendlens/ingest'
import {
  type BatchingSettings,
  DEFAULT_PARTITIONS_CONCURRENTLY,
  eventProducer,
  fetchOptions,
  publishChunks,
  runConsumer,
  toMessage,
} from '@trendlens/ingest/kafka'
import { deleteTopic, ensureBroker, kafkaClient, recreateTopic } from '@trendlens/ingest/testing'
import { openTempStore, userNumberProblems } from '@trendlens/sql/testing'

type Kafka = ReturnType<typeof kafkaClient>

const { values: args } = parseArgs({
  options: {
    /** Internal: the measurements run in child processes; `--child kind --data json`. */
    child: { type: 'string' },
    data: { type: 'string' },
    events: { type: 'string', default: '1000000' },
    big: { type: 'boolean', default: false },
    /** Runs of each measurement at 10M events: one end-to-end pass alone takes minutes on two cores. */
    'big-repeat': { type: 'string', default: '1' },
    repeat: { type: 'string', default: '3' },
    rates: { type: 'string', default: '1000,10000,50000' },
    seconds: { type: 'string', default: '20' },
    write: { type: 'boolean', default: false },
    profile: { type: 'boolean', default: false },
    'skip-freshness': { type: 'boolean', default: false },
    'skip-throughput': { type: 'boolean', default: false },
    /** Experiment knobs: the consumer's fetch minBytes in KiB, and INGEST_BATCH_AGE_MS (default: the product's). */
    'min-fetch-kb': { type: 'string' },
    'batch-age-ms': { type: 'string' },
    'skip-scaling': { type: 'boolean', default: false },
    /** The consumer's dedup window in hours of event time (0: no resend check), to measure what it costs. */
    'dedup-window-hours': { type: 'string', default: '24' },
    /** Only (b), alternating the dedup window on (24 h) and off, `--repeat` times each: what the window costs. */
    'dedup-cost': { type: 'boolean', default: false },
    /** Only the seed's bulk load, with the user numbering and without it, `--repeat` times each. */
    'numbering-cost': { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
})

if (args.help) {
  // The usage is this file's opening comment.
  const source = readFileSync(fileURLToPath(import.meta.url), 'utf8')
  const usage = /^\/\*\*\n([\s\S]*?)\n \*\//.exec(source)?.[1] ?? ''
  process.stdout.write(`${usage.replace(/^ \* ?/gm, '')}\n`)
  process.exit(0)
}

const PARTITIONS = 4
/** Events per unit of scenario scale (measured: scale 0.001 gives ~246k events). */
const EVENTS_PER_SCALE = 246_000_000
const SCENARIO_SEED = 1
const MIN_FETCH_BYTES = args['min-fetch-kb'] ? Number(args['min-fetch-kb']) * 1024 : undefined
const DEDUP_WINDOW_MS = Number(args['dedup-window-hours']) * 3_600_000
const CONSUMER_BATCHING: BatchingSettings = {
  batchRows: DEFAULT_BATCH_ROWS,
  batchBytes: DEFAULT_BATCH_BYTES,
  batchAgeMs: args['batch-age-ms'] ? Number(args['batch-age-ms']) : DEFAULT_BATCH_AGE_MS,
}
/** A freshness stream's first seconds (consumer joining, JIT warming) are not measured. */
const FRESHNESS_WARMUP_MS = 2_000
const FRESHNESS_SLICE_MS = 50
const FRESHNESS_POLL_MS = 20
const RESULT_MARKER = '@@bench-result '
const READY_MARKER = '@@ready'
/** The freshness child reports the visible count this often, so the parent knows when the stream has drained. */
const COUNT_MARKER = '@@count '
const COUNT_REPORT_MS = 200
const FRESHNESS_DRAIN_MS = 30_000
/** After the consumer has counted every event stored, how long the table may take to hold them all. */
const SETTLE_TIMEOUT_MS = 120_000
const SETTLE_POLL_MS = 250
const SECTION_START = '<!-- bench:ingest -->'
const SECTION_END = '<!-- /bench:ingest -->'

function log(line: string): void {
  process.stderr.write(`${line}\n`)
}

const mb = (bytes: number) => Math.round(bytes / 1024 / 1024)
const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor((sorted.length - 1) / 2)] ?? Number.NaN
}
const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? Number.NaN
const label = (n: number) => (n >= 1_000_000 ? `${n / 1_000_000}M` : n >= 1000 ? `${n / 1000}k` : String(n))

/** Samples RSS and JS heap every 50 ms; `peak()` returns the highest seen. */
function memorySampler(): { peak: () => { rss: number; heap: number }; stop: () => void } {
  let rss = 0
  let heap = 0
  const sample = () => {
    const usage = process.memoryUsage()
    rss = Math.max(rss, usage.rss)
    heap = Math.max(heap, usage.heapUsed)
  }
  sample()
  const timer = setInterval(sample, 50)
  return {
    peak: () => {
      sample()
      return { rss, heap }
    },
    stop: () => clearInterval(timer),
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Children: one measurement each, reported on stdout after RESULT_MARKER.

interface ConsumeData {
  brokers: string[]
  topic: string
  expect: number
  consumers?: number
  /** Overrides --dedup-window-hours for this child. */
  dedupWindowMs?: number
}

interface ConsumeResult {
  seconds: number
  rate: number
  rssPeak: number
  heapPeak: number
  rssBaseline: number
  stored?: number
  exact?: boolean
  /** Rows and distinct ids in the table at the end. */
  events?: number
  distinctIds?: number
  engine?: string
  batches?: number
}

/** (a) kafkajs alone: the same fetch settings as the ingest consumer, eachBatch, no processing, no commits. */
async function childRaw(data: ConsumeData): Promise<ConsumeResult> {
  const memory = memorySampler()
  const rssBaseline = process.memoryUsage().rss
  const kafka = kafkaClient(data.brokers, 'bench-raw')
  const consumer = kafka.consumer({
    groupId: `bench-raw-${process.pid}-${Date.now()}`,
    ...fetchOptions(CONSUMER_BATCHING, MIN_FETCH_BYTES),
  })
  let count = 0
  let startedAt = 0
  let finishedAt = 0
  let finished: () => void = () => {}
  const done = new Promise<void>((resolve) => (finished = resolve))
  consumer.on(consumer.events.GROUP_JOIN, () => {
    startedAt = performance.now()
  })
  await consumer.connect()
  await consumer.subscribe({ topics: [data.topic], fromBeginning: true })
  await consumer.run({
    autoCommit: false,
    eachBatchAutoResolve: false,
    partitionsConsumedConcurrently: DEFAULT_PARTITIONS_CONCURRENTLY,
    eachBatch: async ({ batch, resolveOffset }) => {
      count += batch.messages.length
      const last = batch.messages.at(-1)
      if (last) resolveOffset(last.offset)
      if (count >= data.expect && finishedAt === 0) {
        finishedAt = performance.now()
        finished()
      }
    },
  })
  await done
  const peak = memory.peak()
  memory.stop()
  await consumer.disconnect()
  const seconds = (finishedAt - startedAt) / 1000
  return { seconds, rate: count / seconds, rssPeak: peak.rss, heapPeak: peak.heap, rssBaseline }
}

/** (b), (d) and (f): runConsumer with an embedded store, `consumers` members of one group in this process. */
async function childConsume(data: ConsumeData): Promise<ConsumeResult> {
  const { store, dispose } = await openTempStore('trendlens-bench-ingest-')
  try {
    const [engine] = await store.query('api_engine_version', {})
    const rssBaseline = process.memoryUsage().rss
    const memory = memorySampler()
    const abort = new AbortController()
    const metrics = new IngestMetrics('kafka')
    const groupId = `bench-e2e-${process.pid}-${Date.now()}`
    let startedAt = 0
    const runs = Array.from({ length: data.consumers ?? 1 }, (_, i) =>
      runConsumer({
        kafka: { brokers: data.brokers, topic: data.topic, dlqTopic: `${data.topic}.dlq`, groupId, clientId: `b${i}` },
        batching: CONSUMER_BATCHING,
        store,
        // Members share the metrics, so `stored` is the group's total.
        metrics,
        log: createLogger('warn', { service: 'bench-ingest' }),
        signal: abort.signal,
        tuning: {
          onAssignment: () => {
            startedAt ||= performance.now()
          },
          ...(MIN_FETCH_BYTES ? { minFetchBytes: MIN_FETCH_BYTES } : {}),
          dedupWindowMs: data.dedupWindowMs ?? DEDUP_WINDOW_MS,
        },
      }),
    )
    for (const run of runs) run.catch((error: unknown) => log(`consumer failed: ${String(error)}`))
    while (metrics.stored < data.expect) await new Promise((resolve) => setTimeout(resolve, 10))
    // `stored` also counts a batch stored again after a rebalance (the engine drops it by its token): the load is
    // done when the table holds every event.
    const settleBy = performance.now() + SETTLE_TIMEOUT_MS
    for (;;) {
      const [span] = await store.query('api_events_range', {})
      if ((span?.events ?? 0) >= data.expect || performance.now() > settleBy) break
      await new Promise((resolve) => setTimeout(resolve, SETTLE_POLL_MS))
    }
    const finishedAt = performance.now()
    const peak = memory.peak()
    memory.stop()
    abort.abort()
    await Promise.all(runs)
    const [totals] = await store.query('events_totals', {})
    const seconds = (finishedAt - startedAt) / 1000
    return {
      seconds,
      // Events in the table, not the consumer's count (which includes batches stored again and dropped).
      rate: (totals?.events ?? metrics.stored) / seconds,
      rssPeak: peak.rss,
      heapPeak: peak.heap,
      rssBaseline,
      stored: metrics.stored,
      exact: totals?.events === data.expect && totals.distinct_ids === data.expect,
      events: totals?.events ?? 0,
      distinctIds: totals?.distinct_ids ?? 0,
      engine: engine?.version,
      batches: metrics.batches,
    }
  } finally {
    await dispose()
  }
}

type InsertVariant = 'store' | 'compact' | 'compact-parallel-views'
/** The bare-insert child holds every row of the topic as insert bodies: 10M rows need more than V8's default heap. */
const INSERT_HEAP = '--max-old-space-size=12288'

/**
 * (c) the store alone: the same rows, validated and serialised beforehand, inserted in the consumer's batch size.
 * `store` is the product's path (store.insertJsonLines, JSONEachRow). The other variants show what the engine does
 * with the same rows as JSONCompactEachRow, and with the rollup views processed in parallel: both are settings the
 * store could use; the ingest does not today.
 */
async function childInsert(data: {
  expect: number
  variant: InsertVariant
}): Promise<{ seconds: number; rate: number }> {
  // Whole insert bodies are built as the rows come, so 10M rows are held once, as bodies, not also as lines.
  const bodies: string[] = []
  let lines: string[] = []
  let rows = 0
  const scale = data.expect / EVENTS_PER_SCALE
  const nowMs = Date.now()
  const compact = data.variant !== 'store'
  for (const chunk of generateScenario({ scale, seed: SCENARIO_SEED })) {
    for (const wire of chunk) {
      const checked = validateEvent(wire, nowMs)
      if (!checked.ok) continue
      const e = checked.event
      lines.push(
        compact
          ? JSON.stringify([e.id, e.type, e.ts, e.user_id, e.note_id, e.hashtags, e.region, e.country, e.lang])
          : JSON.stringify(e),
      )
      if (lines.length === CONSUMER_BATCHING.batchRows) {
        bodies.push(lines.join('\n'))
        rows += lines.length
        lines = []
      }
    }
    if (rows + lines.length >= data.expect) break
  }
  if (lines.length > 0) bodies.push(lines.join('\n'))
  rows += lines.length
  lines = []
  const { store, dispose } = await openTempStore('trendlens-bench-insert-')
  try {
    const views = data.variant === 'compact-parallel-views' ? ', parallel_view_processing = 1' : ''
    const started = performance.now()
    for (const [i, body] of bodies.entries()) {
      if (!compact) await store.insertJsonLines('events_v1', body, `bench:insert:${i}`)
      else {
        await store.command(
          'INSERT INTO events_v1 (id, type, ts, user_id, note_id, hashtags, region, country, lang) ' +
            `SETTINGS insert_deduplication_token = 'bench:insert:${i}', ` +
            `deduplicate_blocks_in_dependent_materialized_views = 1${views} FORMAT JSONCompactEachRow\n${body}`,
        )
      }
    }
    const seconds = (performance.now() - started) / 1000
    return { seconds, rate: rows / seconds }
  } finally {
    await dispose()
  }
}

/** The write path with the user numbering left out: the baseline that shows what numbering costs. */
class WithoutUserNumbers extends UserNumbers {
  override number(): Promise<ReadonlyMap<string, number>> {
    return Promise.resolve(new Map())
  }
}

/** The product's numbering, timed: what the write path waits for it, all batches together. */
class TimedUserNumbers extends UserNumbers {
  milliseconds = 0

  override async number(userIds: Iterable<string>, range: number): Promise<ReadonlyMap<string, number>> {
    const started = performance.now()
    try {
      return await super.number(userIds, range)
    } finally {
      this.milliseconds += performance.now() - started
    }
  }
}

/**
 * The seed's bulk load: the scenario replayed through BatchWriter (as seed.ts does), numbering users or not. Without
 * numbering, the users are numbered before the timed load, so the rollups that read the numbers do the same work in
 * both and the difference is the write path's numbering alone.
 */
async function childSeedLoad(data: {
  expect: number
  numbering: boolean
}): Promise<{ seconds: number; rate: number; stored: number; numberingSeconds: number; numberingProblems: number }> {
  const { store, dispose } = await openTempStore('trendlens-bench-seed-')
  try {
    const numbers = data.numbering ? new TimedUserNumbers(store) : new WithoutUserNumbers(store)
    const scale = data.expect / EVENTS_PER_SCALE
    if (!data.numbering) {
      const users = new Set<string>()
      for (const chunk of generateScenario({ scale, seed: SCENARIO_SEED })) for (const e of chunk) users.add(e.user_id)
      await new UserNumbers(store).number(users, IN_PROCESS_RANGE)
    }
    const started = performance.now()
    const result = await runReplay({
      source: 'bench-seed',
      chunks: () => generateScenario({ scale, seed: SCENARIO_SEED }),
      writer: new BatchWriter(store, numbers),
      metrics: new IngestMetrics('replay'),
      batchRows: DEFAULT_BATCH_ROWS,
      signal: new AbortController().signal,
      progressEveryMs: 0,
    })
    const seconds = (performance.now() - started) / 1000
    const problems = await userNumberProblems(store)
    return {
      seconds,
      rate: result.stored / seconds,
      stored: result.stored,
      numberingSeconds: numbers instanceof TimedUserNumbers ? numbers.milliseconds / 1000 : 0,
      numberingProblems: problems.length,
    }
  } finally {
    await dispose()
  }
}

/** The seed's bulk load with and without the user numbering, alternating (without first); medians printed. */
async function measureNumberingCost(events: number, repeat: number): Promise<void> {
  type Load = Awaited<ReturnType<typeof childSeedLoad>>
  const results: Record<string, Load[]> = { without: [], with: [] }
  const loads: number[] = [loadavg()[0] ?? 0]
  for (let i = 0; i < repeat; i++) {
    for (const numbering of [false, true]) {
      const name = numbering ? 'with' : 'without'
      const r = await runChild<Load>('seed-load', { expect: events, numbering })
      loads.push(loadavg()[0] ?? 0)
      log(
        `  ${name} numbering: ${r.stored} rows in ${r.seconds.toFixed(1)} s, ${Math.round(r.rate)} rows/s` +
          (numbering ? ` (${r.numberingSeconds.toFixed(2)} s of it numbering users); ` : '; ') +
          (r.numberingProblems === 0
            ? 'every stored user has a number of their own'
            : `${r.numberingProblems} users without a number or numbers shared`),
      )
      results[name]?.push(r)
    }
  }
  log('')
  log(
    `seed bulk load at ${label(events)} events (medians of ${repeat}), 1-minute load average ` +
      `${loads.map((l) => l.toFixed(1)).join(', ')}:`,
  )
  log('| user numbering | rows/s | seconds spent numbering |')
  log('| --- | ---: | ---: |')
  for (const [name, runs] of Object.entries(results)) {
    const numberingSeconds = name === 'with' ? median(runs.map((r) => r.numberingSeconds)).toFixed(2) : ''
    log(`| ${name} | ${Math.round(median(runs.map((r) => r.rate)))} | ${numberingSeconds} |`)
  }
}

/**
 * (e) the consumer and an API-style reader in one process (as in the embedded product): the reader polls the
 * 1-minute rollup on its own connection and records when each count became visible. The parent produces.
 */
async function childFreshness(data: { brokers: string[]; topic: string; fromMs: number }): Promise<{
  samples: Array<[number, number]>
  stored: number
}> {
  const { store, dispose } = await openTempStore('trendlens-bench-fresh-')
  try {
    const abort = new AbortController()
    const metrics = new IngestMetrics('kafka')
    let joined: () => void = () => {}
    const ready = new Promise<void>((resolve) => (joined = resolve))
    const run = runConsumer({
      kafka: {
        brokers: data.brokers,
        topic: data.topic,
        dlqTopic: `${data.topic}.dlq`,
        groupId: `bench-fresh-${process.pid}`,
        clientId: 'bench-fresh',
      },
      batching: CONSUMER_BATCHING,
      store,
      metrics,
      log: createLogger('warn', { service: 'bench-ingest' }),
      signal: abort.signal,
      tuning: { onAssignment: () => joined(), ...(MIN_FETCH_BYTES ? { minFetchBytes: MIN_FETCH_BYTES } : {}) },
    })
    run.catch((error: unknown) => log(`consumer failed: ${String(error)}`))
    await ready
    process.stdout.write(`${READY_MARKER}\n`)
    const samples: Array<[number, number]> = []
    let stopping = false
    process.stdin.on('data', () => {
      stopping = true
    })
    let reportedAt = 0
    while (!stopping) {
      const to = Math.ceil((Date.now() + 120_000) / 60_000) * 60_000
      const rows = await store.query('api_live_minutes', { from: data.fromMs, to })
      const count = rows.reduce((sum, r) => sum + r.total_events, 0)
      samples.push([Date.now(), count])
      if (Date.now() - reportedAt >= COUNT_REPORT_MS) {
        reportedAt = Date.now()
        process.stdout.write(`${COUNT_MARKER}${count}\n`)
      }
      await new Promise((resolve) => setTimeout(resolve, FRESHNESS_POLL_MS))
    }
    abort.abort()
    await run
    return { samples, stored: metrics.stored }
  } finally {
    await dispose()
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Parent: prepares topics, runs the children, reports.

function runChild<T>(
  kind: string,
  data: unknown,
  options: { nodeArgs?: string[]; onStdout?: (line: string, child: ReturnType<typeof spawn>) => void } = {},
): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        ...(options.nodeArgs ?? []),
        ...process.execArgv,
        fileURLToPath(import.meta.url),
        '--child',
        kind,
        '--data',
        JSON.stringify(data),
      ],
      { stdio: ['pipe', 'pipe', 'inherit'] },
    )
    let pending = ''
    let result: string | undefined
    child.stdout.on('data', (chunk: Buffer) => {
      pending += chunk.toString('utf8')
      let newline = pending.indexOf('\n')
      while (newline >= 0) {
        const line = pending.slice(0, newline)
        pending = pending.slice(newline + 1)
        if (line.startsWith(RESULT_MARKER)) result = line.slice(RESULT_MARKER.length)
        else options.onStdout?.(line, child)
        newline = pending.indexOf('\n')
      }
    })
    child.once('error', reject)
    child.once('exit', (code) => {
      if (code !== 0 || result === undefined) reject(new Error(`bench child ${kind} failed with exit code ${code}`))
      else resolve(JSON.parse(result) as T)
    })
  })
}

/** A topic holding the scenario at about `events` events, reused when a previous run left it complete. */
async function scenarioTopic(
  kafka: Kafka,
  brokers: string[],
  events: number,
): Promise<{ topic: string; count: number }> {
  const topic = `bench-ingest-${label(events)}-p${PARTITIONS}`
  const admin = kafka.admin()
  await admin.connect()
  try {
    const existing = (await admin.listTopics()).includes(topic)
    const marker = `${topic}.complete`
    const complete = existing && (await admin.listTopics()).includes(marker)
    if (complete) {
      const offsets = await admin.fetchTopicOffsets(topic)
      const count = offsets.reduce((sum, p) => sum + Number(p.high) - Number(p.low), 0)
      log(`reusing topic ${topic} (${count} events)`)
      return { topic, count }
    }
    await recreateTopic(brokers, topic, PARTITIONS)
    const producer = eventProducer(kafka)
    await producer.connect()
    log(`producing the scenario (~${label(events)} events) to ${topic} ...`)
    const scale = events / EVENTS_PER_SCALE
    const published = await publishChunks(producer, topic, PARTITIONS, generateScenario({ scale, seed: SCENARIO_SEED }))
    await producer.disconnect()
    log(`produced ${published.sent} events in ${published.seconds.toFixed(1)} s`)
    // An empty topic marks the data topic complete, so an interrupted run is not reused.
    await admin.createTopics({ topics: [{ topic: marker, numPartitions: 1, replicationFactor: 1 }] })
    return { topic, count: published.sent }
  } finally {
    await admin.disconnect()
  }
}

interface Throughput {
  events: number
  raw: ConsumeResult[]
  e2e: ConsumeResult[]
  insert: Array<{ seconds: number; rate: number }>
  compact: Array<{ seconds: number; rate: number }>
  compactParallel: Array<{ seconds: number; rate: number }>
}

/**
 * The first size warms the broker, the disk and the page cache with one unmeasured pass of each kind; a larger size
 * after it skips that pass (minutes at 10M events) and the other insert formats, which the first size already compares.
 */
async function measureThroughput(
  brokers: string[],
  topic: string,
  count: number,
  repeat: number,
  options: { first: boolean },
) {
  const result: Throughput = { events: count, raw: [], e2e: [], insert: [], compact: [], compactParallel: [] }
  if (options.first) {
    log(`warm-up (${label(count)}): one raw pass and one end-to-end pass, not measured`)
    await runChild<ConsumeResult>('raw', { brokers, topic, expect: count })
    await runChild<ConsumeResult>('consume', { brokers, topic, expect: count })
  }
  for (let i = 0; i < repeat; i++) {
    const raw = await runChild<ConsumeResult>('raw', { brokers, topic, expect: count })
    log(`  (a) raw kafkajs: ${Math.round(raw.rate)} events/s`)
    const e2e = await runChild<ConsumeResult>('consume', { brokers, topic, expect: count })
    log(`  (b) end to end: ${Math.round(e2e.rate)} events/s, peak RSS ${mb(e2e.rssPeak)} MB, exact: ${e2e.exact}`)
    const insert = await runChild<{ seconds: number; rate: number }>(
      'insert',
      { expect: count, variant: 'store' },
      { nodeArgs: [INSERT_HEAP] },
    )
    log(`  (c) bare insert: ${Math.round(insert.rate)} rows/s`)
    result.raw.push(raw)
    result.e2e.push(e2e)
    result.insert.push(insert)
    if (!options.first) continue
    const compact = await runChild<{ seconds: number; rate: number }>('insert', { expect: count, variant: 'compact' })
    const compactParallel = await runChild<{ seconds: number; rate: number }>('insert', {
      expect: count,
      variant: 'compact-parallel-views',
    })
    log(
      `      as JSONCompactEachRow: ${Math.round(compact.rate)}; + parallel views: ${Math.round(compactParallel.rate)}`,
    )
    result.compact.push(compact)
    result.compactParallel.push(compactParallel)
  }
  return result
}

/** (b) with the dedup window at 24 h and off, alternating; medians printed. */
async function measureDedupCost(kafka: Kafka, brokers: string[], events: number, repeat: number): Promise<void> {
  const { topic, count } = await scenarioTopic(kafka, brokers, events)
  const windows = { '24 h': 24 * 3_600_000, off: 0 }
  const results: Record<string, ConsumeResult[]> = { '24 h': [], off: [] }
  for (let i = 0; i < repeat; i++) {
    // Without the window first: the first (cold) pass of the run does not flatter the window.
    for (const [name, dedupWindowMs] of Object.entries(windows).reverse()) {
      const r = await runChild<ConsumeResult>('consume', { brokers, topic, expect: count, dedupWindowMs })
      log(
        `  dedup window ${name}: ${Math.round(r.rate)} events/s, peak RSS ${mb(r.rssPeak)} MB, ` +
          `peak heap ${mb(r.heapPeak)} MB, exact: ${r.exact} (${r.events} rows, ${r.distinctIds} ids of ${count})`,
      )
      results[name]?.push(r)
    }
  }
  log('')
  log(`dedup window cost at ${label(count)} events (medians of ${repeat}), load average ${loadavg()[0]?.toFixed(1)}:`)
  log('| dedup window | events/s | peak RSS MB | peak JS heap MB |')
  log('| --- | ---: | ---: | ---: |')
  for (const [name, runs] of Object.entries(results)) {
    log(
      `| ${name} | ${Math.round(median(runs.map((r) => r.rate)))} | ${mb(median(runs.map((r) => r.rssPeak)))} | ` +
        `${mb(median(runs.map((r) => r.heapPeak)))} |`,
    )
  }
}

interface Freshness {
  rate: number
  achieved: number
  p50: number
  p95: number
  p99: number
  slices: number
  stored: number
}

async function measureFreshness(brokers: string[], kafka: Kafka, rate: number, seconds: number): Promise<Freshness> {
  const topic = `bench-fresh-${rate}-${Date.now().toString(36)}`
  await recreateTopic(brokers, topic, PARTITIONS)
  const fromMs = Math.floor((Date.now() - 60_000) / 60_000) * 60_000
  const producer = eventProducer(kafka)
  await producer.connect()
  const sent: Array<{ at: number; total: number }> = []
  let total = 0
  const produce = async () => {
    const startMs = Date.now()
    const slicesPerSecond = 1000 / FRESHNESS_SLICE_MS
    let slice = 0
    for (const chunk of liveEvents({ startMs, ratePerSecond: rate, seed: 7 })) {
      if (slice >= seconds * slicesPerSecond) break
      const size = Math.ceil(chunk.length / slicesPerSecond)
      for (let k = 0; k < slicesPerSecond; k++, slice++) {
        const due = startMs + slice * FRESHNESS_SLICE_MS
        await new Promise((resolve) => setTimeout(resolve, Math.max(0, due - Date.now())))
        const messages = chunk.slice(k * size, (k + 1) * size).map(toMessage)
        if (messages.length === 0) continue
        const at = Date.now()
        await producer.send({ topic, acks: -1, messages })
        total += messages.length
        sent.push({ at, total })
      }
    }
    return (Date.now() - startMs) / 1000
  }
  let visible = 0
  let producing: Promise<number> | undefined
  const result = await runChild<{ samples: Array<[number, number]>; stored: number }>(
    'freshness',
    { brokers, topic, fromMs },
    {
      onStdout: (line, child) => {
        if (line.startsWith(COUNT_MARKER)) visible = Number(line.slice(COUNT_MARKER.length))
        if (line !== READY_MARKER) return
        producing = produce().then(async (elapsed) => {
          // Let the stream drain (a consumer that cannot keep up gets a bounded time), then stop the child.
          const deadline = Date.now() + FRESHNESS_DRAIN_MS
          while (Date.now() < deadline && visible < total) await new Promise((r) => setTimeout(r, 100))
          child.stdin?.write('stop\n')
          return elapsed
        })
      },
    },
  )
  const elapsed = producing ? await producing : seconds
  await producer.disconnect()
  await deleteTopic(brokers, topic)
  await deleteTopic(brokers, `${topic}.dlq`)
  const latencies: number[] = []
  const firstMeasured = (sent[0]?.at ?? 0) + FRESHNESS_WARMUP_MS
  let s = 0
  for (const slice of sent) {
    while (s < result.samples.length && (result.samples[s]?.[1] ?? 0) < slice.total) s++
    const visible = result.samples[s]
    if (!visible) break
    if (slice.at >= firstMeasured) latencies.push(visible[0] - slice.at)
  }
  latencies.sort((a, b) => a - b)
  return {
    rate,
    achieved: total / elapsed,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    slices: latencies.length,
    stored: result.stored,
  }
}

/** The main thread's time by area, from a V8 CPU profile of one end-to-end pass. */
function summariseProfile(file: string): Array<{ area: string; share: number }> {
  interface Node {
    id: number
    callFrame: { functionName: string; url: string }
  }
  const profile = JSON.parse(readFileSync(file, 'utf8')) as { nodes: Node[]; samples: number[]; timeDeltas: number[] }
  const byId = new Map(profile.nodes.map((n) => [n.id, n]))
  const areas = new Map<string, number>()
  let total = 0
  profile.samples.forEach((id, i) => {
    const node = byId.get(id)
    const { functionName, url } = node?.callFrame ?? { functionName: '', url: '' }
    const area =
      functionName === '(idle)'
        ? 'idle: waiting for the broker or the engine'
        : functionName === '(garbage collector)'
          ? 'garbage collection'
          : url.includes('/kafkajs/')
            ? 'kafkajs: fetch, decode'
            : /ingest\/src\/(contract|regions|geoip)|geoip-lite/.test(url) || functionName === 'validateMessage'
              ? 'validation (contract, incl. JSON.parse)'
              : url.includes('ingest/src/kafka/')
                ? 'consumer: batching, serialising (JSON.stringify)'
                : /chdb|@clickhouse/.test(url)
                  ? 'store client (chdb connection)'
                  : 'other (node internals, buffers, timers)'
    const delta = profile.timeDeltas[i] ?? 0
    areas.set(area, (areas.get(area) ?? 0) + delta)
    total += delta
  })
  return [...areas.entries()].map(([area, time]) => ({ area, share: time / total })).sort((a, b) => b.share - a.share)
}

function versions(): { kafka: string; kafkajs: string; chdb: string } {
  const pom = readFileSync(new URL('./kafka/pom.xml', import.meta.url), 'utf8')
  const json = (path: string) =>
    (JSON.parse(readFileSync(new URL(path, import.meta.url), 'utf8')) as { version: string }).version
  return {
    kafka: /<kafka\.version>([^<]+)</.exec(pom)?.[1] ?? '?',
    kafkajs: json('../ingest/node_modules/kafkajs/package.json'),
    chdb: json('../sql/node_modules/chdb/package.json'),
  }
}

function report(
  env: string[],
  throughput: Throughput[],
  freshness: Freshness[],
  scaling: Array<{ consumers: number; rate: number }>,
  profile: Array<{ area: string; share: number }> | undefined,
): string {
  const lines = ['## Kafka ingest benchmark', '', `Command: \`npx tsx scripts/bench-ingest.ts ${commandLine()}\``, '']
  for (const line of env) lines.push(`- ${line}`)
  const runs = [...new Set(throughput.map((t) => t.e2e.length))].join(' and ')
  lines.push('', `### Throughput (medians of ${runs} runs per size, each in a fresh process)`, '')
  lines.push(
    '| events | (a) kafkajs consume-only events/s | (b) end to end events/s | (b)/(a) | (c) bare insert rows/s | (d) peak RSS MB | JS heap peak MB | RSS with the engine idle MB | exact |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
  )
  for (const t of throughput) {
    const raw = median(t.raw.map((r) => r.rate))
    const e2e = median(t.e2e.map((r) => r.rate))
    lines.push(
      `| ${label(t.events)} | ${Math.round(raw)} | ${Math.round(e2e)} | ${(e2e / raw).toFixed(2)} | ` +
        `${Math.round(median(t.insert.map((r) => r.rate)))} | ${mb(median(t.e2e.map((r) => r.rssPeak)))} | ` +
        `${mb(median(t.e2e.map((r) => r.heapPeak)))} | ${mb(median(t.e2e.map((r) => r.rssBaseline)))} | ` +
        `${t.e2e.every((r) => r.exact) ? 'yes' : 'NO'} |`,
    )
  }
  lines.push('', 'Runs (events/s):', '')
  const list = (rs: Array<{ rate: number }>) => rs.map((r) => Math.round(r.rate)).join(', ')
  for (const t of throughput) {
    lines.push(`- ${label(t.events)}: (a) ${list(t.raw)}; (b) ${list(t.e2e)}; (c) ${list(t.insert)}`)
  }
  lines.push(
    '',
    'The same rows inserted by the engine in other ways the store could use (rows/s, median; the ingest does not use them today):',
    '',
  )
  for (const t of throughput.filter((r) => r.compact.length > 0)) {
    lines.push(
      `- ${label(t.events)}: JSONCompactEachRow ${Math.round(median(t.compact.map((r) => r.rate)))} (${list(t.compact)}); ` +
        `JSONCompactEachRow with \`parallel_view_processing = 1\` ${Math.round(median(t.compactParallel.map((r) => r.rate)))} (${list(t.compactParallel)})`,
    )
  }
  if (freshness.length > 0) {
    lines.push('', '### Freshness: produce → counted by `api_live_minutes` (1-minute rollup), ms', '')
    lines.push(
      '| target events/s | produced events/s | p50 | p95 | p99 | slices measured |',
      '| ---: | ---: | ---: | ---: | ---: | ---: |',
    )
    for (const f of freshness) {
      lines.push(
        `| ${label(f.rate)} | ${Math.round(f.achieved)} | ${Math.round(f.p50)} | ${Math.round(f.p95)} | ${Math.round(f.p99)} | ${f.slices} |`,
      )
    }
  }
  if (scaling.length > 0) {
    lines.push(
      '',
      '### Scaling: consumers in one group, in one process sharing one store (one engine folder per process)',
      '',
    )
    lines.push('| consumers | events/s |', '| ---: | ---: |')
    for (const s of scaling) lines.push(`| ${s.consumers} | ${Math.round(s.rate)} |`)
  }
  if (profile) {
    lines.push('', '### Where the consumer main thread spends its time (one end-to-end pass, `node --cpu-prof`)', '')
    lines.push('| area | share |', '| --- | ---: |')
    for (const p of profile) lines.push(`| ${p.area} | ${(p.share * 100).toFixed(1)}% |`)
  }
  return `${lines.join('\n')}\n`
}

function commandLine(): string {
  return process.argv
    .slice(2)
    .filter((a) => a !== '--write')
    .join(' ')
}

function writeSection(section: string): void {
  const file = new URL('../docs/benchmarks.md', import.meta.url)
  let text = '# Benchmarks\n'
  try {
    text = readFileSync(file, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
  }
  const block = `${SECTION_START}\n${section}${SECTION_END}\n`
  const start = text.indexOf(SECTION_START)
  const end = text.indexOf(SECTION_END)
  const next =
    start >= 0 && end > start
      ? text.slice(0, start) + block + text.slice(end + SECTION_END.length + 1)
      : `${text.trimEnd()}\n\n${block}`
  writeFileSync(file, next)
}

async function main(): Promise<void> {
  if (args.child) {
    const data = JSON.parse(args.data ?? '{}')
    const handlers: Record<string, (d: never) => Promise<unknown>> = {
      raw: childRaw,
      consume: childConsume,
      insert: childInsert,
      freshness: childFreshness,
      'seed-load': childSeedLoad,
    }
    const handler = handlers[args.child]
    if (!handler) throw new Error(`unknown child ${args.child}`)
    const result = await handler(data as never)
    process.stdout.write(`${RESULT_MARKER}${JSON.stringify(result)}\n`)
    process.exit(0)
  }

  const repeat = Number(args.repeat)
  if (args['numbering-cost']) {
    await measureNumberingCost(Number(args.events), repeat)
    return
  }
  const { brokers } = await ensureBroker()
  const kafka = kafkaClient(brokers, 'bench-ingest')
  const v = versions()
  const loads: number[] = [loadavg()[0] ?? 0]
  const env = [
    `CPU: ${cpus()[0]?.model ?? 'unknown'}, ${availableParallelism()} cores; memory ${mb(totalmem())} MB`,
    `Node ${process.version}; Kafka ${v.kafka} (local single-node KRaft broker on the same machine); kafkajs ${v.kafkajs}; chdb ${v.chdb}`,
    `Topic: ${PARTITIONS} partitions, the story scenario (seed ${SCENARIO_SEED}); consumer batching: ${CONSUMER_BATCHING.batchRows} rows, ${mb(CONSUMER_BATCHING.batchBytes)} MB, ${CONSUMER_BATCHING.batchAgeMs} ms`,
  ]

  if (args['dedup-cost']) {
    await measureDedupCost(kafka, brokers, Number(args.events), repeat)
    return
  }

  const sizes = [Number(args.events), ...(args.big ? [10_000_000] : [])]
  const throughput: Throughput[] = []
  let engine = '?'
  for (const size of args['skip-throughput'] ? [] : sizes) {
    const { topic, count } = await scenarioTopic(kafka, brokers, size)
    const first = size === sizes[0]
    const t = await measureThroughput(brokers, topic, count, first ? repeat : Number(args['big-repeat']), { first })
    engine = t.e2e[0]?.engine ?? engine
    throughput.push(t)
    loads.push(loadavg()[0] ?? 0)
  }

  const freshness: Freshness[] = []
  if (!args['skip-freshness']) {
    for (const rate of (args.rates ?? '')
      .split(',')
      .map(Number)
      .filter((r) => r > 0)) {
      log(`freshness at ${label(rate)} events/s for ${args.seconds} s`)
      const f = await measureFreshness(brokers, kafka, rate, Number(args.seconds))
      log(
        `  p50 ${Math.round(f.p50)} ms, p95 ${Math.round(f.p95)} ms, p99 ${Math.round(f.p99)} ms (produced ${Math.round(f.achieved)}/s)`,
      )
      freshness.push(f)
    }
    loads.push(loadavg()[0] ?? 0)
  }

  const scaling: Array<{ consumers: number; rate: number }> = []
  if (!args['skip-scaling']) {
    const { topic, count } = await scenarioTopic(kafka, brokers, sizes[0] ?? 1_000_000)
    for (const consumers of [1, 2, 3]) {
      const r = await runChild<ConsumeResult>('consume', { brokers, topic, expect: count, consumers })
      log(`scaling: ${consumers} consumer(s) in one process: ${Math.round(r.rate)} events/s`)
      scaling.push({ consumers, rate: r.rate })
    }
    loads.push(loadavg()[0] ?? 0)
  }

  let profile: Array<{ area: string; share: number }> | undefined
  if (args.profile) {
    const dir = mkdtempSync(join(tmpdir(), 'trendlens-bench-prof-'))
    const { topic, count } = await scenarioTopic(kafka, brokers, sizes[0] ?? 1_000_000)
    await runChild<ConsumeResult>(
      'consume',
      { brokers, topic, expect: count },
      { nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${dir}`] },
    )
    const file = readdirSync(dir)
      .filter((f) => f.endsWith('.cpuprofile'))
      .map((f) => join(dir, f))
      .sort((a, b) => readFileSync(b).length - readFileSync(a).length)[0]
    if (file) profile = summariseProfile(file)
    rmSync(dir, { recursive: true, force: true })
  }

  env.push(`Engine ${engine}`)
  env.push(
    `Machine shared with other work: 1-minute load average ${loads.map((l) => l.toFixed(1)).join(', ')} around the phases`,
  )
  env.push(`Date: ${new Date().toISOString().slice(0, 10)}`)
  const section = report(env, throughput, freshness, scaling, profile)
  process.stdout.write(`\n${section}`)
  if (args.write) writeSection(section)
}

await main()
