import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { forCluster, loadMigrations, migrate } from './migrate.ts'
import { Store, type StoredEvent } from './store.ts'
import { userNumberProblems } from './test-support.ts'

/** Migrated only through 017: the store an older release left, which the upgrade test below migrates on. */
const OLD_RELEASE_VERSION = 17

let store: Store
let dir: string
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'trendlens-migrate-'))
  store = Store.open({ dataPath: dir, requestTimeoutMs: 60_000 })
  await migrate(store, undefined, OLD_RELEASE_VERSION)
})
afterAll(async () => {
  await store.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('forCluster', () => {
  it.each(loadMigrations().map((m) => [`${m.version}_${m.name}`, m.sql]))(
    'turns %s into cluster DDL that the ClickHouse parser accepts',
    async (_name, sql) => {
      const clustered = forCluster(sql, { cluster: 'analytics' })
      if (clustered === undefined) {
        // Single-node only: the cluster records it without running it; the single-node statement still parses.
        expect(sql).toMatch(/^-- cluster: not run/m)
        await expect(store.command(`EXPLAIN AST ${sql}`)).resolves.toBeUndefined()
        return
      }
      if (/^INSERT INTO/m.test(sql)) expect(clustered).toBe(sql)
      else expect(clustered).toContain('ON CLUSTER analytics')
      if (/ENGINE = \w*MergeTree/.test(sql)) {
        expect(clustered).toMatch(/ENGINE = Replicated\w*MergeTree\('\/clickhouse\/tables/)
      }
      if (/ENGINE = EmbeddedRocksDB/.test(sql)) expect(clustered).toMatch(/ENGINE = KeeperMap\('\/trendlens\//)
      // EXPLAIN AST runs the engine's real parser on the statement without executing it.
      await expect(store.command(`EXPLAIN AST ${clustered}`)).resolves.toBeUndefined()
    },
  )

  it('refuses a cluster name that is not an identifier', () => {
    expect(() =>
      forCluster('CREATE TABLE IF NOT EXISTS t (x UInt8) ENGINE = MergeTree ORDER BY x', { cluster: 'a b' }),
    ).toThrow()
  })
})

describe('numbering the users of a store an older release left', () => {
  const RANGE_255 = 255 * 2 ** 24
  const event = (id: string, user: string): StoredEvent => ({
    id,
    type: 'view',
    ts: Date.UTC(2025, 0, 13, 8),
    user_id: user,
    note_id: 'n1',
    hashtags: ['tiktokrefugee'],
    region: 'US-CA',
    country: 'US',
    lang: 'en',
  })

  it('gives every stored user a number in range 255 after any already there, and keeps existing ones', async () => {
    await store.insertEvents(
      [event('e1', 'carol'), event('e2', 'alice'), event('e3', 'bob'), event('e4', 'alice'), event('e5', 'dave')],
      'migrate-test:1',
    )
    await store.appendRows('user_numbers_v1', [{ user_id: 'bob', user_no: RANGE_255 + 7 }])
    expect(await userNumberProblems(store)).toHaveLength(3)

    const upgrade = await migrate(store)
    expect(upgrade.applied).toEqual(
      loadMigrations()
        .filter((m) => m.version > OLD_RELEASE_VERSION)
        .map((m) => `${String(m.version).padStart(3, '0')}_${m.name}`),
    )
    expect(upgrade.applied.slice(0, 2)).toEqual(['018_user_numbers_small_inserts', '019_user_numbers_existing_users'])
    expect(await userNumberProblems(store)).toEqual([])
    const rows = await store.queryOnWriter('ingest_user_numbers_lookup', { ids: ['alice', 'bob', 'carol', 'dave'] })
    const numbers = Object.fromEntries(rows.map((row) => [row.user_id, row.user_no]))
    expect(numbers).toEqual({ alice: RANGE_255 + 8, bob: RANGE_255 + 7, carol: RANGE_255 + 9, dave: RANGE_255 + 10 })

    expect((await migrate(store)).applied).toEqual([])
  })

  it('fills the bitmap region rollups with the events stored before them, once', async () => {
    const [totals] = await store.query('events_totals', {})
    expect(totals).toMatchObject({ events: 5, region_rollup_15m: 5, region_types_15m: 5, region_rollup_1m: 5 })
    const hour = { from: Date.UTC(2025, 0, 13), to: Date.UTC(2025, 0, 14), tz: 'UTC', step: 'hour' } as const
    const bucket = { t: Date.UTC(2025, 0, 13, 8), country: 'US', events: 5, users: 4 }
    expect(await store.query('rollup_region_buckets', { ...hour, types: [] })).toEqual([bucket])
    expect(await store.query('rollup_region_buckets', { ...hour, types: ['view'] })).toEqual([bucket])
    expect(await store.query('rollup_region_buckets', { ...hour, types: ['post'] })).toEqual([])
  })
})
