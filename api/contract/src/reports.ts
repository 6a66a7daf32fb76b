/** What every JSON route answers: the API builds these and the dashboard reads them, both typed from here. */
import type { RejectReason } from './event.ts'
import type { Granularity } from './time.ts'

/** A range as it is reported back: local times in the zone and epoch milliseconds. */
export interface RangeInfo {
  from: string
  to: string
  fromTs: number
  toTs: number
}

export interface Kpis {
  views: number
  discussions: number
  activeUsers: number
  newUsers: number
  /** Share of events from a known country other than CN; null when no event in the period has a region. */
  foreignShare: number | null
}

/** `GET /api/overview` */
export interface OverviewReport {
  tz: string
  range: RangeInfo
  previousRange: RangeInfo
  current: Kpis
  previous: Kpis
  /** Relative change (0.25 = +25%); null when the previous value is 0. */
  change: Record<keyof Kpis, number | null>
}

export interface GrowthPoint {
  t: string
  ts: number
  views: number
  discussions: number
  cumViews: number
  cumDiscussions: number
}

export interface Milestone {
  metric: 'views' | 'discussions'
  threshold: number
  /** Start of the first bucket whose cumulative count reaches the threshold. */
  t: string
  ts: number
  /** The minute within that bucket in which it was reached (local time, and epoch ms of the minute's start). */
  minute?: string
  minuteTs?: number
}

interface GrowthSeries {
  tag: string
  points: GrowthPoint[]
  milestones: Milestone[]
}

/** `GET /api/hashtags/growth` */
export interface GrowthReport {
  granularity: Granularity
  tz: string
  range: RangeInfo
  series: GrowthSeries[]
}

interface TopTagRow {
  tag: string
  views: number
  discussions: number
}

/** `GET /api/hashtags/top` */
export interface TopTagsReport {
  tz: string
  range: RangeInfo
  by: 'views' | 'discussions'
  rows: TopTagRow[]
}

interface TrendingRow {
  tag: string
  /** Events of the chosen metric per hour of the recent window, and of the baseline before it, the data covers. */
  recentRate: number
  baselineRate: number
  /** recentRate / baselineRate; null for a tag with no events of the metric in the baseline. */
  multiple: number | null
  /** No event of any type before the recent window at all (in the chosen regions), not merely none in the baseline. */
  isNew: boolean
  recent: number
  baseline: number
  /** Views over the whole range. */
  views: number
}

/**
 * `GET /api/hashtags/trending`: each tag's recent window against its own trailing baseline, the part of the range
 * before it. Rows with a multiple come first, highest first; those without a baseline follow by recent volume.
 */
export interface TrendingReport {
  tz: string
  by: 'views' | 'discussions'
  window: { recentFrom: string; recentTo: string; baselineFrom: string; baselineTo: string }
  windowTs: { recentFrom: number; recentTo: number; baselineFrom: number; baselineTo: number }
  /**
   * What the data covers, over which the rates are spread: from the first quarter hour of the range holding a
   * tagged event (nothing was recorded before it) to the range's end or now, whichever is earlier.
   */
  covered: { from: string; to: string; fromTs: number; toTs: number; recentHours: number; baselineHours: number }
  rows: TrendingRow[]
}

export interface SplitPoint {
  t: string
  ts: number
  total: number
  values: Record<string, number>
  /** Null in an empty bucket: there is no share of nothing. */
  shares: Record<string, number | null>
  /** The region with the largest value ('other' never leads); null when the bucket is empty. */
  leader: string | null
}

export interface Crossover {
  t: string
  ts: number
  from: string
  to: string
}

/** `GET /api/regions/split` */
export interface RegionSplitReport {
  granularity: Granularity
  tz: string
  range: RangeInfo
  metric: 'users' | 'events'
  level: 'country' | 'province'
  regions: string[]
  points: SplitPoint[]
  crossovers: Crossover[]
}

export interface HeatmapCell {
  day: string
  hour: number
  /** Start of the cell's first hour (a DST fall-back day's 01:00 cell covers two hours). */
  t: string
  ts: number
  /** The focus regions' figure within the region filter, and the filter's (all regions' without one). */
  value: number
  total: number
  /** The focus regions' share of the hour's total; null when the hour is empty. */
  share: number | null
}

