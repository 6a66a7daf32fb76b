/**
 * Trending against each tag's own trailing baseline, on the real engine, checked against figures computed here from
 * the raw events: a tag with history that spikes trends, a steady tag does not (although the data covers only part
 * of the baseline window), a tag never seen before is new, and a tag with old history but none in the baseline is
 * listed without a multiple and is not new. Ranges are local dates in Shanghai, New York (across both DST changes)
 * and Kathmandu; one range reaches past now, whose rates are spread only up to now.
 */

import type { TrendingReport, WireEvent } from '@trendlens/contract'
import type { StoredEvent } from '@trendlens/sql'
import type { Hono } from 'hono'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AppEnv } from '../app.ts'
import {
  byCodePoint,
  getJson,
  isDiscussion,
  isView,
  type Loaded,
  loadSampleStore,
  matchesRegion,
  testApp,
} from '../test-support.ts'

const MINUTE = 60_000
const QUARTER = 15 * MINUTE
const HOUR = 60 * MINUTE
const DAY = 24 * HOUR
const RECENT = 2 * HOUR
/** Data begins this long before the end of each range: the baseline window is longer than the data. */
const DATA_SPAN = 15 * HOUR

interface Scenario {
  zone: string
  /** The request's local from and to, and the same instants with their offsets written out. */
  from: string
  to: string
  fromTs: number
  toTs: number
  /** Tag suffix, so each scenario's tags are its own. */
  key: string
}

const SCENARIOS: Scenario[] = [
  {
    zone: 'Asia/Shanghai',
    from: '2025-03-01',
    to: '2025-03-02T12:00',
    fromTs: Date.parse('2025-03-01T00:00:00+08:00'),
    toTs: Date.parse('2025-03-02T12:00:00+08:00'),
    key: 'sh',
  },
  {
    zone: 'America/New_York',
    from: '2025-03-08',
    to: '2025-03-09T12:00',
    fromTs: Date.parse('2025-03-08T00:00:00-05:00'),
    toTs: Date.parse('2025-03-09T12:00:00-04:00'),
    key: 'nyspring',
  },
  {
    zone: 'Asia/Kathmandu',
    from: '2025-03-20',
    to: '2025-03-21T12:00',
    fromTs: Date.parse('2025-03-20T00:00:00+05:45'),
    toTs: Date.parse('2025-03-21T12:00:00+05:45'),
    key: 'ktm',
  },
  {
    zone: 'America/New_York',
    from: '2025-11-01',
    to: '2025-11-02T12:00',
    fromTs: Date.parse('2025-11-01T00:00:00-04:00'),
    toTs: Date.parse('2025-11-02T12:00:00-05:00'),
    key: 'nyfall',
  },
]

/** Events of `tag` every `every` ms in [from, to), alternating regions, each `discussEvery`-th a comment. */
function series(
  tag: string,
  from: number,
  to: number,
  every: number,
  regions: readonly string[],
  discussEvery = 0,
): WireEvent[] {
  const wire: WireEvent[] = []
  let n = 0
  for (let ts = from; ts < to; ts += every) {
    wire.push({
      id: `${tag}-${from}-${n}`,
      type: discussEvery > 0 && n % discussEvery === 0 ? 'comment' : 'view',
      ts: ts + (n % 7) * 1000,
      user_id: `user-${n % 11}`,
      note_id: `note-${tag}`,
      hashtags: [tag],
      region: regions[n % regions.length] as string,
    })
    n++
  }
  return wire
}

function scenarioEvents({ fromTs, toTs, key }: Scenario): WireEvent[] {
  const recentFrom = toTs - RECENT
  const dataFrom = toTs - DATA_SPAN
  return [
    // Steady at 6 views an hour over the 15 hours the data covers, in China and the US.
    ...series(`steady${key}`, dataFrom, toTs, 10 * MINUTE, ['CN-SH', 'US-CA'], 3),
    // Two an hour until the recent window, then thirty.
    ...series(`spike${key}`, dataFrom, recentFrom, 30 * MINUTE, ['CN-SH', 'US-CA'], 2),
    ...series(`spike${key}`, recentFrom, toTs, 2 * MINUTE, ['CN-SH', 'US-CA'], 4),
    // Never seen before the recent window.
    ...series(`fresh${key}`, recentFrom, toTs, 5 * MINUTE, ['US-CA', 'US-NY'], 3),
    // Seen in the US three days before the range, nothing in the baseline, back in China now.
    ...series(`back${key}`, fromTs - 3 * DAY, fromTs - 3 * DAY + HOUR, 10 * MINUTE, ['US-CA']),
    ...series(`back${key}`, recentFrom, toTs, 6 * MINUTE, ['CN-SH'], 4),
  ]
}

