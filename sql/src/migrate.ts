import { createHash } from 'node:crypto'
import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Store } from './store.ts'

const MIGRATIONS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'migrations')
const MIGRATION_FILE = /^(\d{3})_([a-z0-9_]+)\.sql$/

export interface Migration {
  version: number
  name: string
  sql: string
  checksum: string
}

/** How the same migrations run on a ClickHouse cluster: ON CLUSTER and Replicated engines. */
export interface ClusterOptions {
  cluster: string
}

export function loadMigrations(dir: string = MIGRATIONS_DIR): Migration[] {
  return readdirSync(dir)
    .filter((file) => file.endsWith('.sql'))
    .sort()
    .map((file) => {
      const match = MIGRATION_FILE.exec(file)
      if (!match) throw new Error(`migration file name must look like 001_name.sql: ${file}`)
      const sql = readFileSync(join(dir, file), 'utf8')
      return {
        version: Number(match[1]),
        name: match[2] as string,
        sql,
        checksum: createHash('sha256').update(sql).digest('hex').slice(0, 16),
      }
    })
}

/** A migration with this line is for the single-node engine only (a setting KeeperMap does not have). */
const NOT_ON_CLUSTER = /^-- cluster: not run\b/m

/**
 * Rewrites a single-node migration for a cluster: `ON CLUSTER` after the object name (of a CREATE, an ALTER or a
 * DROP), and each *MergeTree engine replaced by its Replicated form with the conventional {shard}/{replica} macros. A
 * key-value table (EmbeddedRocksDB, local to one server) becomes KeeperMap, which every server of the cluster reads
 * and writes alike. A data migration (INSERT … SELECT) runs as it is, on the server the runner talks to, and the
 * Replicated tables carry its rows to the other replicas. Undefined for a migration marked `-- cluster: not run`: the
 * cluster records it without running anything.
 */
export function forCluster(sql: string, options: ClusterOptions): string | undefined {
  const cluster = options.cluster
  if (!/^[A-Za-z0-9_]+$/.test(cluster)) throw new Error(`invalid cluster name: ${cluster}`)
  if (NOT_ON_CLUSTER.test(sql)) return undefined
  return sql
    .replace(
      /^(CREATE (?:TABLE|MATERIALIZED VIEW) IF NOT EXISTS [A-Za-z0-9_]+|ALTER TABLE [A-Za-z0-9_]+|DROP (?:TABLE|VIEW) IF EXISTS [A-Za-z0-9_]+)/m,
      (head) => `${head} ON CLUSTER ${cluster}`,
    )
    .replace(/ENGINE = EmbeddedRocksDB\b/, (_all) => `ENGINE = KeeperMap('/trendlens/{database}/${tableName(sql)}')`)
    .replace(/ENGINE = (\w*)MergeTree(\(([^)]*)\))?/, (_all, kind: string, _args, args: string | undefined) => {
      const path = "'/clickhouse/tables/{shard}/{database}/{table}', '{replica}'"
      return `ENGINE = Replicated${kind}MergeTree(${args ? `${path}, ${args}` : path})`
    })
}

function tableName(sql: string): string {
  const match = /CREATE TABLE IF NOT EXISTS ([A-Za-z0-9_]+)/.exec(sql)
  if (!match) throw new Error('a key-value migration must create a table')
  return match[1] as string
}

export interface MigrationResult {
  applied: string[]
  skipped: string[]
}

/**
 * Applies every migration not yet recorded in schema_migrations (up to `throughVersion`, for a test of a store that
 * an older release left); safe to run any number of times.
 */
export async function migrate(
  store: Store,
  cluster?: ClusterOptions,
  throughVersion = Number.POSITIVE_INFINITY,
): Promise<MigrationResult> {
  const onCluster = cluster ? ` ON CLUSTER ${cluster.cluster}` : ''
  const engine = cluster
    ? "ReplicatedMergeTree('/clickhouse/tables/{shard}/{database}/{table}', '{replica}')"
    : 'MergeTree'
  await store.command(
    `CREATE TABLE IF NOT EXISTS schema_migrations${onCluster} (version UInt32, name String, checksum String, ` +
      `applied_at DateTime64(3, 'UTC') DEFAULT now64(3)) ENGINE = ${engine} ORDER BY version`,
  )
  const done = await store.queryOnWriter('schema_migrations_applied', {})
  const doneByVersion = new Map(done.map((row) => [row.version, row]))
  const result: MigrationResult = { applied: [], skipped: [] }
  for (const migration of loadMigrations().filter((m) => m.version <= throughVersion)) {
    const label = `${String(migration.version).padStart(3, '0')}_${migration.name}`
    const previous = doneByVersion.get(migration.version)
    if (previous) {
      if (previous.checksum !== migration.checksum) {
        throw new Error(`migration ${label} changed after it was applied; add a new migration instead`)
      }
      result.skipped.push(label)
      continue
    }
    const statement = cluster ? forCluster(migration.sql, cluster) : migration.sql
    if (statement !== undefined) await store.command(statement)
    await store.command(
      'INSERT INTO schema_migrations (version, name, checksum) VALUES ({version:UInt32}, {name:String}, {checksum:String})',
      { version: migration.version, name: migration.name, checksum: migration.checksum },
    )
    result.applied.push(label)
  }
  return result
}
