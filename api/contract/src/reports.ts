/**
 * What every JSON route answers, as zod schemas: the API declares its responses with them (so the OpenAPI document
 * describes what is served) and both the API and the dashboard are typed from them with `z.infer`. The `id` of a
 * schema names it in the document's components.
 */
import { z } from 'zod'
import { REJECT_REASONS } from './event.ts'
import { GRANULARITIES } from './time.ts'

const localTime = z
  .string()
  .meta({ description: 'Local time in the zone, with its offset (2025-01-14T03:00:00+08:00)' })
const epochMs = z.number().meta({ description: 'Epoch milliseconds, UTC' })
const granularity = z.enum(GRANULARITIES)
const rankedBy = z.enum(['views', 'discussions'])
const regionMetric = z.enum(['users', 'events'])

/** A range as it is reported back: local times in the zone and epoch milliseconds. */
const rangeInfo = z
  .object({ from: localTime, to: localTime, fromTs: epochMs, toTs: epochMs })
  .meta({ id: 'RangeInfo', description: 'The range an answer covers, widened to whole buckets' })
export type RangeInfo = z.infer<typeof rangeInfo>

const kpis = z
  .object({
    views: z.number(),
    discussions: z.number(),
    activeUsers: z.number(),
    newUsers: z.number(),
    foreignShare: z.number().nullable().meta({
      description: 'Share of events from a known country other than CN; null when no event in the period has a region',
    }),
  })
  .meta({ id: 'Kpis' })
export type Kpis = z.infer<typeof kpis>

const relativeChange = z.number().nullable()

/** `GET /api/overview` */
export const overviewReport = z
  .object({
    tz: z.string(),
    range: rangeInfo,
    previousRange: rangeInfo,
    current: kpis,
    previous: kpis,
    change: z
      .object({
        views: relativeChange,
        discussions: relativeChange,
        activeUsers: relativeChange,
        newUsers: relativeChange,
        foreignShare: relativeChange,
      })
      .meta({ description: 'Relative change (0.25 = +25%); null when the previous value is 0' }),
  })
  .meta({ id: 'OverviewReport' })
export type OverviewReport = z.infer<typeof overviewReport>

const growthPoint = z
  .object({
    t: localTime,
    ts: epochMs,
    views: z.number(),
    discussions: z.number(),
    cumViews: z.number(),
    cumDiscussions: z.number(),
  })
  .meta({ id: 'GrowthPoint' })
export type GrowthPoint = z.infer<typeof growthPoint>

const milestone = z
  .object({
    metric: rankedBy,
    threshold: z.number(),
    t: localTime.meta({ description: 'Start of the first bucket whose cumulative count reaches the threshold' }),
    ts: epochMs,
    minute: localTime
      .optional()
      .meta({ description: 'The minute within that bucket in which the threshold was reached (local time)' }),
    minuteTs: epochMs.optional().meta({ description: "Epoch ms of that minute's start" }),
  })
  .meta({ id: 'Milestone' })
export type Milestone = z.infer<typeof milestone>

const growthSeries = z
  .object({ tag: z.string(), points: z.array(growthPoint), milestones: z.array(milestone) })
  .meta({ id: 'GrowthSeries' })

/** `GET /api/hashtags/growth` */
export const growthReport = z
  .object({ granularity, tz: z.string(), range: rangeInfo, series: z.array(growthSeries) })
  .meta({ id: 'GrowthReport' })
export type GrowthReport = z.infer<typeof growthReport>

const topTagRow = z.object({ tag: z.string(), views: z.number(), discussions: z.number() }).meta({ id: 'TopTagRow' })

/** `GET /api/hashtags/top` */
export const topTagsReport = z
  .object({ tz: z.string(), range: rangeInfo, by: rankedBy, rows: z.array(topTagRow) })
  .meta({ id: 'TopTagsReport' })
export type TopTagsReport = z.infer<typeof topTagsReport>

const trendingRow = z
  .object({
    tag: z.string(),
    recentRate: z
      .number()
      .meta({ description: 'Events of the chosen metric per hour of the recent window the data covers' }),
    baselineRate: z
      .number()
      .meta({ description: 'Events of the chosen metric per hour of the baseline before it the data covers' }),
    multiple: z.number().nullable().meta({
      description: 'recentRate / baselineRate; null for a tag with no events of the metric in the baseline',
    }),
    isNew: z.boolean().meta({
      description:
        'No event of any type before the recent window at all (in the chosen regions), not merely none in the baseline',
    }),
    recent: z.number(),
    baseline: z.number(),
    views: z.number().meta({ description: 'Views over the whole range' }),
  })
  .meta({ id: 'TrendingRow' })

/**
 * `GET /api/hashtags/trending`: each tag's recent window against its own trailing baseline, the part of the range
 * before it. Rows with a multiple come first, highest first; those without a baseline follow by recent volume.
 */
