/**
 * The live stream's one reader. Every open stream wants the same two minutes of figures every tick, so one query
 * per tick serves them all (each stream only formats the rows in its own zone). A stream that reads slowly is
 * handed only the newest tick when it is ready for one: it never holds the others back nor queues ticks up.
 */

import type { LiveTick } from '@trendlens/contract'
import { sleep } from '@trendlens/ingest'
import type { AppDeps } from './context.ts'
import { ApiError, toApiError } from './errors.ts'
import { type LiveMinutes, liveTick, loadLiveMinutes } from './reports/live.ts'

/** One tick's outcome, shared by every stream: the figures (formatted per zone on demand), or the error. */
export type LiveResult =
  | { kind: 'tick'; sequence: number; tick: (zone: string) => LiveTick }
  | { kind: 'error'; sequence: number; error: ApiError }

export class LiveHub {
  private readonly subscribers = new Set<LiveSubscription>()
  private latest: LiveResult | undefined
  private stopLoop: AbortController | undefined
  private sequence = 0
  /** Store queries run for ticks since start: with any number of streams, one per tick. */
  queries = 0

  constructor(
    private readonly deps: AppDeps,
    private readonly intervalMs: number,
    private readonly maxClients: number,
  ) {}

  get clients(): number {
    return this.subscribers.size
  }

  /** Joins the stream; refused with a 503 when the connection cap is reached, before any byte is sent. */
  subscribe(): LiveSubscription {
    if (this.subscribers.size >= this.maxClients) {
      throw new ApiError(
        503,
        'too_many_connections',
        `${this.subscribers.size} live streams are open and the limit is ${this.maxClients} (LIVE_MAX_CLIENTS); ` +
          'try again later',
      )
    }
    const subscription = new LiveSubscription(() => this.leave(subscription))
    this.subscribers.add(subscription)
    // A newcomer gets the newest tick at once; the first stream starts the loop, whose first tick is immediate.
    if (this.latest) subscription.offer(this.latest)
    if (!this.stopLoop) this.start()
    return subscription
  }

  private leave(subscription: LiveSubscription): void {
    this.subscribers.delete(subscription)
    if (this.subscribers.size === 0) {
      // Nobody is watching: stop querying, and forget the figures, which would be stale for the next viewer.
      this.stopLoop?.abort()
      this.stopLoop = undefined
      this.latest = undefined
    }
  }

  private start(): void {
    const stop = new AbortController()
    this.stopLoop = stop
    void this.run(stop.signal)
  }

  private async run(stop: AbortSignal): Promise<void> {
    const { queryTimeoutMs } = this.deps.api
    while (!stop.aborted) {
      const started = Date.now()
      const budget = AbortSignal.timeout(queryTimeoutMs)
      let result: LiveResult
      try {
        this.queries++
        const minutes = await loadLiveMinutes(this.deps, started, AbortSignal.any([stop, budget]))
        result = { kind: 'tick', sequence: this.sequence++, tick: formatter(minutes) }
      } catch (error) {
        if (stop.aborted) return
        // A failed tick is reported on every stream and retried on the next one; the connections stay open.
        this.deps.log.warn('live tick failed', {
          error: error instanceof Error ? error.message : String(error),
        })
        result = { kind: 'error', sequence: this.sequence++, error: toApiError(error, budget.aborted) }
      }
      if (stop.aborted) return
      this.latest = result
      for (const subscriber of this.subscribers) subscriber.offer(result)
      await sleep(Math.max(0, started + this.intervalMs - Date.now()), stop)
    }
  }
}

/** Formats a tick once per zone, however many streams share that zone. */
function formatter(minutes: LiveMinutes): (zone: string) => LiveTick {
  const byZone = new Map<string, LiveTick>()
  return (zone) => {
    let tick = byZone.get(zone)
    if (!tick) {
      tick = liveTick(minutes, zone)
      byZone.set(zone, tick)
    }
    return tick
  }
}

/** One stream's mailbox: holds at most the newest undelivered tick. */
export class LiveSubscription {
  private pending: LiveResult | undefined
  private waiter: ((result: LiveResult | undefined) => void) | undefined
  private closed = false

  constructor(private readonly onClose: () => void) {}

  offer(result: LiveResult): void {
    if (this.closed) return
    if (this.waiter) {
      const waiter = this.waiter
      this.waiter = undefined
      waiter(result)
    } else {
      this.pending = result
    }
  }

  /** The next tick, or undefined once the stream is closed. */
  next(): Promise<LiveResult | undefined> {
    if (this.closed) return Promise.resolve(undefined)
    const pending = this.pending
    if (pending) {
      this.pending = undefined
      return Promise.resolve(pending)
    }
    return new Promise((resolve) => {
      this.waiter = resolve
    })
  }

  close(): void {
    if (this.closed) return
    this.closed = true
    this.pending = undefined
    this.waiter?.(undefined)
    this.waiter = undefined
    this.onClose()
  }
}
