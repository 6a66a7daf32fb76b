/**
 * A short-lived memo of dashboard answers keyed by the fully resolved question (route, aligned range, zone,
 * filters). Identical requests arriving together share one computation (single flight). An answer is reused for
 * `ttlMs`; after that, while someone keeps asking, the previous answer is still served for up to `maxStaleMs`
 * more while one refresh runs in the background, so a busy dashboard never queues behind its own refreshes.
 * Failures are never cached: a failed first load reaches its callers, a failed refresh is reported to `onError`
 * and retried by the next request.
 */

/**
 * An answer that took d ms to compute stays fresh for at least this many times d, so refreshing one slow question
 * keeps the engine busy a third of the time at most instead of all of it (a 1.5 s region split over 100M events
 * would otherwise be recomputed back to back while anyone watches).
 */
const FRESH_PER_COST = 2

interface Entry {
  /** The last successful answer, when its computation started, and how long it counts as fresh. */
  fresh?: { value: unknown; at: number; freshForMs: number }
  /** The computation in flight, if any. */
  pending?: Promise<unknown>
}

export class ResponseCache {
  private readonly entries = new Map<string, Entry>()

  constructor(
    private readonly ttlMs: number,
    private readonly onError: (key: string, error: unknown) => void,
    private readonly maxStaleMs = 5 * ttlMs,
    /** Bounded so a client sweeping through many ranges cannot grow memory without limit. */
    private readonly maxEntries = 1000,
  ) {}

  get<T>(key: string, load: () => Promise<T>, now: number = Date.now()): Promise<T> {
    if (this.ttlMs <= 0) return load()
    let entry = this.entries.get(key)
    if (entry?.fresh) {
      const age = now - entry.fresh.at
      if (age < entry.fresh.freshForMs) return Promise.resolve(entry.fresh.value as T)
      if (age < entry.fresh.freshForMs + this.maxStaleMs) {
        if (!entry.pending) this.start(key, entry, load, now, true)
        return Promise.resolve(entry.fresh.value as T)
      }
    }
    if (entry?.pending) return entry.pending as Promise<T>
    if (!entry) {
      entry = {}
      this.entries.set(key, entry)
      this.evict()
    }
    return this.start(key, entry, load, now, false)
  }

  private start<T>(key: string, entry: Entry, load: () => Promise<T>, now: number, background: boolean): Promise<T> {
    const started = performance.now()
    const pending = load()
    entry.pending = pending
    pending.then(
      (value) => {
        const costMs = performance.now() - started
        entry.fresh = { value, at: now, freshForMs: Math.max(this.ttlMs, FRESH_PER_COST * costMs) }
        entry.pending = undefined
      },
      (error: unknown) => {
        entry.pending = undefined
        if (background) this.onError(key, error)
        else if (!entry.fresh) this.entries.delete(key)
      },
    )
    return pending
  }

  private evict(): void {
    if (this.entries.size <= this.maxEntries) return
    const oldest = this.entries.keys().next().value
    if (oldest !== undefined) this.entries.delete(oldest)
  }
}
