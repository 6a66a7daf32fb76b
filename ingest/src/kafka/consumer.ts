/**
 * The Kafka ingest: a kafkajs consumer group member that validates each message, stores good events through the
 * one write path (ledger row, then an insert with the dedup token `kafka:<topic>:<partition>:<first>-<last>`),
 * sends refused messages to the dead-letter topic and commits a partition's offsets only after both are
 * acknowledged.
 *
 * Exactly-once storage rests on the token and the ledger: a fetched batch is stored and committed inside its
 * eachBatch call, so nothing is buffered across calls (revoked partitions hold nothing), and the first batch of a
 * partition after a (re)join re-forms the batches the ledger recorded from the committed offset on, on the same
 * boundaries, so an insert that had landed before a crash or rebalance is dropped by the engine, in the raw table
 * and in every rollup. Dropping repeated ids within a batch only removes producer-side duplicates.
 */
import { StoreError } from '@trendlens/sql'
import {
  type Admin,
  type Consumer,
  type EachBatchPayload,
  type KafkaMessage,
  Partitioners,
  type Producer,
} from 'kafkajs'
import { BatchWriter, type PreparedBatch, type WriterStore } from '../batch-writer.ts'
import { validateMessage } from '../contract.ts'
import type { Logger } from '../log.ts'
import type { IngestMetrics } from '../metrics.ts'
import { type Backoff, backoffDelay, DEFAULT_BACKOFF, sleep } from '../retry.ts'
import { BatchCutter, type OffsetRange, type Run, recoveryPlan } from './batching.ts'
import {
  createKafka,
  DEFAULT_TOPIC_PARTITIONS,
  DLQ_TOPIC_PARTITIONS,
  ensureTopics,
  type KafkaSettings,
} from './client.ts'
import { deadLetter, type Refusal } from './dead-letter.ts'

export type { KafkaSettings } from './client.ts'

/** Mirrors the product's `Config['ingest']`. */
export interface BatchingSettings {
  /** Most rows in one insert. */
  batchRows: number
  /** Most bytes fetched per partition (and per fetch) before an insert. */
  batchBytes: number
  /** Longest the broker holds a fetch open waiting for `minBytes`: the ingest's added latency at low rates. */
  batchAgeMs: number
}

export interface ConsumerTuning {
  backoff: Backoff
  /** How often lag is measured and the stats line logged. */
  statsIntervalMs: number
  /** Fetched partitions processed at once: one validates in JS while another's insert runs in the engine. */
  partitionsConsumedConcurrently: number
  sessionTimeoutMs: number
  /** The broker answers a fetch once it has this many bytes (or after batchAgeMs). */
  minFetchBytes: number
  /** Called after every group join with this member's partitions (tests and the benchmark wait on it). */
  onAssignment?: (partitions: number[]) => void
}

export interface RunConsumerOptions {
  kafka: KafkaSettings
  batching: BatchingSettings
  store: WriterStore
  metrics: IngestMetrics
  log: Logger
  /** Aborting stops fetching, lets the batch in hand finish (stored, committed), then leaves the group. */
  signal: AbortSignal
  tuning?: Partial<ConsumerTuning>
}

/** A fetch waits for a quarter of a batch: large inserts under load, and `batchAgeMs` bounds the wait when quiet. */
const MIN_FETCH_FRACTION = 4
/**
 * A crashed member's partitions wait this long before they are reassigned. Heartbeats go out between inserts
 * (well under a second apart) and during store-outage retries, so 10 s is a wide margin; kafkajs's 30 s would
 * stall a partition for half a minute after every crash.
 */
const DEFAULT_SESSION_TIMEOUT_MS = 10_000
/** The 5 s the issue asks for: often enough to watch lag fall, rare enough to cost nothing. */
const DEFAULT_STATS_INTERVAL_MS = 5_000
/** Two cores: one partition's rows are validated in JS while another's insert runs on the engine's threads. */
export const DEFAULT_PARTITIONS_CONCURRENTLY = 2

/** The fetch sizing of the ingest consumer: the broker's fetch does the size and age batching. */
export function fetchOptions(batching: BatchingSettings, minFetchBytes?: number) {
  return {
    minBytes: minFetchBytes ?? Math.max(1, Math.floor(batching.batchBytes / MIN_FETCH_FRACTION)),
    maxBytes: batching.batchBytes,
    maxBytesPerPartition: batching.batchBytes,
    maxWaitTimeInMs: batching.batchAgeMs,
  }
}

