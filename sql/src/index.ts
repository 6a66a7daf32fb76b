export type { QueryCatalogue } from './catalogue.ts'
export { StoreError, type StoreErrorKind } from './errors.ts'
export { type ClusterOptions, forCluster, loadMigrations, type MigrationResult, migrate } from './migrate.ts'
export { loadQueries, type NamedQuery } from './queries.ts'
export { DEFAULT_DATA_DIR, DEFAULT_QUERY_TIMEOUT_MS, type StoreSettings, storeSettings } from './settings.ts'
export {
  type ExactParams,
  type Lane,
  type QueryName,
  type QueryParams,
  type QueryRow,
  Store,
  type StoreBackend,
  type StoredEvent,
  type StoreOptions,
} from './store.ts'
