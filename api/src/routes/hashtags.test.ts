/**
 * GET /api/hashtags/growth, /top and /trending against the real engine, loaded with the checked-in sample (plus
 * events around New York's and Lord Howe's DST changes) through the real ingest path. Every figure is compared with
 * a count computed here from the raw events, in several zones (DST, +5:30, +5:45).
 */

import type { GrowthReport, RegionSplitReport, TopTagsReport, TrendingReport } from '@trendlens/contract'
import type { StoredEvent } from '@trendlens/sql'
import type { Hono } from 'hono'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AppEnv } from '../app.ts'
import {
  bucketLabel,
  byCodePoint,
  DST_TAG,
  dstEvents,
  getJson,
  inRange,
  isDiscussion,
  isView,
  type Loaded,
  loadSampleStore,
  localParts,
  localRange,
  matchesRegion,
  nonZero,
  perBucket,
  pointLabel,
  testApp,
  type Unit,
  ZONES,
} from '../test-support.ts'

const HOUR = 3_600_000

let loaded: Loaded
let app: Hono<AppEnv>
let events: StoredEvent[]

beforeAll(async () => {
  loaded = await loadSampleStore()
  await loaded.write(dstEvents())
  events = loaded.events
  app = testApp(loaded)
})

afterAll(async () => {
  await loaded?.close()
})

describe.each(ZONES)('figures in %s', (zone, offset) => {
  const range = localRange('2025-01-13', '2025-01-15', offset)
  const base = `from=2025-01-13&to=2025-01-15&tz=${encodeURIComponent(zone)}`
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
    const seenBefore = new Set<string>()
    for (const e of events) {
      if (!matchesRegion(e, regions)) continue
      if (e.ts < recentFrom) for (const tag of e.hashtags) seenBefore.add(tag)
      if (!inRange(e, range.from, range.to)) continue
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
    // The sample has tagged events in the range's first quarter hour, so the data covers both windows whole.
    expect(body.covered.fromTs).toBe(range.from)
    const recentHours = (range.to - recentFrom) / HOUR
    const baselineHours = (recentFrom - range.from) / HOUR
    const expected = [...stats]
      .map(([tag, s]) => {
        const recentRate = s.recent / recentHours
        const baselineRate = s.baseline / baselineHours
        const isNew = !seenBefore.has(tag)
        return {
          tag,
          ...s,
          recentRate,
          baselineRate,
          isNew,
          multiple: s.baseline === 0 ? null : recentRate / baselineRate,
        }
      })
      .filter((row) => row.recent >= 3 && (row.multiple === null || row.multiple >= 2))
      .sort(
        (a, b) =>
          Number(a.multiple === null) - Number(b.multiple === null) ||
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
})

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