/**
 * Runs the Kafka ingest until `signal` aborts, then shuts down gracefully and resolves. Rejects if the consumer
 * crashes in a way kafkajs does not restart from, or if the broker cannot be reached at start.
 */
export async function runConsumer(options: RunConsumerOptions): Promise<void> {
  await new KafkaIngest(options).run()
}

interface PartitionState {
  cutter: BatchCutter<KafkaMessage>
  /** The first offset not yet committed by this member: where fetching resumes after an error. */
  nextToCommit: number
}

/** A validated row ready to insert, with the message it came from (to dead-letter it if the store refuses it). */
interface PreparedRow {
  line: string
  message: KafkaMessage
}

interface PreparedRun {
  rows: PreparedRow[]
  refusals: Refusal[]
}

class KafkaIngest {
  private readonly settings: KafkaSettings
  private readonly batching: BatchingSettings
  private readonly tuning: ConsumerTuning
  private readonly writer: BatchWriter
  private readonly metrics: IngestMetrics
  private readonly log: Logger
  private readonly signal: AbortSignal
  private readonly source: string
  /** Per-partition state of the current group generation; emptied on every join. */
  private readonly partitions = new Map<number, PartitionState>()
  private consumer: Consumer | undefined
  private producer: Producer | undefined
  private admin: Admin | undefined
  private stopping = false
  private batchesInHand = 0
  private whenIdle: (() => void) | undefined
  /** Batches currently waiting for the store; the topic is paused while any is. */
  private waitingForStore = 0

  constructor(options: RunConsumerOptions) {
    this.settings = options.kafka
    this.batching = options.batching
    this.tuning = {
      backoff: DEFAULT_BACKOFF,
      statsIntervalMs: DEFAULT_STATS_INTERVAL_MS,
      partitionsConsumedConcurrently: DEFAULT_PARTITIONS_CONCURRENTLY,
      sessionTimeoutMs: DEFAULT_SESSION_TIMEOUT_MS,
      minFetchBytes: fetchOptions(options.batching).minBytes,
      ...options.tuning,
    }
    this.writer = new BatchWriter(options.store)
    this.metrics = options.metrics
    this.log = options.log.child({ component: 'kafka-ingest', topic: options.kafka.topic })
    this.signal = options.signal
    this.source = `kafka:${options.kafka.topic}`
  }

  async run(): Promise<void> {
    if (this.signal.aborted) return
    const { topic, dlqTopic, groupId } = this.settings
    const kafka = createKafka(this.settings, this.log)
    const admin = kafka.admin()
    this.admin = admin
    let statsTimer: NodeJS.Timeout | undefined
    try {
      await admin.connect()
      const partitionCounts = await ensureTopics(admin, [
        { topic, partitions: DEFAULT_TOPIC_PARTITIONS },
        { topic: dlqTopic, partitions: DLQ_TOPIC_PARTITIONS },
      ])
      const producer = kafka.producer({
        allowAutoTopicCreation: false,
        createPartitioner: Partitioners.DefaultPartitioner,
      })
      this.producer = producer
      await producer.connect()

      const { batchRows, batchBytes, batchAgeMs } = this.batching
      const consumer = kafka.consumer({
        groupId,
        sessionTimeout: this.tuning.sessionTimeoutMs,
        ...fetchOptions(this.batching, this.tuning.minFetchBytes),
        allowAutoTopicCreation: false,
        retry: {
          // kafkajs restarts a crashed consumer (e.g. after a broker restart) unless we are shutting down.
          restartOnFailure: async (error) => {
            this.log.warn('consumer crashed; restarting', { error: error.message })
            return !this.stopping
          },
        },
      })
      this.consumer = consumer

      const crashed = new Promise<never>((_, reject) => {
        consumer.on(consumer.events.CRASH, ({ payload }) => {
          this.metrics.lastError = payload.error.message
          if (!payload.restart && !this.stopping) reject(payload.error)
        })
      })
      crashed.catch(() => {}) // observed below through Promise.race; this only marks it handled meanwhile
      consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
        // A new generation: partitions may have moved, and kafkajs resumes each one from its committed offset.
        this.partitions.clear()
        const assigned = payload.memberAssignment[topic] ?? []
        this.log.info('joined the consumer group', { groupId, memberId: payload.memberId, partitions: assigned })
        this.tuning.onAssignment?.(assigned)
      })

      await consumer.connect()
      await consumer.subscribe({ topics: [topic], fromBeginning: true })
      statsTimer = setInterval(() => void this.reportStats(), this.tuning.statsIntervalMs)
      statsTimer.unref()
      this.log.info('consuming', {
        groupId,
        partitions: partitionCounts.get(topic),
        dlqTopic,
        batchRows,
        batchBytes,
        batchAgeMs,
      })

