import type { LoadProgress, WireEvent } from '@trendlens/contract'
import type { StoredEvent } from '@trendlens/sql'
import type { BatchWriter } from './batch-writer.ts'
import type { IngestMetrics } from './metrics.ts'
import { retryWhileUnavailable } from './retry.ts'
import { validateEvent } from './validation.ts'

export interface ReplayOptions {
  /** Names the stream in the ledger; the same name resumes where the last run stopped. */
  source: string
  /** The stream, as deterministic chunks: chunk i is offset i. Called again from the start on every run. */
  chunks: () => Iterable<WireEvent[]>
  writer: BatchWriter
  metrics: IngestMetrics
  batchRows: number
  signal: AbortSignal
  /** Clock used to judge "ts too far in the future"; the scenario is historical, so replays pass Infinity-like. */
  nowMs?: () => number
  log?: (message: string, fields?: Record<string, unknown>) => void
  /** Waits before chunk `offset` is taken; a live feed uses it to release one chunk per wall-clock second. */
  pace?: (offset: number, signal: AbortSignal) => Promise<void>
  /** Rows the whole stream is expected to hold (an estimate is fine): progress gets a percentage and an ETA. */
  expectedRows?: number
  /** How often a progress line is logged while loading (0: never). */
  progressEveryMs?: number
  /** A bulk load (not a live feed): its progress is in the ingest's snapshot while it runs, for the dashboard. */
  reportsLoad?: boolean
}

/** Often enough to see a long load move, rare enough not to flood the log. */
const DEFAULT_PROGRESS_EVERY_MS = 5_000

export interface ReplayResult {
  stored: number
  rejected: number
  resumedFrom: number
}

const PARTITION = 0

/**
 * Feeds a deterministic stream through the same path as the Kafka consumer (validate → batch → ledger → insert).
 * On restart the in-doubt batch is re-formed on its recorded boundaries and re-sent; the dedup token makes that
 * a no-op if it had been stored, so nothing is loaded twice.
 */
export async function runReplay(options: ReplayOptions): Promise<ReplayResult> {
  const { writer, metrics, signal } = options
  const nowMs = options.nowMs ?? Date.now
  if (metrics.state === 'starting') metrics.running()
  const last = await retryWhileUnavailable(() => writer.last(options.source, PARTITION), { signal })
  const resumeFrom = last ? last.first_offset : 0
  const firstBatchEnd = last ? last.last_offset : undefined
  const result: ReplayResult = { stored: 0, rejected: 0, resumedFrom: resumeFrom }
  if (last) options.log?.('replay resuming', { source: options.source, fromChunk: resumeFrom })

  const progressEveryMs = options.progressEveryMs ?? DEFAULT_PROGRESS_EVERY_MS
  const started = performance.now()
  const startedAt = new Date().toISOString()
  let reportedAt = started
  // A resumed load does not know what its earlier runs stored: its figures count this run's rows.
  const expected = resumeFrom === 0 ? options.expectedRows : undefined
  const progress = (): LoadProgress => {
    const seconds = (performance.now() - started) / 1000
    const rate = result.stored / Math.max(seconds, 0.001)
    return {
      source: options.source,
      rows: result.stored,
      expectedRows: expected ?? null,
      percent: expected ? Number(Math.min(99.9, (100 * result.stored) / expected).toFixed(1)) : null,
      rowsPerSecond: Math.round(rate),
      etaSeconds: expected && rate > 0 ? Math.max(0, Math.round((expected - result.stored) / rate)) : null,
      startedAt,
    }
  }
  if (options.reportsLoad) metrics.setLoad(progress())
  const reportProgress = () => {
    if (options.reportsLoad) metrics.setLoad(progress())
    const now = performance.now()
    if (progressEveryMs <= 0 || now - reportedAt < progressEveryMs) return
    reportedAt = now
    const { rows, percent, rowsPerSecond, etaSeconds } = progress()
    options.log?.('loading', {
      source: options.source,
      rows,
      percent: percent ?? undefined,
      rowsPerSecond,
      etaSeconds: etaSeconds ?? undefined,
    })
  }

  let pending: StoredEvent[] = []
  let pendingFirst = -1
  let offset = -1
  const flush = async (lastOffset: number) => {
    const batch = {
      source: options.source,
      partition: PARTITION,
      firstOffset: pendingFirst,
      lastOffset,
      events: pending,
    }
    const started = performance.now()
    await retryWhileUnavailable(() => writer.write(batch), {
      signal,
      onRetry: (error) => {
        metrics.storeRetries++
        metrics.setState('paused', { code: 'store_unavailable', detail: error.message })
      },
    })
    if (signal.aborted) return
    if (metrics.state === 'paused') metrics.running()
    metrics.recordStored(batch.events.length, performance.now() - started)
    result.stored += batch.events.length
    pending = []
    pendingFirst = -1
  }

  try {
    for (const chunk of options.chunks()) {
      offset++
      if (signal.aborted) break
      if (offset < resumeFrom) continue
      if (options.pace) {
        await options.pace(offset, signal)
        if (signal.aborted) break
      }
      if (pendingFirst < 0) pendingFirst = offset
      metrics.recordReceived(chunk.length)
      const now = nowMs()
      for (const wire of chunk) {
        const checked = validateEvent(wire, now)
        if (checked.ok) pending.push(checked.event)
        else {
          metrics.recordRejected(checked.reason)
          result.rejected++
        }
      }
      const closesRecordedBatch = firstBatchEnd !== undefined && offset === firstBatchEnd && pendingFirst === resumeFrom
      const inRecordedBatch = firstBatchEnd !== undefined && offset < firstBatchEnd && pendingFirst === resumeFrom
      if (closesRecordedBatch || (!inRecordedBatch && pending.length >= options.batchRows)) {
        await flush(offset)
        reportProgress()
      }
      // Yield to the event loop between chunks so the API stays responsive during a long replay.
      if (offset % 16 === 0) await new Promise((resolve) => setImmediate(resolve))
    }
    if (pendingFirst >= 0 && !signal.aborted) await flush(offset)
  } finally {
    // The load is over (done, stopped or failed): the dashboard stops showing its progress.
    if (options.reportsLoad) metrics.setLoad(null)
  }
  return result
}
