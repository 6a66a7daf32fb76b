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

import type { IngestStateReason } from '@trendlens/contract'
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
import type { Logger } from '../log.ts'
import type { IngestMetrics } from '../metrics.ts'
import { type Backoff, backoffDelay, DEFAULT_BACKOFF, sleep } from '../retry.ts'
import { MAX_KAFKA_PARTITIONS } from '../user-numbers.ts'
import { validateMessage } from '../validation.ts'
import { BatchCutter, type OffsetRange, type Run, recoveryPlan } from './batching.ts'
import {
  createKafka,
  DEFAULT_TOPIC_PARTITIONS,
  DLQ_TOPIC_PARTITIONS,
  ensureTopics,
  type KafkaSettings,
  topicMaxMessageBytes,
} from './client.ts'
import { chunkDeadLetters, DEFAULT_MAX_MESSAGE_BYTES, deadLetter, type Refusal } from './dead-letter.ts'
import { LagMonitor } from './lag-monitor.ts'
import { SeenIds } from './seen-ids.ts'

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
  /** No progress for this long while lag is above zero makes the ingest `stuck`. */
  stuckAfterMs: number
  /** Waits between restarts of a consumer that failed (exponential, with jitter). */
  restartBackoff: Backoff
  /** Event time during which a resent event id is recognised and left out; 0 turns the check off. */
  dedupWindowMs: number
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
/** Far longer than any insert or fetch wait: a minute without progress while events wait is not slowness. */
const DEFAULT_STUCK_AFTER_MS = 60_000
const DEFAULT_RESTART_BACKOFF: Backoff = { initialMs: 1_000, maxMs: 30_000 }
/** Upstream producers resend within seconds or minutes; a day of event time covers any retry policy in use. */
const DEFAULT_DEDUP_WINDOW_MS = 24 * 60 * 60 * 1000
/** Fewer sends to the dead-letter topic retried inside kafkajs: the ingest's own loop retries, visibly paused. */
const DLQ_SEND_RETRY = { initialRetryTime: 300, maxRetryTime: 2_000, retries: 2 }
/** The smallest limit the dead-letter sends shrink to when the broker keeps refusing them as too large. */
const MIN_DLQ_LIMIT_BYTES = 4_096

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
 * Runs the Kafka ingest until `signal` aborts, then shuts down gracefully and resolves. A consumer that fails is
 * restarted with backoff (the state is `stopped`, with the error, meanwhile), so the ingest never halts for good.
 * Lag is read from the broker by a monitor of its own, so it is known while the consumer is down.
 */
export async function runConsumer(options: RunConsumerOptions): Promise<void> {
  const tuning: ConsumerTuning = {
    backoff: DEFAULT_BACKOFF,
    statsIntervalMs: DEFAULT_STATS_INTERVAL_MS,
    partitionsConsumedConcurrently: DEFAULT_PARTITIONS_CONCURRENTLY,
    sessionTimeoutMs: DEFAULT_SESSION_TIMEOUT_MS,
    minFetchBytes: fetchOptions(options.batching).minBytes,
    stuckAfterMs: DEFAULT_STUCK_AFTER_MS,
    restartBackoff: DEFAULT_RESTART_BACKOFF,
    dedupWindowMs: DEFAULT_DEDUP_WINDOW_MS,
    ...options.tuning,
  }
  const { metrics, signal } = options
  const log = options.log.child({ component: 'kafka-ingest', topic: options.kafka.topic })
  const consumer = { joined: false }
  const seen = new SeenIds(tuning.dedupWindowMs)
  const monitor = new LagMonitor({
    kafka: options.kafka,
    metrics,
    log,
    intervalMs: tuning.statsIntervalMs,
    stuckAfterMs: tuning.stuckAfterMs,
    consuming: () => consumer.joined,
  })
  monitor.start()
  try {
    for (let failures = 0; !signal.aborted; failures++) {
      const session = new KafkaIngest(options, tuning, log, consumer, seen)
      try {
        await session.run()
        if (signal.aborted) return
        throw new Error('the consumer stopped by itself')
      } catch (error) {
        consumer.joined = false
        if (signal.aborted) return
        const detail = error instanceof Error ? error.message : String(error)
        metrics.setState('stopped', { code: 'consumer_failed', detail })
        if (session.progressed) failures = 0
        const delayMs = backoffDelay(failures, tuning.restartBackoff)
        log.error('the consumer failed; restarting it', { error: detail, restartInMs: delayMs })
        await sleep(delayMs, signal)
      }
    }
  } finally {
    await monitor.stop()
  }
}

