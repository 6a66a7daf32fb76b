import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { forCluster, loadMigrations } from './migrate.ts'
import type { Store } from './store.ts'
import { openTempStore } from './test-support.ts'

let store: Store
let dispose: () => Promise<void>
beforeAll(async () => {
  ;({ store, dispose } = await openTempStore())
})
afterAll(async () => dispose())

describe('forCluster', () => {
  it.each(loadMigrations().map((m) => [`${m.version}_${m.name}`, m.sql]))(
    'turns %s into cluster DDL that the ClickHouse parser accepts',
    async (_name, sql) => {
      const clustered = forCluster(sql, { cluster: 'analytics' })
      expect(clustered).toContain('ON CLUSTER analytics')
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
