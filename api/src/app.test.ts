/**
 * The JSON API against the real engine, loaded with the checked-in sample through the real ingest path. Every
 * figure is compared with a count computed here from the raw events, in several zones (DST, +5:30, +5:45).
 */

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib'
import {
  type ErrorBody,
  type GrowthReport,
  type HeatmapReport,
  type LiveTick,
  type MetaReport,
  normaliseTag,
  type OverviewReport,
  type RegionSplitReport,
  type TopTagsReport,
  type TrendingReport,
  type WireEvent,
} from '@trendlens/contract'
import type { StoredEvent } from '@trendlens/sql'
import type { Hono } from 'hono'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AppEnv } from './app.ts'
import {
  bucketLabel,
  byCodePoint,
  countBy,
  distinctUsersBy,
  eventually,
  getJson,
  inRange,
  isDiscussion,
  isView,
  type Loaded,
  loadSampleStore,
  localParts,
  matchesRegion,
  pointLabel,
  testApp,
  type Unit,
} from './test-support.ts'

/** The zones the figures are checked in, with their offset in January 2025 (the sample's month). */
const ZONES: [zone: string, januaryOffset: string][] = [
  ['Asia/Shanghai', '+08:00'],
  ['America/New_York', '-05:00'],
  ['Asia/Kolkata', '+05:30'],
  ['Asia/Kathmandu', '+05:45'],
  ['UTC', 'Z'],
]

const DST_TAG = 'dsttest'
const HOUR = 3_600_000

let loaded: Loaded
let app: Hono<AppEnv>
let events: StoredEvent[]

/** Events every 20 minutes around New York's 2025 DST changes, tagged so they stay out of the sample's figures. */
function dstEvents(): WireEvent[] {
  const wire: WireEvent[] = []
  const spans = [
    [Date.parse('2025-03-08T00:00:00-05:00'), Date.parse('2025-03-10T12:00:00-04:00')],
    [Date.parse('2025-11-01T00:00:00-04:00'), Date.parse('2025-11-03T12:00:00-05:00')],
    // Lord Howe: 02:00 +11:00 becomes 01:30 +10:30 on 2025-04-06.
    [Date.parse('2025-04-05T00:00:00+11:00'), Date.parse('2025-04-07T12:00:00+10:30')],
  ] as const
  let n = 0
  for (const [start, end] of spans) {
    for (let ts = start; ts < end; ts += 20 * 60_000) {
      const type = (['view', 'view', 'comment', 'post'] as const)[n % 4] ?? 'view'
      wire.push({
        id: `dst-${n}`,
        type,
        ts: ts + (n % 7) * 1000,
        user_id: `dst-user-${n % 5}`,
        note_id: 'dst-note',
        hashtags: [DST_TAG],
        region: n % 3 === 0 ? 'US-NY' : 'CN-SH',
      })
      n++
    }
  }
  return wire
}

beforeAll(async () => {
  loaded = await loadSampleStore()
  await loaded.write(dstEvents())
  events = loaded.events
  app = testApp(loaded)
})

afterAll(async () => {
  await loaded?.close()
})

function localRange(fromDate: string, toDate: string, offset: string) {
  return { from: Date.parse(`${fromDate}T00:00:00${offset}`), to: Date.parse(`${toDate}T00:00:00${offset}`) }
}

/** Expected non-zero values per bucket label. */
function perBucket(
  list: StoredEvent[],
  zone: string,
  unit: Unit,
  value: (e: StoredEvent) => number,
): Map<string, number> {
  const sums = new Map<string, number>()
  for (const e of list) {
    const v = value(e)
    if (v === 0) continue
    const label = bucketLabel(e.ts, zone, unit)
    sums.set(label, (sums.get(label) ?? 0) + v)
  }
  return sums
}

function nonZero(points: { t: string }[], unit: Unit, value: (p: never) => number): Map<string, number> {
  const found = new Map<string, number>()
  for (const point of points) {
    const v = value(point as never)
    if (v !== 0) found.set(pointLabel(point.t, unit), (found.get(pointLabel(point.t, unit)) ?? 0) + v)
  }
  return found
}

function expectedKpis(from: number, to: number, regions: string[]) {
  const firstEvent = new Map<string, StoredEvent>()
  for (const e of events) {
    const known = firstEvent.get(e.user_id)
    if (!known || e.ts < known.ts) firstEvent.set(e.user_id, e)
  }
  const kpis = (a: number, b: number) => {
    const list = events.filter((e) => inRange(e, a, b) && matchesRegion(e, regions))
    const located = list.filter((e) => e.country !== '')
    const foreign = located.filter((e) => e.country !== 'CN')
    return {
      views: list.filter(isView).length,
      discussions: list.filter(isDiscussion).length,
      activeUsers: new Set(list.map((e) => e.user_id)).size,
      newUsers: [...firstEvent.values()].filter((e) => inRange(e, a, b) && matchesRegion(e, regions)).length,
      foreignShare: located.length === 0 ? null : foreign.length / located.length,
    }
  }
  return { current: kpis(from, to), previous: kpis(from - (to - from), from) }
}

