import type { IngestSnapshot, IngestState, IngestStateReason, LoadProgress, RefusalReason } from '@trendlens/contract'

/** States in which the product reports itself not ready. */
export const UNREADY_INGEST_STATES: ReadonlySet<IngestState> = new Set(['paused', 'stuck', 'stopped'])

/** Rates are measured over this trailing window: short enough to feel live, long enough to smooth batches. */
const RATE_WINDOW_MS = 10_000
/** Counts are sampled at most this often, whenever they move or are read, so a rate needs no second read. */
const SAMPLE_EVERY_MS = 1_000

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
  lastErrorAt: number | null = null
  lastFailure: { error: string; at: number } | null = null
  lagMeasuredAt: number | null = null
  /** When the ingest last stored or committed something, or had nothing to do. */
  lastProgressAt = Date.now()
  private currentState: IngestState
  private reason: IngestStateReason | null = null
  private stateSince = Date.now()
  private currentError: string | null = null
  readonly rejectedByReason: Partial<Record<RefusalReason, number>> = {}
  readonly lag = new Map<string, number>()
  private readonly samples: { at: number; received: number; stored: number }[] = []
  /** The bulk load under way, if any (the seed story's replay). */
  private loadProgress: LoadProgress | null = null

  constructor(mode: string) {
    this.mode = mode
    this.currentState = mode === 'none' ? 'off' : 'starting'
  }

  get state(): IngestState {
    return this.currentState
  }

  get stateReason(): IngestStateReason | null {
    return this.reason
  }

  get paused(): boolean {
    return this.currentState === 'paused'
  }

  /** The error behind the current state; cleared by `running()`. */
  get lastError(): string | null {
    return this.currentError
  }

  set lastError(error: string | null) {
    if (error === null) {
      this.currentError = null
      return
    }
    const now = Date.now()
    this.currentError = error
    this.lastErrorAt = now
    this.lastFailure = { error, at: now }
  }

  setState(state: IngestState, reason: IngestStateReason | null = null, now: number = Date.now()): void {
    if (state !== this.currentState || reason?.code !== this.reason?.code) this.stateSince = now
    this.currentState = state
    this.reason = state === 'running' || state === 'off' || state === 'starting' ? null : reason
    if (reason && state !== 'running') this.lastError = reason.detail
  }

  /** The ingest works again: the state and its error are cleared (the error stays in `lastFailure`). */
  running(now: number = Date.now()): void {
    this.setState('running', null, now)
    this.currentError = null
    this.lastErrorAt = null
  }

  /** Something was stored or committed. */
  progressed(now: number = Date.now()): void {
    this.lastProgressAt = now
  }

  recordReceived(count: number, now: number = Date.now()): void {
    this.sample(now)
    this.received += count
  }

  recordRejected(reason: RefusalReason): void {
    this.rejected++
    this.rejectedByReason[reason] = (this.rejectedByReason[reason] ?? 0) + 1
  }

  /** A bulk load moved (or started: rows 0); null when it has ended. */
  setLoad(progress: LoadProgress | null): void {
    this.loadProgress = progress
  }

  recordStored(count: number, insertMs: number, now: number = Date.now()): void {
    this.sample(now)
    this.stored += count
    this.batches++
    this.lastInsertMs = insertMs
    this.lastInsertAt = now
    this.lastProgressAt = now
  }

  /** Keeps the counts as they were at most one window ago, and since then at most one sample a second. */
  private sample(now: number): void {
    const newest = this.samples.at(-1)
    if (!newest || now - newest.at >= SAMPLE_EVERY_MS) {
      this.samples.push({ at: now, received: this.received, stored: this.stored })
    }
    while (this.samples.length > 1 && (this.samples[1] as { at: number }).at <= now - RATE_WINDOW_MS) {
      this.samples.shift()
    }
  }

  snapshot(now: number = Date.now()): IngestSnapshot {
    this.sample(now)
    const oldest = this.samples[0] as { at: number; received: number; stored: number }
    // The counts did not move between samples, so the oldest kept one is also the count at the window's start.
    const seconds = Math.max(Math.min(now - oldest.at, RATE_WINDOW_MS) / 1000, 1)
    let totalLag = 0
    for (const value of this.lag.values()) totalLag += value
    return {
      mode: this.mode,
      state: this.currentState,
      stateReason: this.reason ? { ...this.reason } : null,
      stateSince: new Date(this.stateSince).toISOString(),
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
      lastError: this.currentError,
      lastErrorAt: this.lastErrorAt === null ? null : new Date(this.lastErrorAt).toISOString(),
      lastFailure: this.lastFailure
        ? { error: this.lastFailure.error, at: new Date(this.lastFailure.at).toISOString() }
        : null,
      lag: Object.fromEntries(this.lag),
      totalLag,
      lagMeasuredAt: this.lagMeasuredAt === null ? null : new Date(this.lagMeasuredAt).toISOString(),
      paused: this.paused,
      load: this.loadProgress ? { ...this.loadProgress } : null,
    }
  }
}
