export { type Batch, BatchWriter, dedupToken, type LedgerEntry, type WriterStore } from './batch-writer.ts'
export { createLogger, type Logger, type LogLevel, silentLogger } from './log.ts'
export { IngestMetrics, UNREADY_INGEST_STATES } from './metrics.ts'
export { type ReplayOptions, type ReplayResult, runReplay } from './replay.ts'
export { retryWhileUnavailable, sleep } from './retry.ts'
export {
  DEFAULT_BATCH_AGE_MS,
  DEFAULT_BATCH_BYTES,
  DEFAULT_BATCH_ROWS,
  type IngestSettings,
  ingestSettings,
} from './settings.ts'
export {
  DEFAULT_USER_NUMBER_CACHE_SIZE,
  IN_PROCESS_RANGE,
  kafkaPartitionRange,
  MAX_KAFKA_PARTITIONS,
  USER_NUMBER_RANGE_SIZE,
  type UserNumberStore,
  UserNumbers,
  userNumbersFor,
} from './user-numbers.ts'
export { type Validation, validateEvent, validateMessage } from './validation.ts'