describe.each(ZONES)('figures in %s', (zone, offset) => {
  const range = localRange('2025-01-13', '2025-01-15', offset)
  const base = `from=2025-01-13&to=2025-01-15&tz=${encodeURIComponent(zone)}`

  it('overview: KPIs and the previous period equal the raw counts', async () => {
    for (const regions of [[], ['US', 'CN-SH']]) {
      const filter = regions.length > 0 ? `&region=${regions.join(',')}` : ''
      const { status, body } = await getJson<OverviewReport>(app, `/api/overview?${base}${filter}`)
      expect(status).toBe(200)
      expect(body.range.fromTs).toBe(range.from)
      expect(body.range.toTs).toBe(range.to)
      const expected = expectedKpis(range.from, range.to, regions)
      expect(body.current.views).toBe(expected.current.views)
      expect(body.current.discussions).toBe(expected.current.discussions)
      expect(body.current.activeUsers).toBe(expected.current.activeUsers)
      expect(body.current.newUsers).toBe(expected.current.newUsers)
      expect(body.current.foreignShare).toBeCloseTo(expected.current.foreignShare ?? Number.NaN, 12)
      expect(body.previous).toMatchObject({
        views: expected.previous.views,
        discussions: expected.previous.discussions,
        activeUsers: expected.previous.activeUsers,
        newUsers: expected.previous.newUsers,
      })
      expect(body.change.views).toBeCloseTo(
        (expected.current.views - expected.previous.views) / expected.previous.views,
        12,
      )
      expect(body.range.from.endsWith(offset === 'Z' ? '+00:00' : offset)).toBe(true)
    }
  })

  it.each([[[]], [['US', 'CN-SH']]])('growth: per bucket, cumulative and milestones, regions %j', async (regions) => {
    const tags = ['tiktokrefugee', 'cattax']
    const filter = regions.length > 0 ? `&region=${regions.join(',')}` : ''
    for (const unit of ['hour', 'day', '15m'] as const) {
      const { status, body } = await getJson<GrowthReport>(
        app,
        `/api/hashtags/growth?${base}&tags=${tags}&granularity=${unit}${filter}`,
      )
      expect(status).toBe(200)
      expect(body.granularity).toBe(unit)
      for (const tag of tags) {
        const series = body.series.find((s) => s.tag === tag)
        if (!series) throw new Error(`no series for ${tag}`)
        expect(series.points.length).toBe({ hour: 48, day: 2, '15m': 192 }[unit])
        const tagged = events.filter((e) => e.hashtags.includes(tag) && matchesRegion(e, regions))
        const inside = tagged.filter((e) => inRange(e, range.from, range.to))
        expect(nonZero(series.points, unit, (p: { views: number }) => p.views)).toEqual(
          perBucket(inside, zone, unit, (e) => (isView(e) ? 1 : 0)),
        )
        expect(nonZero(series.points, unit, (p: { discussions: number }) => p.discussions)).toEqual(
          perBucket(inside, zone, unit, (e) => (isDiscussion(e) ? 1 : 0)),
        )
        const viewsBefore = tagged.filter((e) => e.ts < range.from && isView(e)).length
        const last = series.points[series.points.length - 1]
        expect(last?.cumViews).toBe(viewsBefore + inside.filter(isView).length)
        expect(series.points[0]?.cumViews).toBe(viewsBefore + (series.points[0]?.views ?? 0))
        // Milestones: the bucket of the view that takes the running total to each threshold.
        const views = tagged.filter(isView).sort((a, b) => a.ts - b.ts)
        const expectedMilestones = [10_000, 100_000]
          .filter((threshold) => views.length >= threshold && viewsBefore < threshold)
          .map((threshold) => views[threshold - 1] as StoredEvent)
          .filter((e) => e.ts < range.to)
          .map((e) => bucketLabel(e.ts, zone, unit))
        const milestones = series.milestones.filter((m) => m.metric === 'views').map((m) => pointLabel(m.t, unit))
        expect(milestones).toEqual(expectedMilestones)
        // ...and the minute of that view.
        const expectedMinutes = [10_000, 100_000]
          .filter((threshold) => views.length >= threshold && viewsBefore < threshold)
          .map((threshold) => views[threshold - 1] as StoredEvent)
          .filter((e) => e.ts < range.to)
          .map((e) => Math.floor(e.ts / 60_000) * 60_000)
        const minutes = series.milestones.filter((m) => m.metric === 'views').map((m) => m.minuteTs)
        expect(minutes).toEqual(expectedMinutes)
        for (const milestone of series.milestones) {
          expect(milestone.minute).toBe(
            milestone.minuteTs === undefined ? undefined : bucketLabel(milestone.minuteTs, zone, 'minute'),
          )
        }
      }
    }
    const tiktok = events.filter((e) => e.hashtags.includes('tiktokrefugee') && isView(e)).length
    expect(tiktok).toBeGreaterThan(10_000)
  })

  it('growth: minute buckets over an hour, with a region filter', async () => {
    const from = range.from + 38 * HOUR
    const to = from + HOUR
    const path =
      `/api/hashtags/growth?from=${encodeURIComponent(new Date(from).toISOString())}` +
      `&to=${encodeURIComponent(new Date(to).toISOString())}&tz=${encodeURIComponent(zone)}` +
      '&tags=tiktokrefugee&granularity=minute&region=US'
    const { status, body } = await getJson<GrowthReport>(app, path)
    expect(status).toBe(200)
    const points = body.series[0]?.points ?? []
    expect(points.length).toBe(60)
    const inside = events.filter(
      (e) => inRange(e, from, to) && e.hashtags.includes('tiktokrefugee') && matchesRegion(e, ['US']),
    )
    expect(inside.length).toBeGreaterThan(0)
    expect(nonZero(points, 'minute', (p: { views: number }) => p.views)).toEqual(
      perBucket(inside, zone, 'minute', (e) => (isView(e) ? 1 : 0)),
    )
    const before = events.filter(
      (e) => e.ts < from && e.hashtags.includes('tiktokrefugee') && isView(e) && matchesRegion(e, ['US']),
    ).length
    expect((points[0]?.cumViews ?? 0) - (points[0]?.views ?? 0)).toBe(before)
  })

  it.each([[[]], [['US']]])('top: tags ranked by views and by discussions, regions %j', async (regions) => {
    const inside = events.filter((e) => inRange(e, range.from, range.to) && matchesRegion(e, regions))
    const views = new Map<string, number>()
    const discussions = new Map<string, number>()
    for (const e of inside) {
      for (const tag of e.hashtags) {
        if (isView(e)) views.set(tag, (views.get(tag) ?? 0) + 1)
        if (isDiscussion(e)) discussions.set(tag, (discussions.get(tag) ?? 0) + 1)
      }
    }
    for (const by of ['views', 'discussions'] as const) {
      const filter = regions.length > 0 ? `&region=${regions.join(',')}` : ''
      const { status, body } = await getJson<TopTagsReport>(app, `/api/hashtags/top?${base}&by=${by}&limit=15${filter}`)
      expect(status).toBe(200)
      const metric = by === 'views' ? views : discussions
      const expected = [...new Set([...views.keys(), ...discussions.keys()])]
        .map((tag) => ({ tag, views: views.get(tag) ?? 0, discussions: discussions.get(tag) ?? 0 }))
        .filter((row) => (metric.get(row.tag) ?? 0) > 0)
        .sort((a, b) => (metric.get(b.tag) ?? 0) - (metric.get(a.tag) ?? 0) || byCodePoint(a.tag, b.tag))
        .slice(0, 15)
      expect(body.rows).toEqual(expected)
    }
  })

  it.each([[[]], [['US']]])('trending: recent rate against each tag’s own baseline, regions %j', async (regions) => {
    const filter = regions.length > 0 ? `&region=${regions.join(',')}` : ''
    const { status, body } = await getJson<TrendingReport>(
      app,
      `/api/hashtags/trending?${base}&limit=30&minRecent=3${filter}`,
    )
    expect(status).toBe(200)
    const recentFrom = range.to - (range.to - range.from) / 6
    expect(body.windowTs).toEqual({ recentFrom, recentTo: range.to, baselineFrom: range.from, baselineTo: recentFrom })
    const stats = new Map<string, { recent: number; baseline: number; views: number }>()
    for (const e of events) {
      if (!inRange(e, range.from, range.to) || !matchesRegion(e, regions)) continue
      for (const tag of e.hashtags) {
        const s = stats.get(tag) ?? { recent: 0, baseline: 0, views: 0 }
        if (isView(e)) {
          s.views++
          if (e.ts >= recentFrom) s.recent++
          else s.baseline++
        }
        stats.set(tag, s)
      }
    }
    const recentHours = (range.to - recentFrom) / HOUR
    const baselineHours = (recentFrom - range.from) / HOUR
    const expected = [...stats]
      .map(([tag, s]) => {
        const recentRate = s.recent / recentHours
        const baselineRate = s.baseline / baselineHours
        const isNew = s.baseline === 0
        return { tag, ...s, recentRate, baselineRate, isNew, multiple: isNew ? null : recentRate / baselineRate }
      })
      .filter((row) => row.recent >= 3 && (row.isNew || (row.multiple ?? 0) >= 2))
      .sort(
        (a, b) =>
          Number(a.isNew) - Number(b.isNew) ||
          (b.multiple ?? 0) - (a.multiple ?? 0) ||
          b.recent - a.recent ||
          byCodePoint(a.tag, b.tag),
      )
      .slice(0, 30)
    expect(body.rows.map((row) => [row.tag, row.recent, row.baseline, row.views, row.isNew])).toEqual(
      expected.map((row) => [row.tag, row.recent, row.baseline, row.views, row.isNew]),
    )
    body.rows.forEach((row, i) => {
      expect(row.recentRate).toBeCloseTo(expected[i]?.recentRate ?? Number.NaN, 9)
      if (row.multiple !== null) expect(row.multiple).toBeCloseTo(expected[i]?.multiple ?? Number.NaN, 9)
    })
    if (regions.length === 0) expect(body.rows.length).toBeGreaterThan(0)
  })

  it('regions split: values, shares, leader and crossovers by hour equal the raw counts', async () => {
    const split = localRange('2025-01-14', '2025-01-17', offset)
    const path = `/api/regions/split?from=2025-01-14&to=2025-01-17&tz=${encodeURIComponent(zone)}&granularity=hour`
    for (const [level, metric] of [
      ['country', 'users'],
      ['province', 'events'],
    ] as const) {
      const { status, body } = await getJson<RegionSplitReport>(app, `${path}&level=${level}&metric=${metric}&top=3`)
      expect(status).toBe(200)
      const inside = events.filter((e) => inRange(e, split.from, split.to))
      const keyOf = (e: StoredEvent) => (level === 'province' && e.country === 'CN' ? e.region : e.country)
      const value = (list: StoredEvent[]) =>
        metric === 'users' ? new Set(list.map((e) => e.user_id)).size : list.length
      const byKey = new Map<string, StoredEvent[]>()
      for (const e of inside.filter((x) => x.country !== '')) {
        const list = byKey.get(keyOf(e)) ?? []
        list.push(e)
        byKey.set(keyOf(e), list)
      }
      const top = [...byKey]
        .map(([key, list]) => ({ key, value: value(list) }))
        .sort((a, b) => b.value - a.value || byCodePoint(a.key, b.key))
        .slice(0, 3)
        .map((row) => row.key)
      expect(body.regions).toEqual([...top, 'other'])
      expect(body.points.length).toBe(72)
      let previousLeader: string | null = null
      const expectedCrossovers: { t: string; from: string; to: string }[] = []
      const byHour = new Map<string, StoredEvent[]>()
      for (const e of inside) {
        const label = bucketLabel(e.ts, zone, 'hour')
        const list = byHour.get(label) ?? []
        list.push(e)
        byHour.set(label, list)
      }
      for (const point of body.points) {
        const bucket = byHour.get(point.t) ?? []
        const values: Record<string, number> = {}
        for (const key of top) values[key] = value(bucket.filter((e) => e.country !== '' && keyOf(e) === key))
        values.other = value(bucket.filter((e) => e.country === '' || !top.includes(keyOf(e))))
        expect(point.values, point.t).toEqual(values)
        expect(point.total, point.t).toBe(value(bucket))
        let leader: string | null = null
        for (const key of top) if ((values[key] ?? 0) > (leader === null ? 0 : (values[leader] ?? 0))) leader = key
        expect(point.leader, point.t).toBe(leader)
        if (leader !== null) {
          if (previousLeader !== null && leader !== previousLeader) {
            expectedCrossovers.push({ t: point.t, from: previousLeader, to: leader })
          }
          previousLeader = leader
        }
        for (const key of body.regions) {
          expect(point.shares[key]).toBe(point.total === 0 ? null : (values[key] ?? 0) / point.total)
        }
      }
      expect(body.crossovers.map(({ t, from, to }) => ({ t, from, to }))).toEqual(expectedCrossovers)
      if (level === 'country') {
        // The story's "China by day, America by night": the lead changes hands, every day.
        expect(body.crossovers.length).toBeGreaterThanOrEqual(4)
        expect(new Set(body.crossovers.map((c) => c.to))).toEqual(new Set(['CN', 'US']))
      }
    }
  })

  it.each([
    { focus: ['US'], regions: [] },
    { focus: ['US'], regions: ['US', 'CN-SH'] },
    { focus: ['CN-SH'], regions: ['CN'] },
    { focus: [], regions: ['CN'] },
  ])('heatmap: hour of day by day, the focus regions’ value and share within the filter %j', async (filters) => {
    const query = `${filters.regions.length > 0 ? `&region=${filters.regions.join(',')}` : ''}${
      filters.focus.length > 0 ? `&focus=${filters.focus.join(',')}` : ''
    }`
    for (const metric of ['users', 'events'] as const) {
      const { status, body } = await getJson<HeatmapReport>(
        app,
        `/api/regions/heatmap?${base}${query}&metric=${metric}`,
      )
      expect(status).toBe(200)
      expect(body.regions).toEqual(filters.regions)
      expect(body.focus).toEqual(filters.focus)
      expect(body.days).toEqual(['2025-01-13', '2025-01-14'])
      expect(body.cells.length).toBe(48)
      const inside = events.filter((e) => inRange(e, range.from, range.to) && matchesRegion(e, filters.regions))
      const measure = metric === 'users' ? distinctUsersBy : countBy
      const cellOf = (e: StoredEvent) => heatmapCell(e, zone)
      const values = measure(
        inside.filter((e) => matchesRegion(e, filters.focus)),
        cellOf,
      )
      const totals = measure(inside, cellOf)
      expect(Math.max(...body.cells.map((cell) => cell.value))).toBeGreaterThan(0)
      for (const cell of body.cells) {
        const key = `${cell.day} ${cell.hour}`
        expect(cell.value, key).toBe(values.get(key) ?? 0)
        expect(cell.total, key).toBe(totals.get(key) ?? 0)
        expect(cell.share, key).toBe(cell.total === 0 ? null : cell.value / cell.total)
      }
    }
  })
})

