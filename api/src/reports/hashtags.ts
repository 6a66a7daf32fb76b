import type { GrowthPoint, GrowthReport, Milestone, TopTagsReport, TrendingReport } from '@trendlens/contract'
import {
  bucketStart,
  type Granularity,
  type GrowthParams,
  localIso,
  parseDuration,
  QUARTER_MS,
  type TopParams,
  type TrendingParams,
} from '@trendlens/contract'
import type { Services } from '../context.ts'
import { invalidParameter } from '../errors.ts'
import { combinedTags } from '../params.ts'
import { quarterScope, rangeInfo, seriesScope } from '../scope.ts'
import { cached, type Table } from './table.ts'

/** Cumulative thresholds reported as milestones: the story's 1M → 16M → 80M reads between 1M, 10M and 100M. */
const MILESTONES = [10_000, 100_000, 1_000_000, 10_000_000, 100_000_000, 1_000_000_000]

export async function loadGrowth(services: Services, query: GrowthParams, now: number): Promise<GrowthReport> {
  const tags = combinedTags(query)
  if (tags.length === 0) throw invalidParameter('tags', 'tags: give at least one hashtag (tags=a,b or tag=a)')
  const scope = await seriesScope(services, query, now)
  const { zone, range, granularity, buckets } = scope
  const regions = query.region ?? []
  return cached(services, ['growth', tags, regions, zone, granularity, range], async (signal) => {
    const { store } = services.deps
    // Without a region filter the region-less totals answer the 15-minute questions.
    const allRegions = regions.length === 0
    const beforeParams = { tags, quarter_before: bucketStart(range.from, '15m', zone), before: range.from }
    const before = allRegions
      ? await store.query('api_tag_totals_before_all', beforeParams, { signal })
      : await store.query('api_tag_totals_before', { ...beforeParams, regions }, { signal })
    const seriesParams = { tags, from: range.from, to: range.to }
    const rows =
      granularity === 'minute'
        ? await store.query('api_tag_series_1m', { ...seriesParams, regions }, { signal })
        : allRegions
          ? await store.query('api_tag_series_15m_all', { ...seriesParams, tz: zone, step: granularity }, { signal })
          : await store.query(
              'api_tag_series_15m',
              { ...seriesParams, tz: zone, step: granularity, regions },
              { signal },
            )
    const labels = buckets.map((ts) => localIso(ts, zone))
    const series = tags.map((tag) => {
      const byBucket = new Map(rows.filter((row) => row.tag === tag).map((row) => [row.ts, row]))
      const start = before.find((row) => row.tag === tag)
      let cumViews = start?.views ?? 0
      let cumDiscussions = start?.discussions ?? 0
      const points: GrowthPoint[] = buckets.map((ts, i) => {
        const row = byBucket.get(ts)
        const views = row?.views ?? 0
        const discussions = row?.discussions ?? 0
        cumViews += views
        cumDiscussions += discussions
        return { t: labels[i] as string, ts, views, discussions, cumViews, cumDiscussions }
      })
      return { tag, points, milestones: milestones(points, start?.views ?? 0, start?.discussions ?? 0) }
    })
    await placeMilestonesInMinutes(series, granularity, range.to, regions, zone, (params) =>
      store.query('api_tag_series_1m', params, { signal }),
    )
    return { granularity, tz: zone, range: rangeInfo(range, zone), series }
  })
}

/**
 * Narrows each milestone to the minute it was reached, from the 1-minute rollup of its bucket: the running total
 * from the bucket's start reaches the threshold within it, since the bucket's own total did.
 */