/** `GET /api/regions/heatmap` */
export interface HeatmapReport {
  tz: string
  range: RangeInfo
  metric: 'users' | 'events'
  /** The region filter (empty: all regions) and the focus regions within it (empty: the whole filter). */
  regions: string[]
  focus: string[]
  days: string[]
  hours: number[]
  cells: HeatmapCell[]
}

/** Why a message was refused: by the contract, or by the store itself for data reasons (isolated by splitting). */
export type RefusalReason = RejectReason | 'store_rejected'

/**
 * What the ingest is doing. `paused`, `stuck` and `stopped` make the product unready: events are arriving (or may
 * be) and are not being stored.
 * - `off`: no ingest in this process; `starting`: connecting and joining; `running`: consuming (or caught up);
 * - `paused`: waiting for something it needs (the store, the dead-letter topic), retrying with backoff;
 * - `stuck`: no progress for a bounded time while lag is above zero;
 * - `stopped`: the consumer failed; it is restarted with backoff, and stays `stopped` until it makes progress.
 */
export type IngestState = 'off' | 'starting' | 'running' | 'paused' | 'stuck' | 'stopped'

/** Why the ingest is paused, stuck or stopped: a stable code (also a metrics label) and a human-readable detail. */
export interface IngestStateReason {
  code: 'store_unavailable' | 'dead_letter_unavailable' | 'no_progress' | 'consumer_failed'
  detail: string
}

/** `GET /api/ingest`: the ingest's counters and state, also carried by every live tick. */
export interface IngestSnapshot {
  mode: string
  state: IngestState
  stateReason: IngestStateReason | null
  stateSince: string
  received: number
  stored: number
  rejected: number
  rejectedByReason: Partial<Record<RefusalReason, number>>
  deadLettered: number
  /** Messages dropped because their id was already in the same batch (a producer retry re-sends adjacent copies). */
  duplicates: number
  batches: number
  storeRetries: number
  receivedPerSecond: number
  storedPerSecond: number
  lastInsertMs: number | null
  lastInsertAt: string | null
  /** The error behind the current state; null once the ingest has recovered. */
  lastError: string | null
  lastErrorAt: string | null
  /** The newest error ever seen and when, kept after recovery. */
  lastFailure: { error: string; at: string } | null
  /** Consumer lag per "topic/partition": messages between the committed offset and the high watermark. */
  lag: Record<string, number>
  totalLag: number
  /** When the lag was last read from the broker (null if never). */
  lagMeasuredAt: string | null
  paused: boolean
}

export interface LiveMinute {
  t: string
  ts: number
  views: number
  discussions: number
  activeUsers: number
  events: number
}

/** One `tick` event of `GET /api/live` (server-sent events). */
export interface LiveTick {
  at: string
  atTs: number
  /** The newest complete minute. */
  minute: LiveMinute
  /** The minute in progress, still filling. */
  current: LiveMinute
  ingest: IngestSnapshot
}

/** A dated note shown on charts. */
export interface Annotation {
  id: string
  /** Epoch milliseconds, UTC. */
  ts: number
  title: string
  body: string
  hashtag: string
}

/** An annotation as the API answers it: with its local time `t`. */
export interface DatedAnnotation extends Annotation {
  t: string
}

/** `GET /api/annotations` */
export interface AnnotationList {
  tz: string
  rows: DatedAnnotation[]
}

/** The story the seed data tells, when the product was started with it. */
export interface StoryInfo {
  tag: string
  from: string
  to: string
  fromTs: number
  toTs: number
}

/** `GET /api/meta`: what the dashboard needs to pick sensible defaults. */
export interface MetaReport {
  defaultTimeZone: string
  dataRange: (RangeInfo & { events: number }) | null
  /** Null when the data is not the seed story (a Kafka deployment without seed). */
  story: StoryInfo | null
  backend: string
  version: string
}

/** What `GET /api/export/<dataset>.csv` serves. */
export const EXPORT_DATASETS = ['growth', 'top', 'trending', 'regions', 'heatmap', 'overview', 'events'] as const
export type ExportDataset = (typeof EXPORT_DATASETS)[number]