/** The heatmap cell (local day and hour) an event falls in. */
function heatmapCell(e: StoredEvent, zone: string): string {
  const label = bucketLabel(e.ts, zone, 'hour')
  return `${label.slice(0, 10)} ${Number(label.slice(11, 13))}`
}

describe('across New York’s DST changes', () => {
  const zone = 'America/New_York'
  const dst = () => events.filter((e) => e.hashtags.includes(DST_TAG))

  async function growth(from: string, to: string, unit: Unit) {
    const { status, body } = await getJson<GrowthReport>(
      app,
      `/api/hashtags/growth?from=${from}&to=${to}&tz=${zone}&tags=${DST_TAG}&granularity=${unit}`,
    )
    expect(status).toBe(200)
    return body.series[0]?.points ?? []
  }

  it('spring forward: a 23-hour day whose 02:00 hour does not exist', async () => {
    const points = await growth('2025-03-08', '2025-03-10', 'hour')
    expect(points.length).toBe(47)
    const labels = points.map((p) => p.t)
    const at = labels.indexOf('2025-03-09T01:00:00-05:00')
    expect(labels[at + 1]).toBe('2025-03-09T03:00:00-04:00')
    const range = { from: Date.parse('2025-03-08T00:00:00-05:00'), to: Date.parse('2025-03-10T00:00:00-04:00') }
    const inside = dst().filter((e) => inRange(e, range.from, range.to))
    expect(nonZero(points, 'hour', (p: { views: number }) => p.views)).toEqual(
      perBucket(inside, zone, 'hour', (e) => (isView(e) ? 1 : 0)),
    )
    const days = await growth('2025-03-08', '2025-03-11', 'day')
    expect(days.map((p) => p.t)).toEqual([
      '2025-03-08T00:00:00-05:00',
      '2025-03-09T00:00:00-05:00',
      '2025-03-10T00:00:00-04:00',
    ])
    const dayRange = { from: range.from, to: Date.parse('2025-03-11T00:00:00-04:00') }
    expect(nonZero(days, 'day', (p: { discussions: number }) => p.discussions)).toEqual(
      perBucket(
        dst().filter((e) => inRange(e, dayRange.from, dayRange.to)),
        zone,
        'day',
        (e) => (isDiscussion(e) ? 1 : 0),
      ),
    )
  })

  it('fall back: a 25-hour day with two 01:00 hours, 15-minute buckets across the change', async () => {
    const points = await growth('2025-11-01', '2025-11-03', 'hour')
    expect(points.length).toBe(49)
    const labels = points.map((p) => p.t)
    expect(labels).toContain('2025-11-02T01:00:00-04:00')
    expect(labels).toContain('2025-11-02T01:00:00-05:00')
    const range = { from: Date.parse('2025-11-01T00:00:00-04:00'), to: Date.parse('2025-11-03T00:00:00-05:00') }
    const inside = dst().filter((e) => inRange(e, range.from, range.to))
    expect(nonZero(points, 'hour', (p: { views: number }) => p.views)).toEqual(
      perBucket(inside, zone, 'hour', (e) => (isView(e) ? 1 : 0)),
    )
    const quarters = await growth('2025-11-02T00:30-04:00', '2025-11-02T02:00-05:00', '15m')
    expect(quarters.map((p) => p.t.slice(11))).toEqual([
      '00:30:00-04:00',
      '00:45:00-04:00',
      '01:00:00-04:00',
      '01:15:00-04:00',
      '01:30:00-04:00',
      '01:45:00-04:00',
      '01:00:00-05:00',
      '01:15:00-05:00',
      '01:30:00-05:00',
      '01:45:00-05:00',
    ])
    const quarterRange = { from: Date.parse('2025-11-02T00:30:00-04:00'), to: Date.parse('2025-11-02T02:00:00-05:00') }
    expect(nonZero(quarters, '15m', (p: { views: number }) => p.views)).toEqual(
      perBucket(
        dst().filter((e) => inRange(e, quarterRange.from, quarterRange.to)),
        zone,
        '15m',
        (e) => (isView(e) ? 1 : 0),
      ),
    )
  })

  it('heatmap: the fall-back day’s two 01:00 hours are one cell; the spring day has no 02:00', async () => {
    const range = { from: Date.parse('2025-11-01T00:00:00-04:00'), to: Date.parse('2025-11-03T00:00:00-05:00') }
    const inside = events.filter((e) => inRange(e, range.from, range.to))
    for (const filters of [
      { regions: [], focus: ['US'] },
      { regions: ['US-NY'], focus: [] },
      { regions: ['CN'], focus: ['US'] },
    ]) {
      const fall = await getJson<HeatmapReport>(
        app,
        `/api/regions/heatmap?from=2025-11-01&to=2025-11-03&tz=${zone}` +
          `${filters.regions.length > 0 ? `&region=${filters.regions.join(',')}` : ''}` +
          `${filters.focus.length > 0 ? `&focus=${filters.focus.join(',')}` : ''}`,
      )
      expect(fall.status).toBe(200)
      expect(fall.body.cells.length).toBe(48)
      const filtered = inside.filter((e) => matchesRegion(e, filters.regions))
      const cellOf = (e: StoredEvent) => heatmapCell(e, zone)
      const users = distinctUsersBy(
        filtered.filter((e) => matchesRegion(e, filters.focus)),
        cellOf,
      )
      const totals = distinctUsersBy(filtered, cellOf)
      const oneAm = fall.body.cells.find((c) => c.day === '2025-11-02' && c.hour === 1)
      expect(oneAm?.value).toBe(users.get('2025-11-02 1') ?? 0)
      for (const cell of fall.body.cells) {
        expect(cell.value).toBe(users.get(`${cell.day} ${cell.hour}`) ?? 0)
        expect(cell.total).toBe(totals.get(`${cell.day} ${cell.hour}`) ?? 0)
      }
    }
    const spring = await getJson<HeatmapReport>(app, `/api/regions/heatmap?from=2025-03-09&to=2025-03-10&tz=${zone}`)
    expect(spring.body.cells.map((c) => c.hour)).toEqual([0, 1, ...Array.from({ length: 21 }, (_, i) => i + 3)])
  })
})

