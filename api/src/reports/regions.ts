import type { Crossover, HeatmapCell, HeatmapReport, RegionSplitReport, SplitPoint } from '@trendlens/contract'
import {
  alignRange,
  bucketStarts,
  type HeatmapParams,
  localDate,
  localIso,
  MAX_POINTS,
  type SplitParams,
  zoneOffsetMs,
} from '@trendlens/contract'
import type { Services } from '../context.ts'
import { invalidParameter } from '../errors.ts'
import { rangeInfo, requestedRange, resolveZone, seriesScope } from '../scope.ts'
import { cached, share, type Table } from './table.ts'

/** Regions outside the top N are summed (events) or merged (users) into this key. */
const OTHER = 'other'

export async function loadSplit(services: Services, query: SplitParams, now: number): Promise<RegionSplitReport> {
  const { zone, range, granularity, buckets } = await seriesScope(services, query, now)
  const filters = { regions: query.region ?? [], types: query.type ?? [], level: query.level, metric: query.metric }
  return cached(services, ['split', filters, query.top, zone, granularity, range], async (signal) => {
    const { store } = services.deps
    const top = await store.query(
      'api_region_top',
      { from: range.from, to: range.to, ...filters, limit: query.top },
      { signal },
    )
    const keys = top.map((row) => row.key)
    const rows =
      granularity === 'minute'
        ? await store.query(
            'api_region_series_1m',
            { from: range.from, to: range.to, ...filters, keys },
            {
              signal,
            },
          )
        : await store.query(
            'api_region_series_15m',
            { from: range.from, to: range.to, tz: zone, step: granularity, ...filters, keys },
            { signal },
          )
    const regions = [...keys, OTHER]
    const pick = (row: { users: number; events: number }) => (query.metric === 'users' ? row.users : row.events)
    const byBucket = new Map<number, { total: number; values: Map<string, number> }>()
    for (const row of rows) {
      let bucket = byBucket.get(row.ts)
      if (!bucket) {
        bucket = { total: 0, values: new Map() }
        byBucket.set(row.ts, bucket)
      }
      if (row.is_total === 1) bucket.total = pick(row)
      else bucket.values.set(row.key, pick(row))
    }
    const points = buckets.map((ts): SplitPoint => {
      const bucket = byBucket.get(ts)
      const values: Record<string, number> = {}
      const shares: Record<string, number | null> = {}
      for (const region of regions) {
        values[region] = bucket?.values.get(region) ?? 0
        shares[region] = share(values[region], bucket?.total ?? 0)
      }
      return { t: localIso(ts, zone), ts, total: bucket?.total ?? 0, values, shares, leader: leaderOf(keys, values) }
    })
    return {
      granularity,
      tz: zone,
      range: rangeInfo(range, zone),
      metric: query.metric,
      level: query.level,
      regions,
      points,
      crossovers: crossovers(points),
    }
  })
}

/** The named region with the largest value; ties go to the region ranked higher overall. */
function leaderOf(keys: string[], values: Record<string, number>): string | null {
  let leader: string | null = null
  let best = 0
  for (const key of keys) {
    const value = values[key] ?? 0
    if (value > best) {
      best = value
      leader = key
    }
  }
  return leader
}

/** Buckets where the leader differs from the previous bucket that had one. */
function crossovers(points: SplitPoint[]): Crossover[] {
  const found: Crossover[] = []
  let previous: string | null = null
  for (const point of points) {
    if (point.leader === null) continue
    if (previous !== null && point.leader !== previous) {
      found.push({ t: point.t, ts: point.ts, from: previous, to: point.leader })
    }
    previous = point.leader
  }
  return found
}

export function splitTable(split: RegionSplitReport): Table {
  return {
    header: ['t', 'ts', 'region', 'metric', 'value', 'share', 'total', 'leader'],
    rows: split.points.flatMap((p) =>
      split.regions.map((region) => [
        p.t,
        p.ts,
        region,
        split.metric,
        p.values[region] ?? 0,
        p.shares[region] ?? null,
        p.total,
        p.leader,
      ]),
    ),
  }
}

export async function loadHeatmap(services: Services, query: HeatmapParams, now: number): Promise<HeatmapReport> {
  const zone = await resolveZone(services, query.tz)
  const range = alignRange(requestedRange(query, zone, now), 'hour', zone)
  const hourStarts = bucketStarts(range, 'hour', zone, MAX_POINTS)
  if (hourStarts === null) {
    throw invalidParameter(
      'from',
      `from: the heatmap covers at most ${MAX_POINTS} hours (83 days); choose a later from`,
    )
  }
  const params = {
    from: range.from,
    to: range.to,
    tz: zone,
    regions: query.region ?? [],
    focus: query.focus ?? [],
    types: query.type ?? [],
    metric: query.metric,
  }
  return cached(services, ['heatmap', params], async (signal) => {
    const rows = await services.deps.store.query('api_region_heatmap', params, { signal })
    const byCell = new Map(rows.map((row) => [`${row.day} ${row.hour}`, row]))
    const cells: HeatmapCell[] = []
    const seen = new Set<string>()
    for (const ts of hourStarts) {
      const day = localDate(ts, zone)
      const hour = new Date(ts + zoneOffsetMs(ts, zone)).getUTCHours()
      const key = `${day} ${hour}`
      if (seen.has(key)) continue
      seen.add(key)
      const row = byCell.get(key)
      const value = (query.metric === 'users' ? row?.value_users : row?.value_events) ?? 0
      const total = (query.metric === 'users' ? row?.total_users : row?.total_events) ?? 0
      cells.push({ day, hour, t: localIso(ts, zone), ts, value, total, share: share(value, total) })
    }
    return {
      tz: zone,
      range: rangeInfo(range, zone),
      metric: query.metric,
      regions: params.regions,
      focus: params.focus,
      days: [...new Set(cells.map((cell) => cell.day))],
      hours: Array.from({ length: 24 }, (_, hour) => hour),
      cells,
    }
  })
}

export function heatmapTable(heatmap: HeatmapReport): Table {
  return {
    header: ['day', 'hour', 't', 'ts', 'metric', 'value', 'total', 'share'],
    rows: heatmap.cells.map((c) => [c.day, c.hour, c.t, c.ts, heatmap.metric, c.value, c.total, c.share]),
  }
}