      if (this.signal.aborted) return
      // Resolves once the first join is done; kafkajs cannot be stopped cleanly while it is still joining.
      await consumer.run({
        autoCommit: false,
        eachBatchAutoResolve: false,
        partitionsConsumedConcurrently: this.tuning.partitionsConsumedConcurrently,
        eachBatch: (payload) => this.eachBatch(payload),
      })
      const stopped = new Promise<void>((resolve, reject) => {
        const stop = () => this.shutdown().then(resolve, reject)
        if (this.signal.aborted) stop()
        else this.signal.addEventListener('abort', stop, { once: true })
      })
      await Promise.race([stopped, crashed])
    } finally {
      clearInterval(statsTimer)
      await this.disconnectAll()
    }
  }

  /** Stop fetching, let the batches in hand finish (stored, dead letters sent, committed), then leave the group. */
  private async shutdown(): Promise<void> {
    this.stopping = true
    const consumer = this.consumer
    if (!consumer) return
    this.log.info('stopping: finishing the batches in hand')
    try {
      // Pausing (rather than stopping) keeps kafkajs running, so the commits of the batches in hand go through.
      consumer.pause([{ topic: this.settings.topic }])
    } catch (error) {
      // Only before consumer.run() has started; there is nothing in hand then.
      this.log.debug('pause before run', { error: String(error) })
    }
    if (this.batchesInHand > 0) await new Promise<void>((resolve) => (this.whenIdle = resolve))
    await consumer.disconnect()
    this.log.info('left the consumer group')
  }

  private async disconnectAll(): Promise<void> {
    const results = await Promise.allSettled([
      this.consumer?.disconnect(),
      this.producer?.disconnect(),
      this.admin?.disconnect(),
    ])
    for (const result of results) {
      if (result.status === 'rejected') this.log.warn('disconnect failed', { error: String(result.reason) })
    }
  }

  private async eachBatch(payload: EachBatchPayload): Promise<void> {
    // A batch fetched just before shutdown is left unresolved and uncommitted: the next owner reads it.
    if (this.stopping) return
    const { partition } = payload.batch
    this.batchesInHand++
    try {
      await this.consumeBatch(payload)
    } catch (error) {
      // Messages held for a recorded batch were resolved but not stored: fetch again from the last commit.
      const state = this.partitions.get(partition)
      this.partitions.delete(partition)
      if (state) {
        this.consumer?.seek({ topic: this.settings.topic, partition, offset: String(state.nextToCommit) })
      }
      this.metrics.lastError = error instanceof Error ? error.message : String(error)
      throw error
    } finally {
      this.batchesInHand--
      if (this.batchesInHand === 0 && this.whenIdle) this.whenIdle()
    }
  }

  private async consumeBatch({ batch, resolveOffset, heartbeat, isStale }: EachBatchPayload): Promise<void> {
    const first = batch.messages[0]
    if (!first) return
    const { topic, partition } = batch
    let opened = this.partitions.get(partition)
    if (!opened) {
      opened = await this.openPartition(partition, Number(first.offset), heartbeat)
      if (!opened) return
      this.partitions.set(partition, opened)
    }
    const state = opened
    this.metrics.recordReceived(batch.messages.length)
    const { runs, held } = state.cutter.cut(batch.messages)
    // Runs are committed in order; the next run is validated while the engine inserts the current one.
    let storing: { run: Run<KafkaMessage>; stored: Promise<boolean> } | undefined
    const commit = async (run: Run<KafkaMessage>, stored: Promise<boolean>): Promise<boolean> => {
      if (!(await stored)) return false
      await this.consumer?.commitOffsets([{ topic, partition, offset: String(run.lastOffset + 1) }])
      state.nextToCommit = run.lastOffset + 1
      resolveOffset(String(run.lastOffset))
      await heartbeat()
      return true
    }
    try {
      for (const run of runs) {
        if (isStale()) break
        const prepared = this.prepareRun(run)
        if (storing) {
          const previous = storing
          storing = undefined
          if (!(await commit(previous.run, previous.stored))) return
        }
        storing = { run, stored: this.storeRun(partition, run, prepared, heartbeat) }
      }
      if (storing) {
        const last = storing
        storing = undefined
        if (!(await commit(last.run, last.stored))) return
      }
    } finally {
      // Left by a failure while an insert was in flight: it is not committed, but it is waited for.
      if (storing) {
        await storing.stored.catch((error: unknown) =>
          this.log.warn('insert in flight failed after an earlier failure', { error: String(error) }),
        )
      }
    }
    const lastHeld = held.at(-1)
    // Fetching moves past the held messages; they are stored (and committed) with the rest of their batch.
    if (lastHeld) resolveOffset(lastHeld.offset)
  }

  /** The first batch of a partition in this generation: load the ledger's batches that may need re-sending. */
  private async openPartition(
    partition: number,
    fromOffset: number,
    heartbeat: () => Promise<void>,
  ): Promise<PartitionState | undefined> {
    const entries = await this.whileStoreUnavailable(
      () => this.writer.inDoubt(this.source, partition, fromOffset),
      heartbeat,
    )
    if (entries === undefined) return undefined
    const { plan, straddling } = recoveryPlan(entries, fromOffset)
    if (straddling.length > 0) {
      this.log.warn('ledger batches straddle the committed offset and cannot be re-formed', {
        partition,
        fromOffset,
        batches: straddling,
      })
    }
    if (plan.length > 0) {
      this.log.info('re-forming recorded batches', {
        partition,
        batches: plan.length,
        firstOffset: plan[0]?.firstOffset,
        lastOffset: plan.at(-1)?.lastOffset,
      })
    }
    return { cutter: new BatchCutter(plan, this.batching.batchRows), nextToCommit: fromOffset }
  }

  /** Validates a run's messages: rows to insert (ids repeated within the run dropped) and refusals. */
  private prepareRun(run: Run<KafkaMessage>): PreparedRun {
    const nowMs = Date.now()
    const rows: PreparedRow[] = []
    const refusals: Refusal[] = []
    const ids = new Set<string>()
    for (const message of run.messages) {
      const checked = validateMessage(message.value, nowMs)
      if (!checked.ok) {
        this.metrics.recordRejected(checked.reason)
        refusals.push({ message, reason: checked.reason, error: checked.message })
        continue
      }
      if (ids.has(checked.event.id)) {
        this.metrics.duplicates++
        continue
      }
      ids.add(checked.event.id)
      rows.push({ line: JSON.stringify(checked.event), message })
    }
    return { rows, refusals }
  }

  /**
   * Stores a prepared run's rows and dead-letters its refusals. Resolves true once both are acknowledged, false if
   * shutdown came while the store was unavailable (then nothing may be committed).
   */
  private async storeRun(
    partition: number,
    run: Run<KafkaMessage>,
    { rows, refusals }: PreparedRun,
    heartbeat: () => Promise<void>,
  ): Promise<boolean> {
    // The insert and the dead letters proceed together; both must be acknowledged before the commit.
    const sent = this.sendDeadLetters(partition, refusals)
    const [storing, sending] = await Promise.allSettled([this.storeRows(partition, run, rows, heartbeat), sent])
    if (storing.status === 'rejected') {
      if (sending.status === 'rejected') this.log.error('dead letters failed', { error: String(sending.reason) })
      throw storing.reason
    }
    if (sending.status === 'rejected') throw sending.reason
    if (storing.value === undefined) return false
    if (storing.value.length > 0) {
      const refused = storing.value.map(
        (row): Refusal => ({ message: row.message, reason: 'store_rejected', error: row.error }),
      )
      for (let i = 0; i < refused.length; i++) this.metrics.recordRejected('store_rejected')
      await this.sendDeadLetters(partition, refused)
    }
    return true
  }

  /**
   * Stores rows as one batch on `range`. If the store refuses them for data reasons, halves are stored as their
   * own batches (own ledger entry, own token) down to single rows, which are returned as refused. Resolves
   * undefined if shutdown came while the store was unavailable.
   */
  private async storeRows(
    partition: number,
    range: OffsetRange,
    rows: readonly PreparedRow[],
    heartbeat: () => Promise<void>,
  ): Promise<Array<PreparedRow & { error: string }> | undefined> {
    if (rows.length === 0) return []
    const batch: PreparedBatch = {
      source: this.source,
      partition,
      firstOffset: range.firstOffset,
      lastOffset: range.lastOffset,
      rows: rows.length,
      jsonLines: rows.map((row) => row.line).join('\n'),
    }
    let insertMs: number | undefined
    try {
      insertMs = await this.whileStoreUnavailable(async () => {
        const started = performance.now()
        await this.writer.writePrepared(batch)
        return performance.now() - started
      }, heartbeat)
      if (insertMs === undefined) return undefined
    } catch (error) {
      if (!(error instanceof StoreError) || error.kind !== 'rejected') throw error
      if (rows.length === 1) return [{ ...(rows[0] as PreparedRow), error: error.message }]
      this.log.warn('store refused a batch; splitting it to isolate the bad rows', {
        partition,
        firstOffset: range.firstOffset,
        lastOffset: range.lastOffset,
        rows: rows.length,
        error: error.message,
      })
      const middle = rows.length >> 1
      const refused: Array<PreparedRow & { error: string }> = []
      for (const half of [rows.slice(0, middle), rows.slice(middle)]) {
        const halfRange = {
          firstOffset: Number((half[0] as PreparedRow).message.offset),
          lastOffset: Number((half.at(-1) as PreparedRow).message.offset),
        }
        const result = await this.storeRows(partition, halfRange, half, heartbeat)
        if (result === undefined) return undefined
        refused.push(...result)
      }
      return refused
    }
    this.metrics.recordStored(rows.length, insertMs)
    return []
  }

  /**
   * Runs a store action, retrying with backoff and jitter while the store is unavailable. Meanwhile the topic is
   * paused (no new fetches) and the group membership is kept by heartbeats. Resolves undefined on shutdown.
   */
  private async whileStoreUnavailable<T>(
    action: () => Promise<T>,
    heartbeat: () => Promise<void>,
  ): Promise<T | undefined> {
    let waiting = false
    try {
      for (let attempt = 0; ; attempt++) {
        try {
          return await action()
        } catch (error) {
          if (!(error instanceof StoreError) || error.kind !== 'unavailable') throw error
          this.metrics.storeRetries++
          this.metrics.lastError = error.message
          if (!waiting) {
            waiting = true
            this.storeWaitBegins(error)
          }
          if (this.signal.aborted) return undefined
          await sleep(backoffDelay(attempt, this.tuning.backoff), this.signal)
          if (this.signal.aborted) return undefined
          await heartbeat()
        }
      }
    } finally {
      if (waiting) this.storeWaitEnds()
    }
  }

  private storeWaitBegins(error: StoreError): void {
    if (this.waitingForStore++ > 0) return
    this.log.warn('store unavailable: pausing the topic and retrying', { error: error.message })
    this.metrics.paused = true
    this.consumer?.pause([{ topic: this.settings.topic }])
  }

  private storeWaitEnds(): void {
    if (--this.waitingForStore > 0) return
    this.metrics.paused = false
    if (this.stopping) return
    this.log.info('store answers again: resuming the topic')
    this.consumer?.resume([{ topic: this.settings.topic }])
  }

  private async sendDeadLetters(partition: number, refusals: readonly Refusal[]): Promise<void> {
    if (refusals.length === 0) return
    const producer = this.producer
    if (!producer) throw new Error('the dead-letter producer is not connected')
    const failedAt = new Date()
    await producer.send({
      topic: this.settings.dlqTopic,
      acks: -1,
      messages: refusals.map((refusal) => deadLetter(this.settings.topic, partition, refusal, failedAt)),
    })
    this.metrics.deadLettered += refusals.length
  }

  /** Measures lag per partition (high watermark minus the group's committed offset) and logs a stats line. */
  private async reportStats(): Promise<void> {
    const admin = this.admin
    if (!admin || this.stopping) return
    const { topic, groupId } = this.settings
    try {
      const [ends, committed] = await Promise.all([
        admin.fetchTopicOffsets(topic),
        admin.fetchOffsets({ groupId, topics: [topic] }),
      ])
      const committedByPartition = new Map(
        (committed[0]?.partitions ?? []).map((p) => [p.partition, Number(p.offset)] as const),
      )
      for (const end of ends) {
        const from = Math.max(committedByPartition.get(end.partition) ?? -1, Number(end.low))
        this.metrics.lag.set(`${topic}/${end.partition}`, Math.max(0, Number(end.high) - from))
      }
    } catch (error) {
      this.log.warn('could not measure consumer lag', { error: String(error) })
    }
    const s = this.metrics.snapshot()
    this.log.info('ingest stats', {
      receivedPerSecond: s.receivedPerSecond,
      storedPerSecond: s.storedPerSecond,
      received: s.received,
      stored: s.stored,
      deadLettered: s.deadLettered,
      duplicates: s.duplicates,
      lastInsertMs: s.lastInsertMs === null ? null : Math.round(s.lastInsertMs),
      lag: s.lag,
      totalLag: s.totalLag,
      paused: s.paused,
      storeRetries: s.storeRetries,
    })
  }
}
