/**
 * Helpers shared by the Kafka ingest tests: unique names, producing fixtures, running an in-process consumer and
 * reading the exactness figures from the store. Tests run against the real broker and a real (temporary) engine.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { fileURLToPath } from 'node:url'
import type { WireEvent } from '@trendlens/contract'
import { generateScenario } from '@trendlens/fixtures'
import type { QueryRow, Store } from '@trendlens/sql'
import { openTempStore } from '@trendlens/sql/testing'
import type { Kafka, KafkaMessage } from 'kafkajs'
import { afterAll, beforeAll } from 'vitest'
import { createLogger, type Logger, silentLogger } from '../log.ts'
import { IngestMetrics } from '../metrics.ts'
import { validateEvent } from '../validation.ts'
import { deleteTopic, ensureBroker, kafkaClient, pollUntil, recreateTopic } from './broker.ts'
import { type BatchingSettings, type ConsumerTuning, type RunConsumerOptions, runConsumer } from './consumer.ts'
import { eventProducer, publishChunks } from './produce.ts'

export type Totals = QueryRow<'events_totals'>

/** A name no other test run uses: topics and groups are never shared between tests. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${process.pid}-${Date.now().toString(36)}-${randomUUID().slice(0, 8)}`
}

/** What one Kafka test file works with: the local broker, its own temporary engine, and the topics it creates. */
export interface KafkaTestBed {
  brokers: string[]
  store: Store
  /** Topics a test created; they are deleted after the file's tests. */
  topics: string[]
  /** A new, empty topic named after `prefix`; it and its dead-letter topic are deleted after the file's tests. */
  newTopic(prefix: string, partitions: number): Promise<{ topic: string; dlqTopic: string }>
}

/** Registers the file's set-up and tear-down hooks; read the fields inside tests, once the hooks have run. */
export function useKafkaTestBed(name: string): KafkaTestBed {
  let dispose: (() => Promise<void>) | undefined
  const bed: KafkaTestBed = {
    brokers: [],
    store: undefined as unknown as Store,
    topics: [],
    async newTopic(prefix, partitions) {
      const topic = uniqueName(prefix)
      const dlqTopic = `${topic}.dlq`
      bed.topics.push(topic, dlqTopic)
      await recreateTopic(bed.brokers, topic, partitions)
      return { topic, dlqTopic }
    },
  }
  beforeAll(async () => {
    bed.brokers = (await ensureBroker()).brokers
    const opened = await openTempStore(`trendlens-kafka-${name}-`)
    bed.store = opened.store
    dispose = opened.dispose
  }, 600_000)
  afterAll(async () => {
    await stopAllConsumers()
    await dispose?.()
    for (const topic of bed.topics) await deleteTopic(bed.brokers, topic).catch(() => {})
  })
  return bed
}

/** Small batches and short fetch waits, so a test of a few thousand events still goes through many batches. */
const TEST_BATCHING: BatchingSettings = { batchRows: 2_000, batchBytes: 1024 * 1024, batchAgeMs: 200 }

/** Quick retries and lag reports: a test's store outage lasts a second or two. */
const TEST_TUNING: Partial<ConsumerTuning> = {
  backoff: { initialMs: 50, maxMs: 500 },
  statsIntervalMs: 1_000,
  sessionTimeoutMs: 10_000,
}

/** Logs only errors; set TEST_LOG=debug (or info, warn) to watch a test's consumer. */
function testLogger(): Logger {
  const level = process.env.TEST_LOG
  return level === 'debug' || level === 'info' || level === 'warn' ? createLogger(level) : silentLogger
}

/**
 * The events of the seed scenario at `scale`, all in memory (tests use small scales: 0.0002 is ~49k events).
 * Scenario ids count from zero whatever the seed, so tests sharing a store give each stream its own id prefix.
 */
export function scenarioEvents(scale: number, seed: number, idPrefix = ''): WireEvent[] {
  const events = [...generateScenario({ scale, seed })].flat()
  return idPrefix ? events.map((event) => ({ ...event, id: `${idPrefix}${event.id}` })) : events
}

/** Splits events into chunks of `size`, as a producer would send them. */
export function chunksOf<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = []
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size))
  return chunks
}