describe('across Lord Howe’s 30-minute DST change', () => {
  const zone = 'Australia/Lord_Howe'

  it('hourly views and the region split hold every event once, in the hour its wall clock shows', async () => {
    const range = { from: Date.parse('2025-04-05T00:00:00+11:00'), to: Date.parse('2025-04-07T00:00:00+10:30') }
    const inside = events.filter((e) => e.hashtags.includes(DST_TAG) && inRange(e, range.from, range.to))
    // The hour an instant belongs to starts its local minutes earlier (the repeated 01:30-02:00 too).
    const hourOf = (ts: number) => {
      const minutes = Number(localParts(ts, zone).minute)
      return Math.floor(ts / 60_000) * 60_000 - minutes * 60_000
    }
    const expected = new Map<number, number>()
    for (const e of inside.filter(isView)) expected.set(hourOf(e.ts), (expected.get(hourOf(e.ts)) ?? 0) + 1)

    const { status, body } = await getJson<GrowthReport>(
      app,
      `/api/hashtags/growth?from=2025-04-05&to=2025-04-07&tz=${zone}&tags=${DST_TAG}&granularity=hour`,
    )
    expect(status).toBe(200)
    const points = body.series[0]?.points ?? []
    expect(new Map(points.filter((p) => p.views > 0).map((p) => [p.ts, p.views]))).toEqual(expected)

    const split = await getJson<RegionSplitReport>(
      app,
      `/api/regions/split?from=2025-04-05&to=2025-04-07&tz=${zone}&granularity=hour&metric=events&top=1`,
    )
    expect(split.status).toBe(200)
    const all = events.filter((e) => inRange(e, range.from, range.to))
    expect(split.body.points.reduce((sum, p) => sum + p.total, 0)).toBe(all.length)
  })
})

