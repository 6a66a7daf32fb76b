export { type Batch, BatchWriter, dedupToken, type LedgerEntry } from './batch-writer.ts'
export { type RejectReason, type Validation, validateEvent, validateMessage } from './contract.ts'
export type { EventType, WireEvent } from './event.ts'
export { createLogger, type Logger, type LogLevel, silentLogger } from './log.ts'
export {
  IngestMetrics,
  type IngestSnapshot,
  type IngestState,
  type IngestStateReason,
  UNREADY_INGEST_STATES,
} from './metrics.ts'
export { type ReplayOptions, type ReplayResult, runReplay } from './replay.ts'
export { retryWhileUnavailable, sleep } from './retry.ts'