export const trendingReport = z
  .object({
    tz: z.string(),
    by: rankedBy,
    window: z.object({ recentFrom: localTime, recentTo: localTime, baselineFrom: localTime, baselineTo: localTime }),
    windowTs: z.object({ recentFrom: epochMs, recentTo: epochMs, baselineFrom: epochMs, baselineTo: epochMs }),
    covered: z
      .object({
        from: localTime,
        to: localTime,
        fromTs: epochMs,
        toTs: epochMs,
        recentHours: z.number(),
        baselineHours: z.number(),
      })
      .meta({
        description:
          'What the data covers, over which the rates are spread: from the first quarter hour of the range holding ' +
          "a tagged event (nothing was recorded before it) to the range's end or now, whichever is earlier",
      }),
    rows: z.array(trendingRow),
  })
  .meta({ id: 'TrendingReport' })
export type TrendingReport = z.infer<typeof trendingReport>

const splitPoint = z
  .object({
    t: localTime,
    ts: epochMs,
    total: z.number(),
    values: z.record(z.string(), z.number()),
    shares: z
      .record(z.string(), z.number().nullable())
      .meta({ description: 'Null in an empty bucket: there is no share of nothing' }),
    leader: z.string().nullable().meta({
      description: "The region with the largest value ('other' never leads); null when the bucket is empty",
    }),
  })
  .meta({ id: 'SplitPoint' })
export type SplitPoint = z.infer<typeof splitPoint>

const crossover = z.object({ t: localTime, ts: epochMs, from: z.string(), to: z.string() }).meta({ id: 'Crossover' })
export type Crossover = z.infer<typeof crossover>

/** `GET /api/regions/split` */
export const regionSplitReport = z
  .object({
    granularity,
    tz: z.string(),
    range: rangeInfo,
    metric: regionMetric,
    level: z.enum(['country', 'province']),
    regions: z.array(z.string()),
    points: z.array(splitPoint),
    crossovers: z.array(crossover),
  })
  .meta({ id: 'RegionSplitReport' })
export type RegionSplitReport = z.infer<typeof regionSplitReport>

const heatmapCell = z
  .object({
    day: z.string(),
    hour: z.number(),
    t: localTime.meta({
      description: "Start of the cell's first hour (a DST fall-back day's 01:00 cell covers two hours)",
    }),
    ts: epochMs,
    value: z.number().meta({
      description: "The focus regions' figure within the region filter (all regions' without a filter)",
    }),
    total: z.number().meta({ description: "The region filter's figure (all regions' without one)" }),
    share: z
      .number()
      .nullable()
      .meta({ description: "The focus regions' share of the hour's total; null when the hour is empty" }),
  })
  .meta({ id: 'HeatmapCell' })
export type HeatmapCell = z.infer<typeof heatmapCell>

/** `GET /api/regions/heatmap` */
export const heatmapReport = z
  .object({
    tz: z.string(),
    range: rangeInfo,
    metric: regionMetric,
    regions: z.array(z.string()).meta({ description: 'The region filter (empty: all regions)' }),
    focus: z.array(z.string()).meta({ description: 'The focus regions within the filter (empty: the whole filter)' }),
    days: z.array(z.string()),
    hours: z.array(z.number()),
    cells: z.array(heatmapCell),
  })
  .meta({ id: 'HeatmapReport' })
export type HeatmapReport = z.infer<typeof heatmapReport>

/** Why a message was refused: by the contract, or by the store itself for data reasons (isolated by splitting). */
const REFUSAL_REASONS = [...REJECT_REASONS, 'store_rejected'] as const
export type RefusalReason = (typeof REFUSAL_REASONS)[number]

/**
 * What the ingest is doing. `paused`, `stuck` and `stopped` make the product unready: events are arriving (or may
 * be) and are not being stored.
 * - `off`: no ingest in this process; `starting`: connecting and joining; `running`: consuming (or caught up);
 * - `paused`: waiting for something it needs (the store, the dead-letter topic), retrying with backoff;
 * - `stuck`: no progress for a bounded time while lag is above zero;
 * - `stopped`: the consumer failed; it is restarted with backoff, and stays `stopped` until it makes progress.
 */
export const ingestState = z.enum(['off', 'starting', 'running', 'paused', 'stuck', 'stopped'])
export type IngestState = z.infer<typeof ingestState>

/** Why the ingest is paused, stuck or stopped: a stable code (also a metrics label) and a human-readable detail. */
const ingestStateReason = z
  .object({
    code: z.enum(['store_unavailable', 'dead_letter_unavailable', 'no_progress', 'consumer_failed']),
    detail: z.string(),
  })
  .meta({ id: 'IngestStateReason' })
export type IngestStateReason = z.infer<typeof ingestStateReason>

const isoTime = z.string().meta({ description: 'UTC time, ISO 8601' })

/** A bulk load's progress (the seed story's replay at start), as its log lines give it. */
const loadProgress = z
  .object({
    source: z.string().meta({ description: 'The stream loaded (`seed:scale=0.01:seed=1`, `sample`)' }),
    rows: z.number().meta({ description: 'Rows stored by this load so far' }),
    expectedRows: z.number().nullable().meta({
      description: 'Rows the whole load is expected to hold (an estimate); null when unknown (a resumed load)',
    }),
    percent: z.number().nullable().meta({
      description: 'Share of expectedRows stored, 0–100 (at most 99.9 until the load ends); null when unknown',
    }),
    rowsPerSecond: z.number(),
    etaSeconds: z.number().nullable().meta({ description: 'Seconds left at the current rate; null when unknown' }),
    startedAt: isoTime,
  })
  .meta({ id: 'LoadProgress' })