describe('parameters', () => {
  const longRegions = Array.from({ length: 60 }, () => 'US').join(',')
  const bad: [path: string, parameter: string][] = [
    ['/api/overview?from=yesterday', 'from'],
    ['/api/overview?from=2025-02-30', 'from'],
    ['/api/overview?from=', 'from'],
    ['/api/overview?to=2025-01-14T25:00', 'to'],
    ['/api/overview?to=1736744400000', 'to'],
    ['/api/overview?from=2025-01-15&to=2025-01-14', 'from'],
    ['/api/overview?from=2025-01-14&to=2025-01-14', 'from'],
    ['/api/overview?from=1990-01-01&to=2025-01-01', 'from'],
    ['/api/overview?tz=Mars/Olympus_Mons', 'tz'],
    ['/api/overview?tz=%2B08:00', 'tz'],
    ['/api/overview?tz=', 'tz'],
    [`/api/overview?tz=${encodeURIComponent("Asia/Shanghai'; DROP TABLE events_v1; --")}`, 'tz'],
    ['/api/overview?region=XX', 'region'],
    ['/api/overview?region=cn-shanghai', 'region'],
    [`/api/overview?region=${encodeURIComponent("CN') OR 1=1 --")}`, 'region'],
    [
      `/api/overview?region=${longRegions.replaceAll('US', (_m, i: number) => `U${String.fromCharCode(65 + (i % 26))}`)}`,
      'region',
    ],
    ['/api/overview?region=', 'region'],
    ['/api/overview?granularity=hour', 'granularity'],
    ['/api/overview?foo=bar', 'foo'],
    ['/api/overview?tz=UTC&tz=Asia/Shanghai', 'tz'],
    ['/api/hashtags/growth?tags=a&granularity=week', 'granularity'],
    [`/api/hashtags/growth?tags=a&granularity=${encodeURIComponent('hour; DROP TABLE events_v1')}`, 'granularity'],
    ['/api/hashtags/growth', 'tags'],
    ['/api/hashtags/growth?tags=', 'tags'],
    ['/api/hashtags/growth?tags=,,', 'tags'],
    ['/api/hashtags/growth?tags=%23', 'tags'],
    ['/api/hashtags/growth?tags=a,b,c,d,e,f', 'tags'],
    [`/api/hashtags/growth?tags=${'x'.repeat(65)}`, 'tags'],
    ['/api/hashtags/growth?tags=a%00b', 'tags'],
    ['/api/hashtags/growth?tags=a,b,c&tag=d&tag=e&tag=f', 'tags'],
    [`/api/hashtags/growth?tag=${'y'.repeat(70)}`, 'tag'],
    ['/api/hashtags/growth?tags=a&granularity=minute&from=2025-01-01&to=2025-01-10', 'granularity'],
    ['/api/hashtags/growth?tags=a&granularity=15m&from=2024-01-01&to=2025-01-10', 'granularity'],
    ['/api/hashtags/growth?tags=a&from=2000-01-01&to=2025-01-01', 'from'],
    ['/api/hashtags/top?limit=0', 'limit'],
    ['/api/hashtags/top?limit=101', 'limit'],
    ['/api/hashtags/top?limit=abc', 'limit'],
    ['/api/hashtags/top?limit=-1', 'limit'],
    ['/api/hashtags/top?limit=1.5', 'limit'],
    [`/api/hashtags/top?limit=${encodeURIComponent('10; DROP TABLE events_v1')}`, 'limit'],
    ['/api/hashtags/top?by=likes', 'by'],
    [`/api/hashtags/top?by=${encodeURIComponent("views' --")}`, 'by'],
    ['/api/hashtags/trending?recent=2x', 'recent'],
    ['/api/hashtags/trending?recent=0h', 'recent'],
    ['/api/hashtags/trending?from=2025-01-13&to=2025-01-14&recent=2d', 'recent'],
    ['/api/hashtags/trending?from=2025-01-13T00:00&to=2025-01-13T00:15', 'from'],
    ['/api/hashtags/trending?minMultiple=0.5', 'minMultiple'],
    ['/api/hashtags/trending?minMultiple=abc', 'minMultiple'],
    ['/api/hashtags/trending?minRecent=0', 'minRecent'],
    ['/api/regions/split?level=city', 'level'],
    ['/api/regions/split?metric=clicks', 'metric'],
    ['/api/regions/split?top=0', 'top'],
    ['/api/regions/split?top=21', 'top'],
    ['/api/regions/split?type=like', 'type'],
    [`/api/regions/split?type=${encodeURIComponent("view' OR '1'='1")}`, 'type'],
    ['/api/regions/heatmap?from=2024-01-01&to=2025-01-01', 'from'],
    ['/api/regions/heatmap?region=ZZ', 'region'],
    ['/api/regions/heatmap?focus=ZZ', 'focus'],
    ['/api/live?from=-1h', 'from'],
    ['/api/live?tz=Nowhere/Land', 'tz'],
    ['/api/annotations?from=bad', 'from'],
    ['/api/export/nope.csv', 'dataset'],
    ['/api/export/events.csv?type=bogus', 'type'],
    ['/api/export/growth.csv', 'tags'],
  ]

  it.each(bad)('%s → 400 naming %s', async (path, parameter) => {
    const response = await app.request(path)
    const body = (await response.json()) as ErrorBody
    expect(response.status).toBe(400)
    expect(body.code).toBe('invalid_parameter')
    expect(body.parameter).toBe(parameter)
    expect(body.message).toContain(parameter)
    expect(body.requestId).toBe(response.headers.get('X-Request-Id'))
    expect(body.requestId.length).toBeGreaterThan(0)
  })

  it('an injection attempt in a tag is just a tag that has no events, and the tables are intact', async () => {
    for (const tag of ["tiktokrefugee') OR 1=1 --", "'; DROP TABLE events_v1; --", '{tags:Array(String)}']) {
      const { status, body } = await getJson<GrowthReport>(
        app,
        `/api/hashtags/growth?from=2025-01-13&to=2025-01-15&granularity=day&tag=${encodeURIComponent(tag)}`,
      )
      expect(status).toBe(200)
      expect(body.series[0]?.tag).toBe(normaliseTag(tag))
      expect(body.series[0]?.points.map((p) => p.cumViews)).toEqual([0, 0])
    }
    const meta = await getJson<{ dataRange: { events: number } }>(app, '/api/meta')
    expect(meta.body.dataRange.events).toBe(events.length)
  })

  it('a hostile tag is found by the tag parameter, commas and all', async () => {
    const tag = '=hyperlink("http://x","y")'
    const { body } = await getJson<GrowthReport>(
      app,
      `/api/hashtags/growth?from=2025-01-10&to=2025-01-21&granularity=day&tag=${encodeURIComponent(tag)}`,
    )
    const expected = events.filter((e) => e.hashtags.includes(tag) && isView(e)).length
    expect(expected).toBeGreaterThan(0)
    expect(body.series[0]?.points.at(-1)?.cumViews).toBe(expected)
  })

  it('no garbage in any parameter of any route gives a 5xx', async () => {
    const routes: Record<string, string[]> = {
      '/api/overview': ['from', 'to', 'tz', 'region'],
      '/api/hashtags/growth': ['from', 'to', 'tz', 'granularity', 'region', 'tags', 'tag'],
      '/api/hashtags/top': ['from', 'tz', 'region', 'by', 'limit'],
      '/api/hashtags/trending': ['to', 'tz', 'by', 'limit', 'recent', 'minMultiple', 'minRecent'],
      '/api/regions/split': ['from', 'tz', 'granularity', 'region', 'type', 'level', 'metric', 'top'],
      '/api/regions/heatmap': ['from', 'tz', 'region', 'focus', 'type', 'metric'],
      '/api/annotations': ['from', 'to', 'tz'],
      '/api/export/top.csv': ['from', 'by', 'limit'],
    }
    const garbage = [
      '',
      ' ',
      "'",
      '"',
      ';',
      '--',
      '\\',
      "'; DROP TABLE events_v1; --",
      "tiktokrefugee') OR 1=1",
      '\u0000',
      '../../etc/passwd',
      '{tz:String}',
      'a'.repeat(3000),
      '-1',
      '1e309',
      'NaN',
      '[]',
      '\u202e',
      '😀',
      '2025-01-13T00:00:00+99:99',
      '-999999d',
    ]
    const seen = new Set<number>()
    for (const [route, params] of Object.entries(routes)) {
      for (const param of params) {
        for (const value of garbage) {
          const query = new URLSearchParams({ [param]: value })
          if (route.includes('growth') && param !== 'tags' && param !== 'tag') query.set('tags', 'tiktokrefugee')
          const response = await app.request(`${route}?${query}`)
          seen.add(response.status)
          expect(response.status, `${route} ${param}=${JSON.stringify(value).slice(0, 40)}`).toBeLessThan(500)
          if (response.status >= 400) {
            const body = (await response.json()) as ErrorBody
            expect(body.parameter, `${route} ${param}=${JSON.stringify(value).slice(0, 40)}`).toBe(param)
          } else await response.body?.cancel()
        }
      }
    }
    expect(seen.has(400)).toBe(true)
    const meta = await getJson<{ dataRange: { events: number } }>(app, '/api/meta')
    expect(meta.body.dataRange.events).toBe(events.length)
  })

  it('relative ranges and defaults answer', async () => {
    const before = Date.now()
    const { status, body } = await getJson<OverviewReport>(app, '/api/overview?from=-7d&to=now&tz=Asia/Kathmandu')
    expect(status).toBe(200)
    expect(body.range.toTs).toBeGreaterThanOrEqual(Math.floor(before / 900_000) * 900_000)
    expect(body.range.to.endsWith('+05:45')).toBe(true)
    const growth = await getJson<GrowthReport>(app, '/api/hashtags/growth?tags=tiktokrefugee')
    expect(growth.body.granularity).toBe('15m')
    expect(growth.body.tz).toBe('Asia/Shanghai')
    expect(growth.body.series[0]?.points.length).toBeGreaterThanOrEqual(96)
  })

  it('time zone names are matched case-insensitively and returned as the engine spells them', async () => {
    const { status, body } = await getJson<OverviewReport>(
      app,
      '/api/overview?from=2025-01-13&to=2025-01-14&tz=asia/kolkata',
    )
    expect(status).toBe(200)
    expect(body.tz).toBe('Asia/Kolkata')
    expect(body.range.fromTs).toBe(Date.parse('2025-01-13T00:00:00+05:30'))
  })
})