interface Expected {
  recentHours: number
  baselineHours: number
  coveredFrom: number
  rows: {
    tag: string
    recent: number
    baseline: number
    views: number
    isNew: boolean
    recentRate: number
    baselineRate: number
    multiple: number | null
  }[]
}

/** The trending answer computed from the raw events alone. */
function expectedTrending(
  events: readonly StoredEvent[],
  window: { from: number; recentFrom: number; to: number; now: number },
  filter: { regions: readonly string[]; by: 'views' | 'discussions'; minMultiple: number; minRecent: number },
): Expected {
  const { from, recentFrom, to, now } = window
  const tagged = events.filter((e) => e.hashtags.length > 0 && (isView(e) || isDiscussion(e)))
  const inRange = tagged.filter((e) => e.ts >= from && e.ts < to)
  const first = Math.min(...inRange.map((e) => Math.floor(e.ts / QUARTER) * QUARTER))
  const coveredTo = Math.min(to, now)
  const coveredFrom = Number.isFinite(first) ? Math.max(from, first) : coveredTo
  const recentHours = Math.max(0, coveredTo - Math.max(recentFrom, coveredFrom)) / HOUR
  const baselineHours = Math.max(0, Math.min(recentFrom, coveredTo) - coveredFrom) / HOUR
  const counted = filter.by === 'views' ? isView : isDiscussion
  const stats = new Map<string, { recent: number; baseline: number; views: number; seenBefore: boolean }>()
  for (const e of events) {
    if (!matchesRegion(e, filter.regions)) continue
    for (const tag of e.hashtags) {
      const s = stats.get(tag) ?? { recent: 0, baseline: 0, views: 0, seenBefore: false }
      if (e.ts < recentFrom) s.seenBefore = true
      if (e.ts >= from && e.ts < to) {
        if (isView(e)) s.views++
        if (counted(e)) {
          if (e.ts >= recentFrom) s.recent++
          else s.baseline++
        }
      }
      stats.set(tag, s)
    }
  }
  const rows = [...stats]
    .filter(([, s]) => s.recent >= filter.minRecent)
    .map(([tag, s]) => {
      const recentRate = recentHours > 0 ? s.recent / recentHours : 0
      const baselineRate = baselineHours > 0 ? s.baseline / baselineHours : 0
      const multiple = s.baseline > 0 ? recentRate / baselineRate : null
      return {
        tag,
        recent: s.recent,
        baseline: s.baseline,
        views: s.views,
        isNew: !s.seenBefore,
        recentRate,
        baselineRate,
        multiple,
      }
    })
    .filter((row) => row.multiple === null || row.multiple >= filter.minMultiple)
    .sort(
      (a, b) =>
        Number(a.multiple === null) - Number(b.multiple === null) ||
        (b.multiple ?? 0) - (a.multiple ?? 0) ||
        b.recent - a.recent ||
        byCodePoint(a.tag, b.tag),
    )
  return { recentHours, baselineHours, coveredFrom, rows }
}

function expectAnswer(body: TrendingReport, expected: Expected): void {
  expect(body.covered.recentHours).toBe(expected.recentHours)
  expect(body.covered.baselineHours).toBe(expected.baselineHours)
  expect(body.covered.fromTs).toBe(expected.coveredFrom)
  expect(
    body.rows.map((row) => [row.tag, row.recent, row.baseline, row.views, row.isNew, row.multiple === null]),
  ).toEqual(
    expected.rows.map((row) => [row.tag, row.recent, row.baseline, row.views, row.isNew, row.multiple === null]),
  )
  body.rows.forEach((row, i) => {
    const want = expected.rows[i]
    expect(row.recentRate).toBeCloseTo(want?.recentRate ?? Number.NaN, 9)
    expect(row.baselineRate).toBeCloseTo(want?.baselineRate ?? Number.NaN, 9)
    if (row.multiple !== null) expect(row.multiple).toBeCloseTo(want?.multiple ?? Number.NaN, 9)
  })
}

let loaded: Loaded
let app: Hono<AppEnv>
const now = Date.now()
/** A range reaching past now: data for the last six hours, the range and its recent window ending in the future. */
const live = {
  dataFrom: Math.floor((now - 6 * HOUR) / QUARTER) * QUARTER,
  to: Math.ceil(now / QUARTER) * QUARTER + 2 * QUARTER,
}

