import type { Admin } from 'kafkajs'
import type { Logger } from '../log.ts'
import type { IngestMetrics } from '../metrics.ts'
import { createKafka, type KafkaSettings } from './client.ts'

/** One quick retry: a broker that does not answer shows as such in the next round, not after a minute. */
const MONITOR_RETRY = { initialRetryTime: 300, maxRetryTime: 1_000, retries: 1 }

export interface LagMonitorOptions {
  kafka: KafkaSettings
  metrics: IngestMetrics
  log: Logger
  intervalMs: number
  /** No progress for this long while lag is above zero makes the ingest `stuck`. */
  stuckAfterMs: number
  /** Whether a consumer of this process is in the group now. */
  consuming: () => boolean
}

/**
 * Reads the consumer lag from the broker (each partition's end offset minus the group's committed offset) on a
 * client of its own, so the lag stays true while the consumer is down; judges `stuck`; logs the stats line.
 */
export class LagMonitor {
  private admin: Admin | undefined
  private connected = false
  private timer: NodeJS.Timeout | undefined
  private round: Promise<void> = Promise.resolve()
  private stopped = false

  constructor(private readonly options: LagMonitorOptions) {}

  start(): void {
    const kafka = createKafka(
      { brokers: this.options.kafka.brokers, clientId: `${this.options.kafka.clientId}-lag` },
      this.options.log.child({ component: 'lag-monitor' }),
      MONITOR_RETRY,
    )
    this.admin = kafka.admin()
    this.timer = setInterval(() => {
      this.round = this.round.then(() => this.report())
    }, this.options.intervalMs)
    this.timer.unref()
  }

  async stop(): Promise<void> {
    this.stopped = true
    clearInterval(this.timer)
    await this.round
    await this.admin?.disconnect().catch(() => {})
  }

  /** Lag per partition, read from the broker; undefined if the broker could not be read. */
  async measure(): Promise<Map<number, number> | undefined> {
    const admin = this.admin
    if (!admin) return undefined
    const { topic, groupId } = this.options.kafka
    try {
      if (!this.connected) {
        await admin.connect()
        this.connected = true
      }
      const [ends, committed] = await Promise.all([
        admin.fetchTopicOffsets(topic),
        admin.fetchOffsets({ groupId, topics: [topic] }),
      ])
      const committedByPartition = new Map(
        (committed[0]?.partitions ?? []).map((p) => [p.partition, Number(p.offset)] as const),
      )
      const lag = new Map<number, number>()
      for (const end of ends) {
        const from = Math.max(committedByPartition.get(end.partition) ?? -1, Number(end.low))
        lag.set(end.partition, Math.max(0, Number(end.high) - from))
      }
      return lag
    } catch (error) {
      this.connected = false
      await admin.disconnect().catch(() => {})
      this.options.log.warn('could not read the consumer lag from the broker', { error: String(error) })
      return undefined
    }
  }

  private async report(): Promise<void> {
    if (this.stopped) return
    const { metrics, kafka } = this.options
    const lag = await this.measure()
    const now = Date.now()
    if (lag) {
      metrics.lag.clear()
      for (const [partition, value] of lag) metrics.lag.set(`${kafka.topic}/${partition}`, value)
      metrics.lagMeasuredAt = now
      this.judge(now)
    }
    const s = metrics.snapshot(now)
    this.options.log.info('ingest stats', {
      state: s.state,
      reason: s.stateReason?.code,
      receivedPerSecond: s.receivedPerSecond,
      storedPerSecond: s.storedPerSecond,
      received: s.received,
      stored: s.stored,
      deadLettered: s.deadLettered,
      duplicates: s.duplicates,
      lastInsertMs: s.lastInsertMs === null ? null : Math.round(s.lastInsertMs),
      lag: s.lag,
      totalLag: s.totalLag,
      storeRetries: s.storeRetries,
    })
  }

  /** Stuck: running, events waiting, and nothing stored or committed for `stuckAfterMs`. */
  private judge(now: number): void {
    const { metrics, stuckAfterMs } = this.options
    let totalLag = 0
    for (const value of metrics.lag.values()) totalLag += value
    if (totalLag === 0) {
      // Nothing to do is progress: a quiet topic is not a stuck consumer.
      metrics.progressed(now)
      if (metrics.state === 'stuck' || (metrics.state === 'stopped' && this.options.consuming())) metrics.running(now)
      return
    }
    const idleMs = now - metrics.lastProgressAt
    if (metrics.state === 'running' && idleMs > stuckAfterMs) {
      metrics.setState(
        'stuck',
        {
          code: 'no_progress',
          detail: `nothing stored for ${Math.round(idleMs / 1000)} s while ${totalLag} events wait`,
        },
        now,
      )
    } else if (metrics.state === 'stuck' && idleMs <= stuckAfterMs) {
      metrics.running(now)
    }
  }
}