describe('access', () => {
  const token = 'test-token-0123456789abcdef'
  let secured: Hono<AppEnv>
  beforeAll(() => {
    secured = testApp(loaded, { api: { token } })
  })

  it('requires the token on every data route, as a header (or a query parameter on downloads)', async () => {
    for (const path of ['/api/overview', '/api/hashtags/top', '/api/meta', '/api/ingest', '/api/export/top.csv']) {
      const missing = await secured.request(path)
      expect(missing.status, path).toBe(401)
      expect(((await missing.json()) as ErrorBody).code).toBe('unauthorized')
      expect(missing.headers.get('WWW-Authenticate')).toBe('Bearer')
      const wrong = await secured.request(path, { headers: { Authorization: 'Bearer nope' } })
      expect(wrong.status, path).toBe(401)
      await wrong.body?.cancel()
      const header = await secured.request(path, { headers: { Authorization: `Bearer ${token}` } })
      expect(header.status, path).toBe(200)
      await header.body?.cancel()
      // A token in the URL is for downloads and the live stream only (links and EventSource send no headers).
      const query = await secured.request(`${path}?token=${token}`)
      expect(query.status, path).toBe(path.startsWith('/api/export/') ? 200 : 401)
      await query.body?.cancel()
    }
  })

  it('leaves health, metrics and the OpenAPI document open', async () => {
    for (const path of ['/healthz', '/readyz', '/metrics', '/api/openapi.json']) {
      const response = await secured.request(path)
      expect(response.status, path).toBe(200)
      await response.body?.cancel()
    }
  })
})