/**
 * One consumer session: connects, joins the group and consumes until `signal` aborts (then shuts down gracefully
 * and resolves). Rejects if the consumer
 * crashes in a way kafkajs does not restart from, or if the broker cannot be reached at start.
 */

interface PartitionState {
  cutter: BatchCutter<KafkaMessage>
  /** The first offset not yet committed by this member: where fetching resumes after an error. */
  nextToCommit: number
  /** Ids kept by the run being stored: the next run is validated meanwhile and must see them too. */
  inFlight: ReadonlyMap<string, number> | undefined
}

/** A validated row ready to insert, with the message it came from (to dead-letter it if the store refuses it). */
interface PreparedRow {
  line: string
  message: KafkaMessage
  userId: string
}

interface PreparedRun {
  rows: PreparedRow[]
  refusals: Refusal[]
  /** Offsets left out as resends of an id already stored or kept earlier. */
  dropped: number[]
  /** Ids kept, with their event time; they join the dedup window once the run is committed. */
  kept: Map<string, number>
  /** The newest event time among the kept rows (0 if none). */
  maxTs: number
}

class KafkaIngest {
  private readonly settings: KafkaSettings
  private readonly batching: BatchingSettings
  private readonly writer: BatchWriter
  private readonly store: WriterStore
  /** The dedup window's ids loaded from the store for this group generation (shared by its partitions). */
  private seenLoaded: Promise<boolean> | undefined
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
  /** What the topic is paused for: each reason with the batches waiting on it. Fetching resumes when none is left. */
  private readonly waiting = new Map<IngestStateReason['code'], { batches: number; reason: IngestStateReason }>()
  /** The dead-letter topic's `max.message.bytes`; lowered if the broker still refuses a send as too large. */
  private dlqLimitBytes = DEFAULT_MAX_MESSAGE_BYTES
  /** True once this session has committed something. */
  progressed = false

  constructor(
    options: RunConsumerOptions,
    private readonly tuning: ConsumerTuning,
    log: Logger,
    private readonly status: { joined: boolean },
    private readonly seen: SeenIds,
  ) {
    this.store = options.store
    this.settings = options.kafka
    this.batching = options.batching
    this.writer = new BatchWriter(options.store)
    this.metrics = options.metrics
    this.log = log
    this.signal = options.signal
    this.source = `kafka:${options.kafka.topic}`
  }

