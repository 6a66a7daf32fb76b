import { BatchWriter } from '@trendlens/ingest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Store, StoredEvent } from './store.ts'
import { openTempStore } from './test-support.ts'

/**
 * The rollups must agree exactly with the raw events for any range, any zone and any type filter. The oracle here is
 * plain TypeScript over the events as generated (not SQL), bucketed with Intl in each zone.
 */

const ZONES = [
  'Asia/Shanghai',
  'America/New_York',
  'Asia/Kolkata',
  'Asia/Kathmandu',
  'UTC',
  'Australia/Lord_Howe', // a 30-minute DST shift
]
const WINDOWS: [string, string, number][] = [
  ['2025-01-10T00:00:00Z', '2025-01-21T00:00:00Z', 3000],
  ['2025-03-08T00:00:00Z', '2025-03-11T00:00:00Z', 1500], // US DST starts 2025-03-09
  ['2025-11-01T00:00:00Z', '2025-11-04T00:00:00Z', 1500], // US DST ends 2025-11-02
  ['2025-04-05T00:00:00Z', '2025-04-07T00:00:00Z', 500], // Lord Howe DST ends 2025-04-06
]
const TAGS = ['tiktokrefugee', 'tiktokban', '猫税', 'xswl', '<b>x</b>']
const PLACES = [
  ['CN-SH', 'CN'],
  ['CN-BJ', 'CN'],
  ['US-CA', 'US'],
  ['US-NY', 'US'],
  ['IN', 'IN'],
  ['NP', 'NP'],
  ['', ''],
] as const
const TYPES = ['view', 'view', 'view', 'post', 'comment', 'ip_region'] as const
/** No filter (the all-types rollup) and filters of one and of several types (the per-type rollup). */
const TYPE_FILTERS: string[][] = [[], ['view'], ['post', 'comment']]
/** The region rollups whose states are merged on disk before the late events arrive. */
const REGION_ROLLUPS = ['region_users_15m_v1', 'region_activity_15m_v2']
const QUARTER_HOUR = 15 * 60_000

function seeded(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const random = seeded(20250114)
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T

function makeEvents(): StoredEvent[] {
  const events: StoredEvent[] = []
  for (const [from, to, count] of WINDOWS) {
    const start = Date.parse(from)
    const span = Date.parse(to) - start
    for (let i = 0; i < count; i++) {
      const [region, country] = pick(PLACES)
      const type = pick(TYPES)
      events.push({
        id: `r${events.length}`,
        type,
        ts: start + Math.floor(random() * span),
        user_id: `u${Math.floor(random() * 400)}`,
        note_id: type === 'ip_region' ? '' : `n${Math.floor(random() * 50)}`,
        hashtags: type === 'ip_region' ? [] : TAGS.filter(() => random() < 0.4),
        region,
        country,
        lang: '',
      })
    }
  }
  return events
}

const formatters = new Map<string, Intl.DateTimeFormat>()
function localParts(ts: number, zone: string): Record<string, number> {
  let format = formatters.get(zone)
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    })
    formatters.set(zone, format)
  }
  return Object.fromEntries(
    format
      .formatToParts(ts)
      .filter((p) => p.type !== 'literal')
      .map((p) => [p.type, Number(p.value)]),
  )
}

/** Hours are compared as instants (two 01:00 hours on a fall-back night stay apart); days as local dates. */
function bucketKey(ts: number, zone: string, step: 'hour' | 'day'): string {
  const p = localParts(ts, zone)
  if (step === 'day') return `${p.year}-${p.month}-${p.day}`
  return String(ts - ((p.minute as number) * 60 + (p.second as number)) * 1000 - (ts % 1000))
}

/**
 * The key of a bucket start the engine returned. Hour starts are taken as they are: after Lord Howe's clocks go back
 * 30 minutes, the repeated 01:30-02:00 hour starts at the instant the wall clock would have read 01:00, inside the
 * hour before it, and must not be folded into that hour.
 */
function returnedKey(t: number, zone: string, step: 'hour' | 'day'): string {
  return step === 'hour' ? String(t) : bucketKey(t, zone, step)
}

/**
 * Events arriving late: each in the 15-minute bucket, region and country of a stored event, of any type, by a known
 * user or by one of 40 new ones.
 */
