export type { QueryCatalogue } from './catalogue.ts'
export { StoreError, type StoreErrorKind } from './errors.ts'
export { type ClusterOptions, type MigrationResult, migrate } from './migrate.ts'
export { type StoreSettings, storeSettings } from './settings.ts'
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