beforeAll(async () => {
  loaded = await loadSampleStore([
    ...SCENARIOS.flatMap(scenarioEvents),
    ...series('livesteady', live.dataFrom, now - MINUTE, 5 * MINUTE, ['CN-SH', 'US-CA']),
    ...series('livespike', live.dataFrom, live.to - HOUR, 30 * MINUTE, ['CN-SH']),
    ...series('livespike', live.to - HOUR, now - MINUTE, MINUTE, ['CN-SH']),
  ])
  app = testApp(loaded)
})

afterAll(async () => {
  await loaded?.close()
})

describe.each(SCENARIOS)('trending in $zone ($from to $to)', (scenario) => {
  const { zone, key } = scenario
  const window = { from: scenario.fromTs, recentFrom: scenario.toTs - RECENT, to: scenario.toTs, now: Date.now() }

  it.each([
    { regions: [], by: 'views' },
    { regions: ['US'], by: 'views' },
    { regions: ['CN'], by: 'views' },
    { regions: [], by: 'discussions' },
  ] as const)('ranks against each tag’s own baseline, spread over the hours the data covers: %j', async (filter) => {
    const region = filter.regions.length > 0 ? `&region=${filter.regions.join(',')}` : ''
    const { status, body } = await getJson<TrendingReport>(
      app,
      `/api/hashtags/trending?from=${scenario.from}&to=${scenario.to}&tz=${encodeURIComponent(zone)}` +
        `&recent=2h&minRecent=3&limit=50&by=${filter.by}${region}`,
    )
    expect(status).toBe(200)
    expect(body.windowTs).toEqual({
      recentFrom: window.recentFrom,
      recentTo: window.to,
      baselineFrom: window.from,
      baselineTo: window.recentFrom,
    })
    // The data begins 15 hours before the end: the baseline's rates are spread over 13 hours, not the window's.
    expect(body.covered.baselineHours).toBe(13)
    expect(body.covered.recentHours).toBe(2)
    const expected = expectedTrending(loaded.events, window, { ...filter, minMultiple: 2, minRecent: 3 })
    expectAnswer(body, expected)

    const row = (tag: string) => body.rows.find((r) => r.tag === `${tag}${key}`)
    expect(row('steady')).toBeUndefined()
    if (filter.by === 'views' && filter.regions.length === 0) {
      expect(row('spike')).toMatchObject({ isNew: false })
      expect(row('spike')?.multiple).toBeGreaterThan(10)
      expect(row('fresh')).toMatchObject({ isNew: true, multiple: null, baseline: 0 })
      expect(row('back')).toMatchObject({ isNew: false, multiple: null, baseline: 0 })
      expect(body.rows.map((r) => r.tag)).toEqual([`spike${key}`, `fresh${key}`, `back${key}`])
    }
    if (filter.regions[0] === 'US') {
      // Its past is in the US, its present in China: nothing recent here.
      expect(row('back')).toBeUndefined()
      expect(row('fresh')).toMatchObject({ isNew: true })
    }
    if (filter.regions[0] === 'CN') {
      // Never seen in China before.
      expect(row('back')).toMatchObject({ isNew: true })
      expect(row('fresh')).toBeUndefined()
    }
  })
})

describe('a range that reaches past now', () => {
  it('spreads the recent rate over the part of the window up to now', async () => {
    const before = Date.now()
    const { status, body } = await getJson<TrendingReport>(
      app,
      `/api/hashtags/trending?from=-24h&to=${new Date(live.to).toISOString()}&tz=UTC&recent=1h&minRecent=3&limit=50`,
    )
    const after = Date.now()
    expect(status).toBe(200)
    expect(body.windowTs.recentFrom).toBe(live.to - HOUR)
    // The API's now lies between the two; every figure is then checked as of it.
    expect(body.covered.toTs).toBeGreaterThanOrEqual(before)
    expect(body.covered.toTs).toBeLessThanOrEqual(after)
    expect(body.covered.recentHours).toBeLessThan(1)
    expect(body.covered.fromTs).toBe(live.dataFrom)
    const window = {
      from: body.windowTs.baselineFrom,
      recentFrom: body.windowTs.recentFrom,
      to: body.windowTs.recentTo,
      now: body.covered.toTs,
    }
    const expected = expectedTrending(loaded.events, window, {
      regions: [],
      by: 'views',
      minMultiple: 2,
      minRecent: 3,
    })
    expectAnswer(body, expected)
    expect(body.rows.map((row) => row.tag)).toEqual(['livespike'])
  })
})