export type LoadProgress = z.infer<typeof loadProgress>

/** `GET /api/ingest`: the ingest's counters and state, also carried by every live tick. */
export const ingestSnapshot = z
  .object({
    mode: z.string(),
    state: ingestState,
    stateReason: ingestStateReason.nullable(),
    stateSince: isoTime,
    received: z.number(),
    stored: z.number(),
    rejected: z.number(),
    rejectedByReason: z.partialRecord(z.enum(REFUSAL_REASONS), z.number()),
    deadLettered: z.number(),
    duplicates: z.number().meta({
      description:
        'Messages dropped because their id was already in the same batch (a producer retry re-sends adjacent copies)',
    }),
    batches: z.number(),
    storeRetries: z.number(),
    receivedPerSecond: z.number(),
    storedPerSecond: z.number(),
    lastInsertMs: z.number().nullable(),
    lastInsertAt: isoTime.nullable(),
    lastError: z
      .string()
      .nullable()
      .meta({ description: 'The error behind the current state; null once the ingest has recovered' }),
    lastErrorAt: isoTime.nullable(),
    lastFailure: z
      .object({ error: z.string(), at: isoTime })
      .nullable()
      .meta({ description: 'The newest error ever seen and when, kept after recovery' }),
    lag: z.record(z.string(), z.number()).meta({
      description: 'Consumer lag per "topic/partition": messages between the committed offset and the high watermark',
    }),
    totalLag: z.number(),
    lagMeasuredAt: isoTime.nullable().meta({ description: 'When the lag was last read from the broker' }),
    paused: z.boolean(),
    load: loadProgress.nullable().meta({
      description: 'A bulk load under way (the seed story at start): how far it has got; null when none runs',
    }),
  })
  .meta({ id: 'IngestSnapshot' })
export type IngestSnapshot = z.infer<typeof ingestSnapshot>

const liveMinute = z
  .object({
    t: localTime,
    ts: epochMs,
    views: z.number(),
    discussions: z.number(),
    activeUsers: z.number(),
    events: z.number(),
  })
  .meta({ id: 'LiveMinute' })
export type LiveMinute = z.infer<typeof liveMinute>

/** One `tick` event of `GET /api/live` (server-sent events). */
const liveTick = z
  .object({
    at: isoTime,
    atTs: epochMs,
    minute: liveMinute.meta({ description: 'The newest complete minute' }),
    current: liveMinute.meta({ description: 'The minute in progress, still filling' }),
    ingest: ingestSnapshot,
  })
  .meta({ id: 'LiveTick' })
export type LiveTick = z.infer<typeof liveTick>

/** A dated note shown on charts. */
const annotation = z
  .object({ id: z.string(), ts: epochMs, title: z.string(), body: z.string(), hashtag: z.string() })
  .meta({ id: 'Annotation' })
export type Annotation = z.infer<typeof annotation>

/** An annotation as the API answers it: with its local time `t`. */
export const datedAnnotation = annotation.extend({ t: localTime }).meta({ id: 'DatedAnnotation' })
export type DatedAnnotation = z.infer<typeof datedAnnotation>

/** `GET /api/annotations` */
export const annotationList = z
  .object({ tz: z.string(), rows: z.array(datedAnnotation) })
  .meta({ id: 'AnnotationList' })
export type AnnotationList = z.infer<typeof annotationList>

/** The story the seed data tells, when the product was started with it. */
const storyInfo = z
  .object({ tag: z.string(), from: localTime, to: localTime, fromTs: epochMs, toTs: epochMs })
  .meta({ id: 'StoryInfo' })
export type StoryInfo = z.infer<typeof storyInfo>

/** `GET /api/meta`: what the dashboard needs to pick sensible defaults. */
export const metaReport = z
  .object({
    defaultTimeZone: z.string(),
    dataRange: rangeInfo.extend({ events: z.number() }).nullable(),
    story: storyInfo
      .nullable()
      .meta({ description: 'Null when the data is not the seed story (a Kafka deployment without seed)' }),
    backend: z.string(),
    version: z.string(),
  })
  .meta({ id: 'MetaReport' })
export type MetaReport = z.infer<typeof metaReport>

/** `GET /api/export/events/count`: what a raw events export of the same parameters would hold, and the cap. */
export const exportCount = z
  .object({
    rows: z.number(),
    limit: z.number().meta({ description: 'The most rows one export may hold (EXPORT_MAX_ROWS)' }),
  })
  .meta({ id: 'ExportCount' })

/** What `GET /api/export/<dataset>.csv` serves. */
export const EXPORT_DATASETS = ['growth', 'top', 'trending', 'regions', 'heatmap', 'overview', 'events'] as const
export type ExportDataset = (typeof EXPORT_DATASETS)[number]
