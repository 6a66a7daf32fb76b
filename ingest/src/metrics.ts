import type { RejectReason } from './contract.ts'

/** Why a message was refused: by the contract, or by the store itself for data reasons (isolated by splitting). */
export type RefusalReason = RejectReason | 'store_rejected'

export interface IngestSnapshot {
  mode: string
  received: number
  stored: number
  rejected: number
  rejectedByReason: Partial<Record<RefusalReason, number>>
  deadLettered: number
  /** Messages dropped because their id was already in the same batch (a producer retry re-sends adjacent copies). */
  duplicates: number
  batches: number
  storeRetries: number
  receivedPerSecond: number
  storedPerSecond: number
  lastInsertMs: number | null
  lastInsertAt: string | null
  lastError: string | null
  /** Consumer lag per "topic/partition": messages between the committed offset and the high watermark. */
  lag: Record<string, number>
  totalLag: number
  paused: boolean
}

/** Rates are measured over this trailing window: short enough to feel live, long enough to smooth batches. */
const RATE_WINDOW_MS = 10_000

/** Counters shared by every ingest source; read by the API's health, metrics and live endpoints. */
export class IngestMetrics {
  mode: string
  received = 0
  stored = 0
  rejected = 0
  deadLettered = 0
  duplicates = 0
  batches = 0
  storeRetries = 0
  lastInsertMs: number | null = null
  lastInsertAt: number | null = null
  lastError: string | null = null
  paused = false
  readonly rejectedByReason: Partial<Record<RefusalReason, number>> = {}
  readonly lag = new Map<string, number>()
  private readonly samples: { at: number; received: number; stored: number }[] = []

  constructor(mode: string) {
    this.mode = mode
  }

  recordReceived(count: number): void {
    this.received += count
  }

  recordRejected(reason: RefusalReason): void {
    this.rejected++
    this.rejectedByReason[reason] = (this.rejectedByReason[reason] ?? 0) + 1
  }

  recordStored(count: number, insertMs: number, now: number = Date.now()): void {
    this.stored += count
    this.batches++
    this.lastInsertMs = insertMs
    this.lastInsertAt = now
  }

  snapshot(now: number = Date.now()): IngestSnapshot {
    this.samples.push({ at: now, received: this.received, stored: this.stored })
    while (this.samples.length > 2 && (this.samples[0] as { at: number }).at < now - RATE_WINDOW_MS) {
      this.samples.shift()
    }
    const oldest = this.samples[0] as { at: number; received: number; stored: number }
    const seconds = Math.max((now - oldest.at) / 1000, 1)
    let totalLag = 0
    for (const value of this.lag.values()) totalLag += value
    return {
      mode: this.mode,
      received: this.received,
      stored: this.stored,
      rejected: this.rejected,
      rejectedByReason: { ...this.rejectedByReason },
      deadLettered: this.deadLettered,
      duplicates: this.duplicates,
      batches: this.batches,
      storeRetries: this.storeRetries,
      receivedPerSecond: Math.round((this.received - oldest.received) / seconds),
      storedPerSecond: Math.round((this.stored - oldest.stored) / seconds),
      lastInsertMs: this.lastInsertMs,
      lastInsertAt: this.lastInsertAt === null ? null : new Date(this.lastInsertAt).toISOString(),
      lastError: this.lastError,
      lag: Object.fromEntries(this.lag),
      totalLag,
      paused: this.paused,
    }
  }
}
