/**
 * GET /api/regions/split and /heatmap against the real engine, loaded with the checked-in sample (plus events
 * around New York's DST changes) through the real ingest path. Every value, share, leader and crossover is compared
 * with a count computed here from the raw events, in several zones (DST, +5:30, +5:45).
 */

import type { HeatmapReport, RegionSplitReport } from '@trendlens/contract'
import type { StoredEvent } from '@trendlens/sql'
import type { Hono } from 'hono'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AppEnv } from '../app.ts'
import {
  bucketLabel,
  byCodePoint,
  countBy,
  distinctUsersBy,
  dstEvents,
  getJson,
  inRange,
  type Loaded,
  loadSampleStore,
  localRange,
  matchesRegion,
  testApp,
  ZONES,
} from '../test-support.ts'

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
  it('regions split: values, shares, leader and crossovers by hour equal the raw counts', async () => {
    const split = localRange('2025-01-14', '2025-01-17', offset)
    const path = `/api/regions/split?from=2025-01-14&to=2025-01-17&tz=${encodeURIComponent(zone)}&granularity=hour`
    for (const [level, metric, types] of [
      ['country', 'users', []],
      ['province', 'events', []],
      ['country', 'users', ['view']],
      ['province', 'users', ['post', 'comment']],
    ] as const) {
      const typeFilter = types.length > 0 ? `&type=${types.join(',')}` : ''
      const { status, body } = await getJson<RegionSplitReport>(
        app,
        `${path}&level=${level}&metric=${metric}&top=3${typeFilter}`,
      )
      expect(status).toBe(200)
      const inside = events.filter(
        (e) =>
          inRange(e, split.from, split.to) && (types.length === 0 || (types as readonly string[]).includes(e.type)),
      )
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
      if (level === 'country' && types.length === 0) {
        // The story's "China by day, America by night": the lead changes hands, every day.
        expect(body.crossovers.length).toBeGreaterThanOrEqual(4)
        expect(new Set(body.crossovers.map((c) => c.to))).toEqual(new Set(['CN', 'US']))
      }
    }
  })

  it.each([
    { focus: ['US'], regions: [], types: [] },
    { focus: ['US'], regions: ['US', 'CN-SH'], types: [] },
    { focus: ['CN-SH'], regions: ['CN'], types: [] },
    { focus: [], regions: ['CN'], types: [] },
    { focus: ['US'], regions: [], types: ['view'] },
    { focus: ['CN-SH'], regions: ['CN'], types: ['post', 'comment'] },
  ])('heatmap: hour of day by day, the focus regions’ value and share within the filter %j', async (filters) => {
    const query = `${filters.regions.length > 0 ? `&region=${filters.regions.join(',')}` : ''}${
      filters.focus.length > 0 ? `&focus=${filters.focus.join(',')}` : ''
    }${filters.types.length > 0 ? `&type=${filters.types.join(',')}` : ''}`
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
      const inside = events.filter(
        (e) => inRange(e, range.from, range.to) && matchesRegion(e, filters.regions) && hasType(e, filters.types),
      )
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

/** Whether an event passes a type filter (empty: every type). */
function hasType(e: StoredEvent, types: readonly string[]): boolean {
  return types.length === 0 || types.includes(e.type)
}

/** The heatmap cell (local day and hour) an event falls in. */
function heatmapCell(e: StoredEvent, zone: string): string {
  const label = bucketLabel(e.ts, zone, 'hour')
  return `${label.slice(0, 10)} ${Number(label.slice(11, 13))}`
}

describe('across New York’s DST changes', () => {
  const zone = 'America/New_York'

  it('heatmap: the fall-back day’s two 01:00 hours are one cell; the spring day has no 02:00', async () => {
    const range = { from: Date.parse('2025-11-01T00:00:00-04:00'), to: Date.parse('2025-11-03T00:00:00-05:00') }
    const inside = events.filter((e) => inRange(e, range.from, range.to))
    for (const filters of [
      { regions: [], focus: ['US'], types: [] },
      { regions: ['US-NY'], focus: [], types: [] },
      { regions: ['CN'], focus: ['US'], types: [] },
      { regions: [], focus: ['US'], types: ['view', 'post'] },
    ]) {
      const fall = await getJson<HeatmapReport>(
        app,
        `/api/regions/heatmap?from=2025-11-01&to=2025-11-03&tz=${zone}` +
          `${filters.regions.length > 0 ? `&region=${filters.regions.join(',')}` : ''}` +
          `${filters.focus.length > 0 ? `&focus=${filters.focus.join(',')}` : ''}` +
          `${filters.types.length > 0 ? `&type=${filters.types.join(',')}` : ''}`,
      )
      expect(fall.status).toBe(200)
      expect(fall.body.cells.length).toBe(48)
      const filtered = inside.filter((e) => matchesRegion(e, filters.regions) && hasType(e, filters.types))
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

describe('regions split by minute (the 1-minute rollup)', () => {
  it.each([
    ['Asia/Kathmandu', []],
    ['America/New_York', ['post', 'comment']],
  ] as const)(
    'in %s with types %j: every minute’s values and total equal the raw distinct users',
    async (zone, types) => {
      const from = Date.parse('2025-01-14T12:00:00Z')
      const to = Date.parse('2025-01-14T14:00:00Z')
      const typeFilter = types.length > 0 ? `&type=${types.join(',')}` : ''
      const { status, body } = await getJson<RegionSplitReport>(
        app,
        `/api/regions/split?from=2025-01-14T12:00:00Z&to=2025-01-14T14:00:00Z&tz=${encodeURIComponent(zone)}` +
          `&granularity=minute&top=2${typeFilter}`,
      )
      expect(status).toBe(200)
      expect(body.points.length).toBe(120)
      const inside = events.filter((e) => inRange(e, from, to) && hasType(e, types))
      const shown = body.regions.filter((key) => key !== 'other')
      expect(shown.length).toBe(2)
      const byMinute = new Map<string, StoredEvent[]>()
      for (const e of inside) {
        const label = bucketLabel(e.ts, zone, 'minute')
        byMinute.set(label, [...(byMinute.get(label) ?? []), e])
      }
      const users = (list: StoredEvent[]) => new Set(list.map((e) => e.user_id)).size
      let active = 0
      for (const point of body.points) {
        const minute = byMinute.get(point.t) ?? []
        if (minute.length > 0) active++
        const values: Record<string, number> = {}
        for (const key of shown) values[key] = users(minute.filter((e) => e.country === key))
        values.other = users(minute.filter((e) => !shown.includes(e.country)))
        expect(point.values, point.t).toEqual(values)
        expect(point.total, point.t).toBe(users(minute))
      }
      expect(active).toBeGreaterThan(10)
    },
  )
})