async function placeMilestonesInMinutes(
  series: GrowthReport['series'],
  granularity: Granularity,
  rangeTo: number,
  regions: string[],
  zone: string,
  minutesOf: (params: {
    tags: string[]
    from: number
    to: number
    regions: string[]
  }) => Promise<{ ts: number; views: number; discussions: number }[]>,
): Promise<void> {
  const jobs: Promise<void>[] = []
  for (const { tag, points, milestones: found } of series) {
    for (const milestone of found) {
      const index = points.findIndex((point) => point.ts === milestone.ts)
      const point = points[index]
      if (!point) continue
      if (granularity === 'minute') {
        milestone.minute = milestone.t
        milestone.minuteTs = milestone.ts
        continue
      }
      const to = points[index + 1]?.ts ?? rangeTo
      const before =
        milestone.metric === 'views' ? point.cumViews - point.views : point.cumDiscussions - point.discussions
      jobs.push(
        minutesOf({ tags: [tag], from: point.ts, to, regions }).then((minutes) => {
          let total = before
          for (const row of minutes.sort((a, b) => a.ts - b.ts)) {
            total += milestone.metric === 'views' ? row.views : row.discussions
            if (total >= milestone.threshold) {
              milestone.minute = localIso(row.ts, zone)
              milestone.minuteTs = row.ts
              return
            }
          }
        }),
      )
    }
  }
  await Promise.all(jobs)
}

/** The first bucket whose cumulative count reaches each threshold not already passed before the range. */
function milestones(points: GrowthPoint[], viewsBefore: number, discussionsBefore: number): Milestone[] {
  const found: Milestone[] = []
  for (const metric of ['views', 'discussions'] as const) {
    const startValue = metric === 'views' ? viewsBefore : discussionsBefore
    for (const threshold of MILESTONES) {
      if (startValue >= threshold) continue
      const point = points.find((p) => (metric === 'views' ? p.cumViews : p.cumDiscussions) >= threshold)
      if (point) found.push({ metric, threshold, t: point.t, ts: point.ts })
    }
  }
  return found
}

/**
 * The growth series as rows. Each bucket is given by its start `t` and its end `t_end` (the next bucket's start):
 * its views are counted within them, and its cumulative figures are the totals by `t_end`.
 */
export function growthTable(growth: GrowthReport): Table {
  return {
    header: ['tag', 't', 't_end', 'ts', 'views', 'discussions', 'cum_views', 'cum_discussions'],
    rows: growth.series.flatMap((s) =>
      s.points.map((p, i) => [
        s.tag,
        p.t,
        s.points[i + 1]?.t ?? growth.range.to,
        p.ts,
        p.views,
        p.discussions,
        p.cumViews,
        p.cumDiscussions,
      ]),
    ),
  }
}

export async function loadTop(services: Services, query: TopParams, now: number): Promise<TopTagsReport> {
  const { zone, range } = await quarterScope(services, query, now)
  const regions = query.region ?? []
  const params = { from: range.from, to: range.to, by: query.by, limit: query.limit }
  return cached(services, ['top', params, regions], async (signal) => {
    const { store } = services.deps
    const rows =
      regions.length === 0
        ? await store.query('api_tag_top_all', params, { signal })
        : await store.query('api_tag_top', { ...params, regions }, { signal })
    return { tz: zone, range: rangeInfo(range, zone), by: query.by, rows }
  })
}

export function topTable(top: TopTagsReport): Table {
  return {
    header: ['rank', 'tag', 'views', 'discussions'],
    rows: top.rows.map((row, i) => [i + 1, row.tag, row.views, row.discussions]),
  }
}

/** The recent window is the last sixth of the range unless `recent` says otherwise, in whole quarter hours. */
const DEFAULT_RECENT_SHARE = 1 / 6
const HOUR_MS = 3_600_000
const MINUTE_MS = 60_000

/**
 * Tags growing fastest against their own trailing baseline: the part of the range before the recent window. Each
 * window's rate is spread over the hours of it the data covers: from the first quarter hour with any tagged event in
 * the range (before it nothing was recorded) to the range's end or now, whichever is earlier.
 */