  async run(): Promise<void> {
    if (this.signal.aborted) return
    const { topic, dlqTopic, groupId } = this.settings
    const kafka = createKafka(this.settings, this.log)
    const admin = kafka.admin()
    this.admin = admin
    let removeStopListener = () => {}
    try {
      await admin.connect()
      const partitionCounts = await ensureTopics(admin, [
        { topic, partitions: DEFAULT_TOPIC_PARTITIONS },
        { topic: dlqTopic, partitions: DLQ_TOPIC_PARTITIONS },
      ])
      const partitions = partitionCounts.get(topic) ?? 0
      if (partitions > MAX_KAFKA_PARTITIONS) {
        // Each partition numbers its new users in a range of its own (see user-numbers.ts), and there are 255.
        throw new Error(
          `topic ${topic} has ${partitions} partitions; the ingest numbers users per partition and supports at ` +
            `most ${MAX_KAFKA_PARTITIONS}`,
        )
      }
      this.dlqLimitBytes = await this.readDlqLimit(admin)
      const producer = kafka.producer({
        allowAutoTopicCreation: false,
        createPartitioner: Partitioners.DefaultPartitioner,
        retry: DLQ_SEND_RETRY,
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
          this.status.joined = false
          if (!this.stopping) {
            this.metrics.setState('stopped', { code: 'consumer_failed', detail: payload.error.message })
          }
          if (!payload.restart && !this.stopping) reject(payload.error)
        })
      })
      crashed.catch(() => {}) // observed below through Promise.race; this only marks it handled meanwhile
      consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
        // A new generation: partitions may have moved, and kafkajs resumes each one from its committed offset.
        this.partitions.clear()
        // Partitions may come from another member: ids it stored since are loaded before the first batch.
        this.seenLoaded = undefined
        this.status.joined = true
        // A failed consumer that joins again is not yet well: it is `running` again once it commits.
        if (this.metrics.state === 'starting') this.metrics.running()
        const assigned = payload.memberAssignment[topic] ?? []
        // Another worker may have numbered users in these partitions' ranges while it held them.
        void this.writer.partitionsAssigned(assigned)
        this.log.info('joined the consumer group', { groupId, memberId: payload.memberId, partitions: assigned })
        this.tuning.onAssignment?.(assigned)
      })

      await consumer.connect()
      await consumer.subscribe({ topics: [topic], fromBeginning: true })
      this.log.info('consuming', {
        groupId,
        partitions: partitionCounts.get(topic),
        dlqTopic,
        dlqMaxMessageBytes: this.dlqLimitBytes,
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
        else {
          this.signal.addEventListener('abort', stop, { once: true })
          // A session that crashes is replaced by a new one: it must not leave its listener behind.
          removeStopListener = () => this.signal.removeEventListener('abort', stop)
        }
      })
      await Promise.race([stopped, crashed])
    } finally {
      removeStopListener()
      this.status.joined = false
      await this.disconnectAll()
    }
  }

  /** The dead-letter topic's limit, or Kafka's default when the broker does not tell. */
  private async readDlqLimit(admin: Admin): Promise<number> {
    try {
      const limit = await topicMaxMessageBytes(admin, this.settings.dlqTopic)
      if (limit !== undefined) return limit
      this.log.warn('the dead-letter topic has no max.message.bytes; assuming the default', {
        assumed: DEFAULT_MAX_MESSAGE_BYTES,
      })
    } catch (error) {
      this.log.warn("could not read the dead-letter topic's max.message.bytes; assuming the default", {
        assumed: DEFAULT_MAX_MESSAGE_BYTES,
        error: String(error),
      })
    }
    return DEFAULT_MAX_MESSAGE_BYTES
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
      if (!this.stopping) {
        const detail = error instanceof Error ? error.message : String(error)
        this.metrics.setState('stopped', { code: 'consumer_failed', detail })
      }
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
    let storing: { run: Run<KafkaMessage>; stored: Promise<boolean>; prepared: PreparedRun } | undefined
    const commit = async (
      run: Run<KafkaMessage>,
      stored: Promise<boolean>,
      prepared: PreparedRun,
    ): Promise<boolean> => {
      const { kept, maxTs } = prepared
      if (!(await stored)) return false
      await this.consumer?.commitOffsets([{ topic, partition, offset: String(run.lastOffset + 1) }])
      state.nextToCommit = run.lastOffset + 1
      for (const [id, ts] of kept) this.seen.add(id, ts)
      if (maxTs > 0) this.seen.advance(partition, maxTs)
      this.seen.sweep()
      if (state.inFlight === kept) state.inFlight = undefined
      this.committed()
      resolveOffset(String(run.lastOffset))
      await heartbeat()
      return true
    }
    try {
      for (const run of runs) {
        if (isStale()) break
        const prepared = this.prepareRun(run, state.inFlight)
        if (storing) {
          const previous = storing
          storing = undefined
          if (!(await commit(previous.run, previous.stored, previous.prepared))) return
        }
        state.inFlight = prepared.kept
        storing = { run, stored: this.storeRun(partition, run, prepared, heartbeat), prepared }
      }
      if (storing) {
        const last = storing
        storing = undefined
        if (!(await commit(last.run, last.stored, last.prepared))) return
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
    if (!(await this.loadSeen(heartbeat))) return undefined
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
    return { cutter: new BatchCutter(plan, this.batching.batchRows), nextToCommit: fromOffset, inFlight: undefined }
  }

  /**
   * Loads into the dedup window the ids the store holds within the window of its newest event time (once per group
   * generation): after a crash or a rebalance, ids stored by this worker's previous life or another member count.
   * Resolves false on shutdown.
   */
  private loadSeen(heartbeat: () => Promise<void>): Promise<boolean> {
    if (!this.seen.enabled) return Promise.resolve(true)
    this.seenLoaded ??= (async () => {
      const started = performance.now()
      const partitions = await this.whileStoreUnavailable(
        () => this.store.queryOnWriter('ingest_partition_event_times', { source: this.source }),
        heartbeat,
      )
      if (partitions === undefined) return false
      this.seen.resetPartitions(new Map(partitions.map((p) => [p.partition, p.newest_ts])))
      // From the slowest partition's event time (all partitions of the topic, whoever owns them), or, for a topic
      // never consumed, from the newest stored event.
      const from = this.seen.windowStart()
      const rows = await this.whileStoreUnavailable(
        () =>
          from === undefined
            ? this.store.queryOnWriter('ingest_recent_ids', { window_ms: this.seen.windowMs })
            : this.store.queryOnWriter('ingest_ids_since', { from_ms: from }),
        heartbeat,
      )
      if (rows === undefined) return false
      for (const row of rows) this.seen.add(row.id, row.ts)
      this.seen.sweep()
      this.log.info('dedup window loaded', {
        storedIds: rows.length,
        windowIds: this.seen.size,
        ms: Math.round(performance.now() - started),
      })
      return true
    })().catch((error: unknown) => {
      this.seenLoaded = undefined
      throw error
    })
    return this.seenLoaded
  }

  /**
   * Validates a run's messages into rows to insert and refusals, leaving out resends: an id repeated within the run,
   * or already in the dedup window or in the run being stored. A recorded run (re-formed after a crash) leaves out
   * exactly the offsets its ledger entry lists instead of consulting the window, which by now may hold its own
   * ids (its raw part may have landed before the crash while its rollup parts did not): the same rows, the same
   * token, whatever landed.
   */
  private prepareRun(run: Run<KafkaMessage>, inFlight: ReadonlyMap<string, number> | undefined): PreparedRun {
    const nowMs = Date.now()
    const rows: PreparedRow[] = []
    const refusals: Refusal[] = []
    const dropped: number[] = []
    const kept = new Map<string, number>()
    const recordedDrops = run.recorded ? new Set(run.dropped ?? []) : undefined
    let maxTs = 0
    for (const message of run.messages) {
      const checked = validateMessage(message.value, nowMs)
      if (!checked.ok) {
        this.metrics.recordRejected(checked.reason)
        refusals.push({ message, reason: checked.reason, error: checked.message })
        continue
      }
      const { id, ts } = checked.event
      const offset = Number(message.offset)
      const resent = recordedDrops
        ? recordedDrops.has(offset) || kept.has(id)
        : kept.has(id) || this.seen.has(id) || inFlight?.has(id) === true
      if (resent) {
        this.metrics.duplicates++
        dropped.push(offset)
        continue
      }
      kept.set(id, ts)
      if (ts > maxTs) maxTs = ts
      rows.push({ line: JSON.stringify(checked.event), message, userId: checked.event.user_id })
    }
    return { rows, refusals, dropped, kept, maxTs }
  }

  /**
   * Stores a prepared run's rows and dead-letters its refusals. Resolves true once both are acknowledged, false if
   * shutdown came while the store was unavailable (then nothing may be committed).
   */
  private async storeRun(
    partition: number,
    run: Run<KafkaMessage>,
    { rows, refusals, dropped, maxTs }: PreparedRun,
    heartbeat: () => Promise<void>,
  ): Promise<boolean> {
    // The insert and the dead letters proceed together; both must be acknowledged before the commit.
    const sent = this.sendDeadLetters(partition, refusals, heartbeat)
    const [storing, sending] = await Promise.allSettled([
      this.storeRows(partition, run, rows, heartbeat, { dropped, maxTs }),
      sent,
    ])
    if (storing.status === 'rejected') {
      if (sending.status === 'rejected') this.log.error('dead letters failed', { error: String(sending.reason) })
      throw storing.reason
    }
    if (sending.status === 'rejected') throw sending.reason
    if (storing.value === undefined || !sending.value) return false
    if (storing.value.length > 0) {
      const refused = storing.value.map(
        (row): Refusal => ({ message: row.message, reason: 'store_rejected', error: row.error }),
      )
      for (let i = 0; i < refused.length; i++) this.metrics.recordRejected('store_rejected')
      return this.sendDeadLetters(partition, refused, heartbeat)
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
    resends: { dropped: readonly number[]; maxTs: number } = { dropped: [], maxTs: 0 },
  ): Promise<Array<PreparedRow & { error: string }> | undefined> {
    if (rows.length === 0) return []
    const batch: PreparedBatch = {
      source: this.source,
      partition,
      firstOffset: range.firstOffset,
      lastOffset: range.lastOffset,
      rows: rows.length,
      jsonLines: rows.map((row) => row.line).join('\n'),
      userIds: [...new Set(rows.map((row) => row.userId))],
      dropped: resends.dropped,
      maxTs: resends.maxTs,
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
  private whileStoreUnavailable<T>(action: () => Promise<T>, heartbeat: () => Promise<void>): Promise<T | undefined> {
    return this.whilePaused(
      'store_unavailable',
      (error) => error instanceof StoreError && error.kind === 'unavailable',
      action,
      heartbeat,
      () => this.metrics.storeRetries++,
    )
  }

  /**
   * Runs an action, retrying with backoff and jitter while it fails with an error `waitable` accepts (any other is
   * thrown). Meanwhile the topic is paused with `code` as the reason (visible in the state and the metrics) and the
   * group membership is kept by heartbeats. Resolves undefined on shutdown.
   */
  private async whilePaused<T>(
    code: IngestStateReason['code'],
    waitable: (error: unknown) => boolean,
    action: () => Promise<T>,
    heartbeat: () => Promise<void>,
    onRetry?: () => void,
  ): Promise<T | undefined> {
    let waiting = false
    try {
      for (let attempt = 0; ; attempt++) {
        try {
          return await action()
        } catch (error) {
          if (!waitable(error)) throw error
          onRetry?.()
          const reason = { code, detail: error instanceof Error ? error.message : String(error) }
          if (!waiting) {
            waiting = true
            this.pauseFor(reason)
          } else {
            this.stillPausedFor(reason)
          }
          if (this.signal.aborted) return undefined
          await sleep(backoffDelay(attempt, this.tuning.backoff), this.signal)
          if (this.signal.aborted) return undefined
          await heartbeat()
        }
      }
    } finally {
      if (waiting) this.pauseEnds(code)
    }
  }

  private pauseFor(reason: IngestStateReason): void {
    const entry = this.waiting.get(reason.code)
    if (entry) {
      entry.batches++
      entry.reason = reason
    } else {
      this.waiting.set(reason.code, { batches: 1, reason })
      this.log.warn('pausing the topic and retrying', { reason: reason.code, error: reason.detail })
    }
    this.metrics.setState('paused', reason)
    this.consumer?.pause([{ topic: this.settings.topic }])
  }

  private stillPausedFor(reason: IngestStateReason): void {
    const entry = this.waiting.get(reason.code)
    if (entry) entry.reason = reason
    this.metrics.setState('paused', reason)
  }

  private pauseEnds(code: IngestStateReason['code']): void {
    const entry = this.waiting.get(code)
    if (!entry) return
    if (--entry.batches > 0) return
    this.waiting.delete(code)
    this.log.info('the cause of the pause is gone', { reason: code })
    const other = [...this.waiting.values()].at(-1)
    if (other) {
      this.metrics.setState('paused', other.reason)
      return
    }
    this.metrics.running()
    if (this.stopping) return
    this.log.info('resuming the topic')
    this.consumer?.resume([{ topic: this.settings.topic }])
  }

  /** A run was committed: the ingest makes progress, whatever failed before. */
  private committed(): void {
    this.progressed = true
    this.metrics.progressed()
    const state = this.metrics.state
    if ((state === 'stopped' || state === 'stuck' || state === 'starting') && this.waiting.size === 0) {
      this.metrics.running()
    }
  }

  /**
   * Sends dead letters in sends that each fit the dead-letter topic's `max.message.bytes`, a letter too large for
   * it cut to fit. While the topic cannot be reached the ingest pauses and retries; resolves false on shutdown
   * (then nothing may be committed), true once every letter is acknowledged.
   */
  private async sendDeadLetters(
    partition: number,
    refusals: readonly Refusal[],
    heartbeat: () => Promise<void>,
  ): Promise<boolean> {
    if (refusals.length === 0) return true
    const producer = this.producer
    if (!producer) throw new Error('the dead-letter producer is not connected')
    const failedAt = new Date()
    const letters = refusals.map((refusal) => deadLetter(this.settings.topic, partition, refusal, failedAt))
    let sent = 0
    while (sent < letters.length) {
      const limit = this.dlqLimitBytes
      let refusedAsTooLarge = false
      for (const chunk of chunkDeadLetters(letters.slice(sent), limit)) {
        const acknowledged = await this.whilePaused(
          'dead_letter_unavailable',
          (error) => !isTooLarge(error),
          () => producer.send({ topic: this.settings.dlqTopic, acks: -1, messages: chunk }),
          heartbeat,
        ).catch((error: unknown) => {
          if (!isTooLarge(error) || limit <= MIN_DLQ_LIMIT_BYTES) throw error
          return 'too large' as const
        })
        if (acknowledged === undefined) return false
        if (acknowledged === 'too large') {
          // The topic's limit is lower than read (changed since, or a broker-wide cap): send smaller batches.
          this.dlqLimitBytes = Math.max(MIN_DLQ_LIMIT_BYTES, Math.min(this.dlqLimitBytes, Math.floor(limit / 2)))
          this.log.warn('the dead-letter topic refused a send as too large; sending smaller ones', {
            limitBytes: this.dlqLimitBytes,
          })
          refusedAsTooLarge = true
          break
        }
        sent += chunk.length
        this.metrics.deadLettered += chunk.length
      }
      if (!refusedAsTooLarge) break
    }
    return true
  }
}

/** The broker refused a produce request because a record batch exceeds the topic's `max.message.bytes`. */
function isTooLarge(error: unknown): boolean {
  for (let e: unknown = error; e; e = (e as { cause?: unknown }).cause) {
    const type = (e as { type?: unknown }).type
    if (type === 'MESSAGE_TOO_LARGE' || type === 'RECORD_LIST_TOO_LARGE') return true
    const errors = (e as { errors?: unknown }).errors
    if (Array.isArray(errors) && errors.some(isTooLarge)) return true
  }
  return false
}
