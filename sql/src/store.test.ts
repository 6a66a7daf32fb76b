import { IN_PROCESS_RANGE, userNumbersFor } from '@trendlens/ingest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { StoreError } from './errors.ts'
import { loadMigrations, migrate } from './migrate.ts'
import type { QueryRow, Store, StoredEvent } from './store.ts'
import { openTempStore } from './test-support.ts'

let store: Store
let dispose: () => Promise<void>

beforeAll(async () => {
  ;({ store, dispose } = await openTempStore())
})
afterAll(async () => dispose())

async function totals(): Promise<QueryRow<'events_totals'>> {
  const [row] = await store.query('events_totals', {})
  if (!row) throw new Error('events_totals returned no row')
  return row
}

function event(i: number, overrides: Partial<StoredEvent> = {}): StoredEvent {
  return {
    id: `e${i}`,
    type: 'view',
    ts: Date.UTC(2025, 0, 14, 3, 0, 0, i),
    user_id: `u${i % 7}`,
    note_id: `n${i % 3}`,
    hashtags: ['tiktokrefugee', 'cattax'],
    region: 'US-CA',
    country: 'US',
    lang: 'en-US',
    ...overrides,
  }
}

describe('migrations', () => {
  it('apply once and are skipped on the next run', async () => {
    const again = await migrate(store)
    expect(again.applied).toEqual([])
    expect(again.skipped).toHaveLength(loadMigrations().length)
  })
})

describe('embedded engine', () => {
  it('starts with caches sized for one machine and a merge base for small live parts', async () => {
    const rows = await store.query('engine_settings', {
      names: ['mark_cache_size', 'primary_index_cache_size', 'query_condition_cache_size', 'merge_selector_base'],
    })
    expect(Object.fromEntries(rows.map((row) => [row.name, row.value]))).toEqual({
      mark_cache_size: String(64 * 1024 * 1024),
      primary_index_cache_size: String(64 * 1024 * 1024),
      query_condition_cache_size: String(16 * 1024 * 1024),
      merge_selector_base: '20',
    })
  })
})

describe('insertEvents', () => {
  it('stores UTC milliseconds exactly and reads them back', async () => {
    const ts = Date.parse('2025-01-14T11:21:00.123Z')
    await store.insertEvents([event(0, { id: 'exact-ts', ts })], 'test:ts:0-0')
    const rows = await store.query('events_by_id', { id: 'exact-ts' })
    expect(rows).toEqual([{ ts }])
  })

  it('stores a re-sent batch once, in the raw table and in every rollup', async () => {
    const before = await totals()
    const batch = Array.from({ length: 50 }, (_, i) => event(1000 + i))
    // The region rollups count an event by its user's number, given by the ingest before it inserts a batch.
    await userNumbersFor(store).number(
      batch.map((e) => e.user_id),
      IN_PROCESS_RANGE,
    )
    for (let attempt = 0; attempt < 3; attempt++) await store.insertEvents(batch, 'test:dedup:1000-1049')
    const after = await totals()
    expect(after.events - before.events).toBe(50)
    expect(after.distinct_ids).toBe(after.events)
    expect(after.tag_rollup_15m - before.tag_rollup_15m).toBe(100)
    expect(after.tag_rollup_1m - before.tag_rollup_1m).toBe(100)
    expect(after.region_rollup_15m - before.region_rollup_15m).toBe(50)
    expect(after.region_types_15m - before.region_types_15m).toBe(50)
    expect(after.region_rollup_1m - before.region_rollup_1m).toBe(50)
    expect(after.tag_totals_15m - before.tag_totals_15m).toBe(100)
  })

  it('stores a different batch with a different token', async () => {
    const before = await totals()
    await store.insertEvents([event(2000)], 'test:dedup:2000-2000')
    expect((await totals()).events - before.events).toBe(1)
  })

  it('refuses a token that could break out of the statement', async () => {
    await expect(store.insertEvents([event(3000)], "x'; DROP TABLE events_v1; --")).rejects.toThrow(/token/)
  })
})

describe('named queries', () => {
  it('treat parameter values as values, never as SQL', async () => {
    const rows = await store.query('events_by_id', { id: "' OR 1=1 --" })
    expect(rows).toEqual([])
    expect((await totals()).events).toBeGreaterThan(0)
  })

  // Each of these calls fails the type check too (the expect-error lines): the run-time check is for callers the
  // compiler cannot see, such as names and parameters built from data.
  it('refuse a call with a missing, unknown or mistyped parameter before it reaches the engine', async () => {
    // @ts-expect-error: id is missing
    await expect(store.query('events_by_id', {})).rejects.toThrow(/missing parameters id/)
    // @ts-expect-error: events_by_id takes no parameter `extra`
    await expect(store.query('events_by_id', { id: 'x', extra: 1 })).rejects.toThrow(/unknown parameters extra/)
    // @ts-expect-error: id is a String
    await expect(store.query('events_by_id', { id: 1 })).rejects.toThrow(/wrong type id \(String\)/)
    const params = { from: 0, to: 1.5, tz: 'UTC', step: 'hour' as const }
    const withExtra = { ...params, extra: true }
    // @ts-expect-error: an object built before the call is held to the query's parameters as well
    await expect(store.query('rollup_tag_buckets', withExtra)).rejects.toThrow(/unknown parameters extra/)
    await expect(store.query('rollup_tag_buckets', params)).rejects.toThrow(/wrong type to \(Int64\)/)
    // @ts-expect-error: step is one of the values its header lists
    await expect(store.query('rollup_tag_buckets', { ...params, to: 1, step: 'week' })).rejects.toThrow(
      /wrong type step \('hour' \| 'day'\)/,
    )
    // @ts-expect-error: no such query
    await expect(store.query('no_such_query', {})).rejects.toThrow(/unknown query/)
  })

  it('report engine failures as typed errors', async () => {
    const params = { from: 0, to: Date.now(), tz: 'Not/AZone', step: 'hour' as const }
    const error = await store.query('rollup_tag_buckets', params).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(StoreError)
    expect((error as StoreError).kind).toBe('query')
  })
})