export async function loadTrending(services: Services, query: TrendingParams, now: number): Promise<TrendingReport> {
  const { zone, range } = await quarterScope(services, query, now)
  const length = range.to - range.from
  if (length < 2 * QUARTER_MS) {
    throw invalidParameter(
      'from',
      'from: trending needs a range of at least 30 minutes, a baseline and a recent window',
    )
  }
  const asked = query.recent === undefined ? length * DEFAULT_RECENT_SHARE : (parseDuration(query.recent) as number)
  const recent = Math.max(QUARTER_MS, Math.ceil(asked / QUARTER_MS) * QUARTER_MS)
  if (recent >= length) {
    throw invalidParameter('recent', 'recent must be shorter than the range, leaving a baseline before it')
  }
  const recentFrom = range.to - recent
  const coveredTo = Math.min(range.to, now)
  const regions = query.region ?? []
  const options = { by: query.by, min_multiple: query.minMultiple, min_recent: query.minRecent, limit: query.limit }
  // A range reaching past now is answered as of the minute, so the cache serves it for as long as that minute lasts.
  const asOf = coveredTo < range.to ? Math.floor(now / MINUTE_MS) : null
  return cached(services, ['trending', range, recentFrom, regions, options, asOf], async (signal) => {
    const { store } = services.deps
    const [coverage] = await store.query('api_tag_coverage', { from: range.from, to: range.to }, { signal })
    const first = coverage?.first_ms ?? 0
    const coveredFrom = first > 0 ? Math.max(range.from, first) : coveredTo
    const recentHours = Math.max(0, coveredTo - Math.max(recentFrom, coveredFrom)) / HOUR_MS
    const baselineHours = Math.max(0, Math.min(recentFrom, coveredTo) - coveredFrom) / HOUR_MS
    const params = {
      from: range.from,
      recent_from: recentFrom,
      to: range.to,
      recent_hours: recentHours,
      baseline_hours: baselineHours,
      ...options,
    }
    const rows =
      regions.length === 0
        ? await store.query('api_tag_trending_all', params, { signal })
        : await store.query('api_tag_trending', { ...params, regions }, { signal })
    return {
      tz: zone,
      by: query.by,
      window: {
        recentFrom: localIso(recentFrom, zone),
        recentTo: localIso(range.to, zone),
        baselineFrom: localIso(range.from, zone),
        baselineTo: localIso(recentFrom, zone),
      },
      windowTs: { recentFrom, recentTo: range.to, baselineFrom: range.from, baselineTo: recentFrom },
      covered: {
        from: localIso(coveredFrom, zone),
        to: localIso(coveredTo, zone),
        fromTs: coveredFrom,
        toTs: coveredTo,
        recentHours,
        baselineHours,
      },
      rows: rows.map((row) => ({
        tag: row.tag,
        recentRate: row.recent_rate,
        baselineRate: row.baseline_rate,
        multiple: row.baseline === 0 ? null : row.multiple,
        isNew: row.is_new === 1,
        recent: row.recent,
        baseline: row.baseline,
        views: row.views,
      })),
    }
  })
}

/**
 * A row's status says what its multiple column cannot: `rising` has a multiple, `new` had no event before the recent
 * window, `back` was seen before but not in the baseline, so there is nothing to divide by. The rates are per hour of
 * the covered hours, which are repeated on every row so that a spreadsheet can check them.
 */
export function trendingTable(trending: TrendingReport): Table {
  return {
    header: [
      'rank',
      'tag',
      'status',
      'recent_rate',
      'baseline_rate',
      'multiple',
      'recent',
      'baseline',
      'views',
      'recent_hours',
      'baseline_hours',
    ],
    rows: trending.rows.map((row, i) => [
      i + 1,
      row.tag,
      row.multiple !== null ? 'rising' : row.isNew ? 'new' : 'back',
      row.recentRate,
      row.baselineRate,
      row.multiple,
      row.recent,
      row.baseline,
      row.views,
      trending.covered.recentHours,
      trending.covered.baselineHours,
    ]),
  }
}