describe('live', () => {
  async function* sseEvents(body: ReadableStream<Uint8Array>) {
    const reader = body.getReader()
    const decoder = new TextDecoder()
    let buffer = ''
    try {
      while (true) {
        const { done, value } = await reader.read()
        if (done) return
        buffer += decoder.decode(value, { stream: true })
        let end = buffer.indexOf('\n\n')
        while (end >= 0) {
          const block = buffer.slice(0, end)
          buffer = buffer.slice(end + 2)
          const event = /^event: (.*)$/m.exec(block)?.[1] ?? 'message'
          const data = block
            .split('\n')
            .filter((line) => line.startsWith('data: '))
            .map((line) => line.slice(6))
            .join('\n')
          yield { event, data }
          end = buffer.indexOf('\n\n')
        }
      }
    } finally {
      await reader.cancel()
    }
  }

  it('overview: new users never exceed active users while new users keep arriving', async () => {
    const batches = 12
    let written = 0
    const writing = (async () => {
      for (let batch = 0; batch < batches; batch++) {
        const now = Date.now()
        await loaded.write(
          Array.from({ length: 200 }, (_, i) => ({
            id: `newcomer-${batch}-${i}`,
            type: 'view' as const,
            ts: now - i,
            user_id: `newcomer-${batch}-${i}`,
            note_id: 'n',
            region: i % 2 === 0 ? 'US' : 'CN-SH',
          })),
        )
        written++
      }
    })()
    const seen: { active: number; fresh: number }[] = []
    while (written < batches) {
      for (const filter of ['', '&region=US']) {
        const { status, body } = await getJson<OverviewReport>(app, `/api/overview?from=-1h&to=now${filter}`)
        expect(status).toBe(200)
        seen.push({ active: body.current.activeUsers, fresh: body.current.newUsers })
        expect(body.current.newUsers).toBeLessThanOrEqual(body.current.activeUsers)
      }
    }
    await writing
    // The reads overlapped the writes: they saw the counts grow.
    expect(new Set(seen.map((s) => s.fresh)).size).toBeGreaterThan(1)
  })

  it('streams a first tick at once, then the newest minute’s figures as events arrive', async () => {
    const response = await app.request('/api/live?tz=Asia/Kolkata')
    expect(response.status).toBe(200)
    expect(response.headers.get('Content-Type')).toContain('text/event-stream')
    if (!response.body) throw new Error('no body')
    const stream = sseEvents(response.body)
    const first = await stream.next()
    expect(first.value?.event).toBe('tick')
    const tick = JSON.parse(first.value?.data ?? '{}') as LiveTick
    expect(tick.ingest.mode).toBe('test')
    expect(tick.minute.ts).toBe(Math.floor(tick.atTs / 60_000) * 60_000 - 60_000)
    expect(tick.minute.t.endsWith('+05:30')).toBe(true)

    // Known events in each of the minutes around now: whichever minute a later tick reports, its figures are known.
    const nowMinute = Math.floor(Date.now() / 60_000) * 60_000
    const expected = new Map<number, { views: number; discussions: number; users: Set<string>; events: number }>()
    const wire: WireEvent[] = []
    for (let m = -1; m <= 3; m++) {
      const minute = nowMinute + m * 60_000
      const figures = { views: 0, discussions: 0, users: new Set<string>(), events: 0 }
      for (let i = 0; i < 3 + m + 1; i++) {
        const type = i % 3 === 2 ? 'comment' : 'view'
        wire.push({
          id: `live-${m}-${i}`,
          type,
          ts: minute + i * 1000,
          user_id: `live-${i % 2}`,
          note_id: 'n',
          region: 'CN',
        })
        if (type === 'view') figures.views++
        else figures.discussions++
        figures.users.add(`live-${i % 2}`)
        figures.events++
      }
      expected.set(minute, figures)
    }
    await loaded.write(wire)
    const written = Date.now()
    const matched = await eventually(
      async () => {
        const next = await stream.next()
        if (next.done || next.value.event !== 'tick') return undefined
        const later = JSON.parse(next.value.data) as LiveTick
        if (later.atTs <= written || !expected.has(later.minute.ts)) return undefined
        return later
      },
      20_000,
      'a tick reporting a minute with known events',
    )
    // Every event stored in that minute counts, these and any other test's (earlier tests write at "now" too).
    const inMinute = events.filter((e) => e.ts >= matched.minute.ts && e.ts < matched.minute.ts + 60_000)
    expect(inMinute.length).toBeGreaterThanOrEqual(expected.get(matched.minute.ts)?.events ?? 0)
    expect(matched.minute).toMatchObject({
      views: inMinute.filter(isView).length,
      discussions: inMinute.filter(isDiscussion).length,
      activeUsers: new Set(inMinute.map((e) => e.user_id)).size,
      events: inMinute.length,
    })
    await stream.return(undefined)
  })

  it('reports the ingest snapshot', async () => {
    loaded.metrics.recordReceived(5)
    const { status, body } = await getJson<{ received: number; mode: string }>(app, '/api/ingest')
    expect(status).toBe(200)
    expect(body).toMatchObject({ mode: 'test', received: 5 })
  })
})

describe('annotations', () => {
  it('are seeded with the story’s S5 and S6, and can be added and deleted', async () => {
    const range = 'from=2025-01-10&to=2025-01-21&tz=Asia/Shanghai'
    const seeded = await getJson<{ rows: { id: string; t: string; hashtag: string }[] }>(
      app,
      `/api/annotations?${range}`,
    )
    expect(seeded.body.rows.map((r) => [r.id, r.t])).toEqual([
      ['S5', '2025-01-13T00:00:00+08:00'],
      ['S6', '2025-01-19T13:00:00+08:00'],
    ])
    const post = await app.request('/api/annotations', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ ts: '2025-01-14T03:00:00+08:00', title: '16M views', hashtag: '#TikTokRefugee' }),
    })
    expect(post.status).toBe(201)
    const created = (await post.json()) as { id: string; ts: number; hashtag: string; t: string }
    expect(created).toMatchObject({ ts: Date.parse('2025-01-13T19:00:00Z'), hashtag: 'tiktokrefugee' })
    const withNew = await getJson<{ rows: { id: string }[] }>(app, `/api/annotations?${range}`)
    expect(withNew.body.rows.map((r) => r.id)).toEqual(['S5', created.id, 'S6'])
    const deleted = await app.request(`/api/annotations/${created.id}`, { method: 'DELETE' })
    expect(deleted.status).toBe(204)
    const again = await app.request(`/api/annotations/${created.id}`, { method: 'DELETE' })
    expect(again.status).toBe(404)
    expect(((await again.json()) as ErrorBody).code).toBe('not_found')
    const after = await getJson<{ rows: { id: string }[] }>(app, `/api/annotations?${range}`)
    expect(after.body.rows.map((r) => r.id)).toEqual(['S5', 'S6'])
  })

  it('are never served stale from the response cache after a write', async () => {
    const cachedApp = testApp(loaded, { responseCacheMs: 60_000 })
    const range = 'from=2025-01-10&to=2025-01-21'
    const before = await getJson<{ rows: { id: string }[] }>(cachedApp, `/api/annotations?${range}`)
    const post = await cachedApp.request('/api/annotations', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ ts: Date.parse('2025-01-15T00:00:00Z'), title: 'cache check' }),
    })
    const created = (await post.json()) as { id: string }
    const after = await getJson<{ rows: { id: string }[] }>(cachedApp, `/api/annotations?${range}`)
    expect(after.body.rows.length).toBe(before.body.rows.length + 1)
    expect((await cachedApp.request(`/api/annotations/${created.id}`, { method: 'DELETE' })).status).toBe(204)
    const deleted = await getJson<{ rows: { id: string }[] }>(cachedApp, `/api/annotations?${range}`)
    expect(deleted.body.rows.map((r) => r.id)).toEqual(before.body.rows.map((r) => r.id))
  })

  it('refuses bad bodies naming the field', async () => {
    const cases: [body: string, field: string][] = [
      ['not json', 'body'],
      [JSON.stringify({ title: 'x' }), 'ts'],
      [JSON.stringify({ ts: 'tomorrow', title: 'x' }), 'ts'],
      [JSON.stringify({ ts: '2025-01-14T03:00:00', title: 'x' }), 'ts'],
      [JSON.stringify({ ts: 1736744400000, title: '' }), 'title'],
      [JSON.stringify({ ts: 1736744400000, title: 'x'.repeat(201) }), 'title'],
      [JSON.stringify({ ts: 1736744400000, title: 'x', hashtag: 'a\u0001' }), 'hashtag'],
      [JSON.stringify({ ts: 1736744400000, title: 'x', extra: 1 }), 'extra'],
      [JSON.stringify({ ts: 1736744400000, title: 'x', body: 'y'.repeat(20_000) }), 'body'],
    ]
    for (const [body, field] of cases) {
      const response = await app.request('/api/annotations', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body,
      })
      const error = (await response.json()) as ErrorBody
      expect(response.status, body.slice(0, 60)).toBeGreaterThanOrEqual(400)
      expect(response.status, body.slice(0, 60)).toBeLessThan(500)
      expect(error.parameter, body.slice(0, 60)).toBe(field)
    }
  })
})

