import { StoreError } from '@trendlens/sql'

export interface Backoff {
  /** First wait after a failure. */
  initialMs: number
  /** Longest wait between attempts. */
  maxMs: number
}

/** Store outages are usually seconds long; start quick and cap at 10 s so recovery is noticed promptly. */
export const DEFAULT_BACKOFF: Backoff = { initialMs: 200, maxMs: 10_000 }

/** Full jitter: a random wait up to the exponential bound, so several workers don't retry in lockstep. */
export function backoffDelay(attempt: number, backoff: Backoff, random: () => number = Math.random): number {
  const bound = Math.min(backoff.maxMs, backoff.initialMs * 2 ** attempt)
  return Math.max(backoff.initialMs / 2, Math.floor(random() * bound))
}

/** Waits `ms` (a deadline already past waits nothing), or until the signal aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve()
    const timer = setTimeout(done, Math.max(0, ms))
    function done() {
      clearTimeout(timer)
      signal?.removeEventListener('abort', done)
      resolve()
    }
    signal?.addEventListener('abort', done, { once: true })
  })
}

/**
 * Runs `action` until it succeeds, waiting with backoff while the store is unavailable. Any other failure is
 * thrown at once. Returns undefined only if the signal aborts first.
 */
export async function retryWhileUnavailable<T>(
  action: () => Promise<T>,
  options: { signal?: AbortSignal; backoff?: Backoff; onRetry?: (error: StoreError, delayMs: number) => void },
): Promise<T | undefined> {
  const backoff = options.backoff ?? DEFAULT_BACKOFF
  for (let attempt = 0; ; attempt++) {
    if (options.signal?.aborted) return undefined
    try {
      return await action()
    } catch (error) {
      if (!(error instanceof StoreError) || error.kind !== 'unavailable') throw error
      const delay = backoffDelay(attempt, backoff)
      options.onRetry?.(error, delay)
      await sleep(delay, options.signal)
    }
  }
}
