import type { StoryInfo } from '@trendlens/contract'
import type { IngestMetrics, Logger } from '@trendlens/ingest'
import type { Store } from '@trendlens/sql'
import { ApiError, invalidParameter } from './errors.ts'
import type { LiveHub } from './live-hub.ts'
import type { RequestMetrics } from './request-metrics.ts'
import type { ResponseCache } from './response-cache.ts'
import type { ApiOptions } from './settings.ts'

/**
 * What the API asks of the store: named reads, the raw export stream, annotation writes and a ping. The product
 * passes the real `Store`; tests of what is decided before any figure is read pass an in-memory double of the same
 * type, so the double cannot drift from the store.
 */
export type AppStore = Pick<Store, 'backend' | 'ping' | 'query' | 'queryStream' | 'appendRows'>

export interface AppDeps {
  store: AppStore
  metrics: IngestMetrics
  log: Logger
  api: ApiOptions
  /** `operations`: only health, readiness and metrics (an ingest-only worker); default: the whole API. */
  routes?: 'all' | 'operations' | undefined
  /** The story the data tells, when the product replays the seed story; /api/meta names it. */
  story?: StoryInfo | undefined
  /** The built dashboard (vite's dist); served with an SPA fallback when given. */
  dashboardDir?: string | undefined
  /**
   * How long an identical dashboard query may be answered from memory. Dashboards poll the same questions; a
   * second of staleness turns a burst of identical requests into one query. 0 turns the cache off.
   */
  responseCacheMs?: number | undefined
  /** Time between live ticks (default LIVE_INTERVAL_MS); tests use shorter ticks. */
  liveIntervalMs?: number | undefined
}

/** Everything a route needs, built once per app. */
export interface Services {
  deps: AppDeps
  cache: ResponseCache
  requests: RequestMetrics
  exports: ExportSlots
  /** The live stream's shared ticks. */
  live: LiveHub
  zones: ZoneNames
  /** Bumped on every annotation write, so cached annotation lists are never served stale. */
  annotationsRevision: { value: number }
}

export interface AppEnv {
  Variables: {
    requestId: string
    /** Aborts when the client goes away or the query budget (QUERY_TIMEOUT_MS) is spent. */
    signal: AbortSignal
    /** Aborted only by the query budget, so errors can tell a timeout from a cancellation. */
    timeout: AbortSignal
  }
}

/**
 * Exports in progress; each holds an engine session or the store's bulk connection, so only a few run at once, and
 * no one client (address) may take them all.
 */
export class ExportSlots {
  private inUse = 0
  private readonly byClient = new Map<string, number>()
  /** Downloads cut because their reader stopped taking data. */
  stalled = 0

  constructor(
    private readonly max: number,
    private readonly perClient: number,
  ) {}

  get active(): number {
    return this.inUse
  }

  /** Takes a slot for a client or refuses with a 429 naming the limit. The returned function gives it back, once. */
  acquire(client: string): () => void {
    if (this.inUse >= this.max) {
      throw new ApiError(
        429,
        'too_many_exports',
        `${this.inUse} exports are already running and the limit is ${this.max} (EXPORT_MAX_CONCURRENT); ` +
          'try again when one has finished',
      )
    }
    const mine = this.byClient.get(client) ?? 0
    if (mine >= this.perClient) {
      throw new ApiError(
        429,
        'too_many_exports',
        `this client already runs ${mine} export${mine === 1 ? '' : 's'} and the limit per client is ` +
          `${this.perClient} (EXPORT_MAX_PER_CLIENT); try again when it has finished`,
      )
    }
    this.inUse++
    this.byClient.set(client, mine + 1)
    let released = false
    return () => {
      if (released) return
      released = true
      this.inUse--
      const left = (this.byClient.get(client) ?? 1) - 1
      if (left > 0) this.byClient.set(client, left)
      else this.byClient.delete(client)
    }
  }
}

/**
 * Time zone names as the engine spells them. Intl accepts any letter case and a few names the engine lacks, so a
 * zone is checked against both and passed on in the engine's spelling.
 */
export class ZoneNames {
  private names: Promise<ReadonlyMap<string, string>> | undefined
  constructor(private readonly store: AppStore) {}

  async resolve(zone: string): Promise<string> {
    this.names ??= this.load()
    let names: ReadonlyMap<string, string>
    try {
      names = await this.names
    } catch (error) {
      this.names = undefined
      throw error
    }
    const known = names.get(zone.toLowerCase())
    if (!known) throw invalidParameter('tz', `tz: unknown IANA time zone "${zone.slice(0, 64)}"`)
    return known
  }

  private async load(): Promise<ReadonlyMap<string, string>> {
    const rows = await this.store.query('api_time_zones', {})
    return new Map(rows.map((row) => [row.time_zone.toLowerCase(), row.time_zone]))
  }
}