describe('service routes', () => {
  it('health, readiness and Prometheus metrics by route and status', async () => {
    expect((await getJson<{ status: string }>(app, '/healthz')).body.status).toBe('ok')
    expect((await getJson<{ status: string }>(app, '/readyz')).body.status).toBe('ready')
    await app.request('/api/overview?from=2025-01-13&to=2025-01-14')
    await app.request('/api/overview?tz=bad')
    loaded.metrics.recordRejected('bad_json')
    const response = await app.request('/metrics')
    expect(response.headers.get('Content-Type')).toContain('text/plain')
    const text = await response.text()
    expect(text).toMatch(/trendlens_http_requests_total\{method="GET",route="\/api\/overview",status="200"\} \d+/)
    expect(text).toMatch(/trendlens_http_requests_total\{method="GET",route="\/api\/overview",status="400"\} \d+/)
    expect(text).toMatch(
      /trendlens_http_request_duration_seconds_bucket\{method="GET",route="\/api\/overview",status="200",le="\+Inf"\} \d+/,
    )
    expect(text).toMatch(/trendlens_ingest_rejected_events_total\{mode="test",reason="bad_json"\} 1/)
    expect(text).toContain('trendlens_ingest_stored_events_total{mode="test"}')
  })

  it('meta gives the data range, the story and the default zone', async () => {
    const { body } = await getJson<MetaReport>(app, '/api/meta')
    expect(body.defaultTimeZone).toBe('Asia/Shanghai')
    expect(body.story?.tag).toBe('tiktokrefugee')
    expect(body.backend).toBe('embedded')
    expect(body.dataRange?.events).toBe(events.length)
    expect(body.dataRange?.fromTs).toBe(Math.min(...events.map((e) => e.ts)))
    expect(body.dataRange?.toTs).toBe(Math.max(...events.map((e) => e.ts)))
  })

  it('meta names no story when the API is not given one (Kafka without the seed)', async () => {
    const { status, body } = await getJson<MetaReport>(testApp(loaded, { story: undefined }), '/api/meta')
    expect(status).toBe(200)
    expect(body.story).toBeNull()
    expect(body.dataRange?.events).toBe(events.length)
  })

  it('serves an OpenAPI 3.1 document built from the parameter schemas', async () => {
    const { body } = await getJson<{
      openapi: string
      paths: Record<string, Record<string, { parameters: { name: string; schema: { enum?: string[] } }[] }>>
    }>(app, '/api/openapi.json')
    expect(body.openapi).toBe('3.1.0')
    for (const path of ['/api/overview', '/api/hashtags/growth', '/api/regions/split', '/api/export/events.csv']) {
      expect(body.paths[path]?.get, path).toBeDefined()
    }
    const growth = body.paths['/api/hashtags/growth']?.get?.parameters ?? []
    expect(growth.map((p) => p.name)).toEqual(
      expect.arrayContaining(['from', 'to', 'tz', 'granularity', 'tags', 'tag']),
    )
    expect(growth.find((p) => p.name === 'granularity')?.schema.enum).toEqual(['minute', '15m', 'hour', 'day'])
    expect(body.paths['/api/annotations']?.post).toBeDefined()
  })

  it('answers unknown routes with the error shape', async () => {
    const response = await app.request('/api/nothing-here')
    expect(response.status).toBe(404)
    const body = (await response.json()) as ErrorBody
    expect(body.code).toBe('not_found')
    expect(body.requestId).toBe(response.headers.get('X-Request-Id'))
    const echoed = await app.request('/healthz', { headers: { 'X-Request-Id': 'abc-123' } })
    expect(echoed.headers.get('X-Request-Id')).toBe('abc-123')
  })

  it('serves the built dashboard with a single-page fallback, precompressed copies and long caching of hashed assets', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'trendlens-dashboard-'))
    try {
      mkdirSync(join(dir, 'assets'))
      writeFileSync(join(dir, 'index.html'), '<!doctype html><div id="root"></div>')
      writeFileSync(join(dir, 'index.html.br'), brotliCompressSync('<!doctype html><div id="root"></div>'))
      writeFileSync(join(dir, 'assets', 'app.js'), 'console.log(1)')
      writeFileSync(join(dir, 'assets', 'app.js.br'), brotliCompressSync('console.log(1)'))
      writeFileSync(join(dir, 'assets', 'app.js.gz'), gzipSync('console.log(1)'))
      const withDashboard = testApp(loaded, { dashboardDir: dir })
      const index = await withDashboard.request('/')
      expect(await index.text()).toContain('id="root"')
      const page = await withDashboard.request('/hashtags/tiktokrefugee')
      expect(page.status).toBe(200)
      expect(await page.text()).toContain('id="root"')
      expect(index.headers.get('Cache-Control')).toBe('no-cache')
      expect(page.headers.get('Cache-Control')).toBe('no-cache')
      const script = await withDashboard.request('/assets/app.js')
      expect(script.headers.get('Content-Type')).toContain('javascript')
      expect(script.headers.get('Cache-Control')).toBe('public, max-age=31536000, immutable')
      expect(await script.text()).toBe('console.log(1)')
      // The build's compressed copies go to browsers that take them, with the same type and caching.
      const brotli = await withDashboard.request('/assets/app.js', { headers: { 'Accept-Encoding': 'gzip, br' } })
      expect(brotli.headers.get('Content-Encoding')).toBe('br')
      expect(brotli.headers.get('Content-Type')).toContain('javascript')
      expect(brotli.headers.get('Cache-Control')).toBe('public, max-age=31536000, immutable')
      expect(brotliDecompressSync(Buffer.from(await brotli.arrayBuffer())).toString()).toBe('console.log(1)')
      const gzip = await withDashboard.request('/assets/app.js', { headers: { 'Accept-Encoding': 'gzip' } })
      expect(gzip.headers.get('Content-Encoding')).toBe('gzip')
      expect(gunzipSync(Buffer.from(await gzip.arrayBuffer())).toString()).toBe('console.log(1)')
      const compressedPage = await withDashboard.request('/hashtags/x', { headers: { 'Accept-Encoding': 'br' } })
      expect(compressedPage.headers.get('Content-Encoding')).toBe('br')
      expect(brotliDecompressSync(Buffer.from(await compressedPage.arrayBuffer())).toString()).toContain('id="root"')
      expect((await withDashboard.request('/assets/missing.js')).status).toBe(404)
      const api = await withDashboard.request('/api/missing')
      expect(api.status).toBe(404)
      expect(((await api.json()) as ErrorBody).code).toBe('not_found')
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
