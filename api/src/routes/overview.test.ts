/**
 * GET /api/overview against the real engine, loaded with the checked-in sample through the real ingest path: every
 * KPI equals a count computed here from the raw events, in several zones (DST, +5:30, +5:45); relative ranges,
 * defaults and zone spelling; new users never exceed active users while events arrive.
 */

import type { GrowthReport, OverviewReport } from '@trendlens/contract'
import type { StoredEvent } from '@trendlens/sql'
import type { Hono } from 'hono'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AppEnv } from '../app.ts'
import {
  getJson,
  inRange,
  isDiscussion,
  isView,
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
  events = loaded.events
  app = testApp(loaded)
})

afterAll(async () => {
  await loaded?.close()
})

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
})

describe('ranges and zone names', () => {
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

describe('while new users arrive', () => {
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
})
