/**
 * The seed story as the product's data source without Kafka: the story week replayed into the store (generated at
 * a scale, or the checked-in sample), and synthetic events at the current time so the live view moves, the hours
 * before start filled in first so a live range is whole from the first view.
 */
import type { StoryInfo } from '@trendlens/contract'
import {
  generateScenario,
  LIVE_ID_PREFIX,
  liveEvents,
  readSample,
  SAMPLE_SCALE,
  STORY_ANNOTATION_ROWS,
  STORY_INFO,
} from '@trendlens/fixtures'
import { BatchWriter, type IngestMetrics, type Logger, runReplay, sleep } from '@trendlens/ingest'
import type { Store } from '@trendlens/sql'
import type { Config } from './config.ts'

/** What the API is told of the story, and the annotations written at first start. */
export const SEED_STORY: { info: StoryInfo; annotations: typeof STORY_ANNOTATION_ROWS } = {
  info: STORY_INFO,
  annotations: STORY_ANNOTATION_ROWS,
}

/** Events of the seed story per unit of scale (measured: scale 0.001 gives ~246k), for the load's progress. */
export const SCENARIO_EVENTS_PER_SCALE = 246_000_000

/** The sample is replayed in fixed-size chunks so its batch boundaries are the same on every run. */
const SAMPLE_CHUNK = 1000

/** Replays the story (resuming where a previous run stopped) while the live feed runs; ends when both do. */
export async function replaySeedStory(
  config: Config,
  store: Store,
  metrics: IngestMetrics,
  log: Logger,
  signal: AbortSignal,
): Promise<void> {
  const writer = new BatchWriter(store)
  const fromSample = config.seed.source === 'sample'
  const scale = fromSample ? SAMPLE_SCALE : config.seed.scale
  const sample = fromSample ? readSample() : undefined
  const live =
    config.seed.liveRate > 0
      ? runLiveFeed(config.seed.liveRate, config.ingest.batchRows, store, writer, metrics, log, signal)
      : undefined
  const started = performance.now()
  const result = await runReplay({
    source: fromSample ? 'sample' : `seed:scale=${scale}:seed=1`,
    chunks: () => (sample ? chunked(sample, SAMPLE_CHUNK) : generateScenario({ scale, seed: 1 })),
    writer,
    metrics,
    batchRows: config.ingest.batchRows,
    signal,
    log: (message, fields) => log.info(message, fields),
    expectedRows: sample ? sample.length : Math.round(scale * SCENARIO_EVENTS_PER_SCALE),
    reportsLoad: true,
  })
  const seconds = (performance.now() - started) / 1000
  log.info('seed story loaded', {
    scale,
    stored: result.stored,
    rejected: result.rejected,
    resumedFromChunk: result.resumedFrom,
    seconds: Number(seconds.toFixed(1)),
    rowsPerSecond: Math.round(result.stored / Math.max(seconds, 0.001)),
  })
  await live
}

/**
 * The live feed is stored every few seconds rather than every second: each insert writes a part to the raw table and
 * every rollup and wakes their merges, which is most of what an idle product spends; the live view still moves.
 */
const LIVE_INSERT_SECONDS = 5

/**
 * How far back the live feed fills in at start: "Last 24h", and "Today" in any zone, hold the day's pattern (China
 * by Beijing day, the US by Beijing night) from the first view instead of growing from nothing.
 */
export const LIVE_BACKFILL_MS = 24 * 3_600_000

/**
 * Synthetic events: first the time before start that no earlier run stored (the last LIVE_BACKFILL_MS on a first
 * start, the gap since the newest stored live event on a restart, so nothing is stored twice), in large batches;
 * then the current time, one chunk a second, stored every LIVE_INSERT_SECONDS.
 */
async function runLiveFeed(
  ratePerSecond: number,
  backfillBatchRows: number,
  store: Store,
  writer: BatchWriter,
  metrics: IngestMetrics,
  log: Logger,
  signal: AbortSignal,
): Promise<void> {
  const startMs = Math.floor(Date.now() / 1000) * 1000
  const [stored] = await store.queryOnWriter('ingest_live_newest', {
    since: startMs - LIVE_BACKFILL_MS,
    prefix: LIVE_ID_PREFIX,
  })
  const newest = stored?.newest_ms ?? 0
  // Replays and the live feed store whole seconds, so the newest stored event's second is the last one stored.
  const backfillFrom = newest > 0 ? Math.floor(newest / 1000) * 1000 + 1000 : startMs - LIVE_BACKFILL_MS
  const liveFrom = Math.max(startMs, backfillFrom)
  if (backfillFrom < startMs) {
    const seconds = (startMs - backfillFrom) / 1000
    const result = await runReplay({
      source: `live:${backfillFrom.toString(36)}`,
      chunks: () =>
        firstChunks(liveEvents({ startMs: backfillFrom, ratePerSecond, seed: backfillFrom % 2 ** 31 }), seconds),
      writer,
      metrics,
      batchRows: backfillBatchRows,
      signal,
      progressEveryMs: 0,
    })
    log.info('live backfill stored', {
      from: new Date(backfillFrom).toISOString(),
      to: new Date(startMs).toISOString(),
      rows: result.stored,
      rejected: result.rejected,
    })
  }
  await runReplay({
    source: `live:${liveFrom.toString(36)}`,
    chunks: () => liveEvents({ startMs: liveFrom, ratePerSecond, seed: liveFrom % 2 ** 31 }),
    writer,
    metrics,
    batchRows: Math.max(1, Math.round(ratePerSecond * LIVE_INSERT_SECONDS)),
    signal,
    pace: (offset, paceSignal) => sleep(Math.max(0, liveFrom + (offset + 1) * 1000 - Date.now()), paceSignal),
    progressEveryMs: 0,
    log: (message, fields) => log.info(message, fields),
  })
}

function* firstChunks<T>(chunks: Iterable<T>, count: number): Generator<T> {
  if (count <= 0) return
  let taken = 0
  for (const chunk of chunks) {
    yield chunk
    if (++taken >= count) return
  }
}

function* chunked<T>(items: readonly T[], size: number): Generator<T[]> {
  for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size)
}