/** Publishes events (acks -1) and resolves when all are acknowledged. */
export async function produceEvents(
  kafka: Kafka,
  topic: string,
  partitions: number,
  events: readonly WireEvent[],
): Promise<void> {
  const producer = eventProducer(kafka)
  await producer.connect()
  try {
    await publishChunks(producer, topic, partitions, [events])
  } finally {
    await producer.disconnect()
  }
}

/** Tag mentions the rollups must hold for these events (tags as normalised by the contract). */
export function expectedTagMentions(events: readonly WireEvent[]): number {
  let mentions = 0
  for (const event of events) {
    const checked = validateEvent(event)
    if (!checked.ok) throw new Error(`fixture event refused: ${checked.message}`)
    mentions += checked.event.hashtags.length
  }
  return mentions
}

export async function totals(store: Pick<Store, 'query'>): Promise<Totals> {
  const [row] = await store.query('events_totals', {})
  if (!row) throw new Error('events_totals returned no row')
  return row
}

/** What was added between two readings of the totals. */
export function totalsAdded(after: Totals, before: Totals): Totals {
  const added = { ...after }
  for (const key of Object.keys(added) as Array<keyof Totals>) added[key] = after[key] - before[key]
  return added
}

/** Polls until the store holds `expected` events; fails with the last count after `timeoutMs`. */
/**
 * Waits until the raw table holds `expected` events and every rollup has caught up with what the raw table holds.
 * An insert writes the raw part first and the views' parts after it, so a reader can briefly see an in-flight batch
 * in the raw table before it is in the rollups; exactness is judged once the insert has finished.
 */
export async function waitForEvents(store: Pick<Store, 'query'>, expected: number, timeoutMs = 60_000): Promise<void> {
  let last: Totals | undefined
  try {
    await pollUntil(
      `${expected} stored events`,
      async () => {
        const t = await totals(store)
        last = t
        return (
          t.events >= expected &&
          t.region_rollup_15m >= t.events &&
          t.region_types_15m >= t.events &&
          t.region_rollup_1m >= t.events &&
          t.tag_rollup_15m >= t.tag_mentions &&
          t.tag_rollup_1m >= t.tag_mentions &&
          t.tag_totals_15m >= t.tag_mentions
        )
      },
      { timeoutMs, intervalMs: 100 },
    )
  } catch (error) {
    throw new Error(`${(error as Error).message} (last totals ${JSON.stringify(last)})`)
  }
}

/** The exactness figures: every event once in the raw table, and every rollup summing to the raw table. */
export function expectExact(t: Totals, events: number, tagMentions: number): string[] {
  const problems: string[] = []
  const check = (name: keyof Totals, expected: number) => {
    if (t[name] !== expected) problems.push(`${name} = ${t[name]}, expected ${expected}`)
  }
  check('events', events)
  check('distinct_ids', events)
  check('region_rollup_15m', events)
  check('region_types_15m', events)
  check('region_rollup_1m', events)
  check('tag_mentions', tagMentions)
  check('tag_rollup_15m', tagMentions)
  check('tag_rollup_1m', tagMentions)
  check('tag_totals_15m', tagMentions)
  return problems
}

export interface RunningConsumer {
  metrics: IngestMetrics
  /** Partitions assigned at the latest join. */
  assigned: () => number[]
  /** Aborts and resolves once the consumer has finished its batches, committed and left the group. */
  stop: () => Promise<void>
  /** The consumer's own promise (rejects if it crashes for good). */
  done: Promise<void>
}

const running = new Set<RunningConsumer>()

/** Stops every consumer still running (an afterAll hook, so a failed test never leaves one writing to a closed store). */
export async function stopAllConsumers(): Promise<void> {
  const results = await Promise.allSettled([...running].map((consumer) => consumer.stop()))
  for (const result of results) if (result.status === 'rejected') console.error('consumer stop failed', result.reason)
}