function makeLateEvents(stored: readonly StoredEvent[], count: number): StoredEvent[] {
  return Array.from({ length: count }, (_, i) => {
    const model = pick(stored)
    const bucketStart = model.ts - (model.ts % QUARTER_HOUR)
    const user = Math.floor(random() * 440)
    const type = pick(TYPES)
    return {
      ...model,
      id: `late${i}`,
      type,
      ts: bucketStart + Math.floor(random() * QUARTER_HOUR),
      user_id: user < 400 ? `u${user}` : `late-u${user}`,
      hashtags: type === 'ip_region' ? [] : model.hashtags,
    }
  })
}

let store: Store
let dispose: () => Promise<void>
const events = makeEvents()

beforeAll(async () => {
  ;({ store, dispose } = await openTempStore())
  // The ingest's write path: each batch's new users are numbered before its events are stored.
  const writer = new BatchWriter(store)
  const write = (batch: StoredEvent[], firstOffset: number) =>
    writer.write({
      source: 'rollup-test',
      partition: 0,
      firstOffset,
      lastOffset: firstOffset + batch.length - 1,
      events: batch,
    })
  for (let i = 0; i < events.length; i += 1000) await write(events.slice(i, i + 1000), i)
  // Late events land in buckets already closed and merged into one state each, from known users and new ones.
  for (const table of REGION_ROLLUPS) await store.command(`OPTIMIZE TABLE ${table} FINAL`)
  const late = makeLateEvents(events, 600)
  await write(late, events.length)
  events.push(...late)
})
afterAll(async () => dispose())

/** Every window whole (each holds a DST change of some zone), then random ranges. */
function testRanges(): [number, number][] {
  const whole = WINDOWS.map(([from, to]): [number, number] => [Date.parse(from), Date.parse(to)])
  return [...whole, ...Array.from({ length: 4 }, randomRange)]
}

function randomRange(): [number, number] {
  const [from, to] = pick(WINDOWS)
  const start = Date.parse(from) / QUARTER_HOUR
  const end = Date.parse(to) / QUARTER_HOUR
  const a = start + Math.floor(random() * (end - start))
  const b = a + 1 + Math.floor(random() * (end - a))
  return [a * QUARTER_HOUR, b * QUARTER_HOUR]
}

describe.each(ZONES)('rollups in %s', (zone) => {
  it.each(['hour', 'day'] as const)(
    'equal the raw events per %s for whole windows and random ranges, by type too',
    async (step) => {
      for (const [from, to] of testRanges()) {
        const inRange = events.filter((e) => e.ts >= from && e.ts < to)

        const expectedTags = new Map<string, number>()
        for (const e of inRange) {
          const bucket = bucketKey(e.ts, zone, step)
          for (const tag of e.hashtags) {
            const key = `${bucket}|${tag}|${e.type}|${e.country}`
            expectedTags.set(key, (expectedTags.get(key) ?? 0) + 1)
          }
        }

        const params = { from, to, tz: zone, step }
        const tagRows = await store.query('rollup_tag_buckets', params)
        const actualTags = new Map(
          tagRows.map((r) => [`${returnedKey(r.t, zone, step)}|${r.hashtag}|${r.type}|${r.country}`, r.events]),
        )
        expect(actualTags).toEqual(expectedTags)

        for (const types of TYPE_FILTERS) {
          const expectedRegions = new Map<string, { events: number; users: Set<string> }>()
          for (const e of inRange) {
            if (types.length > 0 && !types.includes(e.type)) continue
            const key = `${bucketKey(e.ts, zone, step)}|${e.country}`
            const cell = expectedRegions.get(key) ?? { events: 0, users: new Set<string>() }
            cell.events++
            cell.users.add(e.user_id)
            expectedRegions.set(key, cell)
          }
          const regionRows = await store.query('rollup_region_buckets', { ...params, types })
          const actualRegions = new Map(
            regionRows.map((r) => [
              `${returnedKey(r.t, zone, step)}|${r.country}`,
              { events: r.events, users: r.users },
            ]),
          )
          const expectedRegionCounts = new Map(
            [...expectedRegions].map(([key, cell]) => [key, { events: cell.events, users: cell.users.size }]),
          )
          expect(actualRegions, `types [${types}]`).toEqual(expectedRegionCounts)
        }
      }
    },
  )
})