/** Starts `runConsumer` in this process and resolves once it has joined its group. */
export async function startConsumer(
  options: Omit<RunConsumerOptions, 'metrics' | 'log' | 'signal' | 'batching'> & {
    batching?: BatchingSettings
    log?: Logger
  },
): Promise<RunningConsumer> {
  const metrics = new IngestMetrics('kafka')
  const abort = new AbortController()
  let assigned: number[] | undefined
  let joined: () => void = () => {}
  const firstJoin = new Promise<void>((resolve) => (joined = resolve))
  const done = runConsumer({
    ...options,
    batching: options.batching ?? TEST_BATCHING,
    metrics,
    log: options.log ?? testLogger(),
    signal: abort.signal,
    tuning: {
      ...TEST_TUNING,
      ...options.tuning,
      onAssignment: (partitions) => {
        assigned = partitions
        joined()
        options.tuning?.onAssignment?.(partitions)
      },
    },
  })
  let timer: NodeJS.Timeout | undefined
  try {
    await Promise.race([
      firstJoin,
      done.then(() => Promise.reject(new Error('the consumer stopped before joining its group'))),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error('the consumer did not join its group within 60 s')), 60_000)
      }),
    ])
  } finally {
    clearTimeout(timer)
  }
  const consumer: RunningConsumer = {
    metrics,
    assigned: () => assigned ?? [],
    stop: async () => {
      abort.abort()
      running.delete(consumer)
      await done
    },
    done,
  }
  running.add(consumer)
  return consumer
}

/** Sum of the group's committed offsets on `topic` (0 for partitions without a commit). */
export async function committedTotal(kafka: Kafka, groupId: string, topic: string): Promise<number> {
  const admin = kafka.admin()
  await admin.connect()
  try {
    const [entry] = await admin.fetchOffsets({ groupId, topics: [topic] })
    return (entry?.partitions ?? []).reduce((sum, p) => sum + Math.max(0, Number(p.offset)), 0)
  } finally {
    await admin.disconnect()
  }
}

/** Reads `count` messages of `topic` from the beginning with a throwaway group. */
export async function readTopic(
  brokers: string[],
  topic: string,
  count: number,
): Promise<Array<KafkaMessage & { partition: number }>> {
  const consumer = kafkaClient(brokers).consumer({ groupId: uniqueName('reader'), maxWaitTimeInMs: 100 })
  const seen: Array<KafkaMessage & { partition: number }> = []
  await consumer.connect()
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true })
    await consumer.run({
      eachMessage: async ({ message, partition }) => {
        seen.push({ ...message, partition })
      },
    })
    await pollUntil(`${count} messages on ${topic}`, () => seen.length >= count, { timeoutMs: 30_000 })
  } finally {
    await consumer.disconnect()
  }
  return seen
}

export {
  deleteTopic,
  ensureBroker,
  kafkaClient,
  pollUntil,
  recreateTopic,
} from './broker.ts'

/** The repository root, where the product's entry point stands. */
const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url))

/** The product's entry point (`main.ts`) in a child process, with its last output kept for failure messages. */
export interface ProductProcess {
  child: ChildProcess
  exited: Promise<number | null>
  output: () => string
}

/** The settings of a product process that runs as an ingest worker on `topic`, storing into `dataDir`. */
export function ingestWorkerEnv(options: {
  brokers: string[]
  topic: string
  groupId: string
  dataDir: string
  batch: { rows: number; bytes: number; ageMs: number }
}): Record<string, string> {
  const { brokers, topic, groupId, dataDir, batch } = options
  return {
    ROLE: 'ingest',
    KAFKA_BROKERS: brokers.join(','),
    KAFKA_TOPIC: topic,
    KAFKA_DLQ_TOPIC: `${topic}.dlq`,
    KAFKA_GROUP: groupId,
    DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
    INGEST_BATCH_ROWS: String(batch.rows),
    INGEST_BATCH_BYTES: String(batch.bytes),
    INGEST_BATCH_AGE_MS: String(batch.ageMs),
    OPEN_BROWSER: 'false',
  }
}

/** Starts and tracks product processes, so a test file can kill whatever is still running when it ends. */
export class ProductProcesses {
  private readonly running = new Set<ChildProcess>()

  start(env: Record<string, string>): ProductProcess {
    const child = spawn(process.execPath, ['--import', 'tsx', 'main.ts'], {
      cwd: REPO_ROOT,
      // Each worker serves its health and metrics on a port of its own (PORT=0: a free one) unless told otherwise.
      env: { ...process.env, PORT: '0', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    this.running.add(child)
    let output = ''
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-20_000)
    }
    child.stdout?.on('data', keep)
    child.stderr?.on('data', keep)
    const exited = new Promise<number | null>((resolve) => {
      child.once('exit', (code) => {
        this.running.delete(child)
        resolve(code)
      })
    })
    return { child, exited, output: () => output }
  }

  killAll(): void {
    for (const child of this.running) child.kill('SIGKILL')
  }
}
