/** Liveness, readiness, Prometheus metrics and the metadata the dashboard starts from. */
import { localIso, type MetaReport } from '@trendlens/contract'
import { UNREADY_INGEST_STATES } from '@trendlens/ingest'
import { Hono } from 'hono'
import type { AppEnv, Services } from '../context.ts'
import { ApiError } from '../errors.ts'
import { processMetrics } from '../process-metrics.ts'
import { cached } from '../reports/table.ts'
import { renderIngestMetrics } from '../request-metrics.ts'
import { reply } from './reply.ts'

/** The version of this API's contract, also the OpenAPI document's `info.version`. */
export const API_VERSION = '1.0.0'

/** Prometheus' text exposition format. */
export const PROMETHEUS_TEXT = 'text/plain; version=0.0.4; charset=utf-8'

export function healthRoutes(services: Services): Hono<AppEnv> {
  return new Hono<AppEnv>()
    .get('/healthz', (c) => c.json({ status: 'ok' }))
    .get('/readyz', async (c) => {
      let reachable: boolean
      try {
        reachable = await services.deps.store.ping()
      } catch (error) {
        services.deps.log.warn('readiness check failed', {
          error: error instanceof Error ? error.message : String(error),
        })
        reachable = false
      }
      if (!reachable) throw new ApiError(503, 'store_unavailable', 'the analytics store is not reachable')
      const ingest = services.deps.metrics.snapshot()
      if (UNREADY_INGEST_STATES.has(ingest.state)) {
        const reason = ingest.stateReason
        const message = `ingest is ${ingest.state}${reason ? `: ${reason.detail}` : ''}`
        const body = { ...new ApiError(503, 'ingest_not_ready', message).body(c.get('requestId')), ingest: reason }
        return c.json({ ...body, state: ingest.state, since: ingest.stateSince, totalLag: ingest.totalLag }, 503)
      }
      return c.json({ status: 'ready', backend: services.deps.store.backend, ingest: ingest.state })
    })
    .get('/metrics', (c) => {
      const live = { clients: services.live.clients, queries: services.live.queries }
      const text =
        services.requests.render(services.exports, live) +
        renderIngestMetrics(services.deps.metrics.snapshot()) +
        processMetrics().render()
      return c.text(text, 200, { 'Content-Type': PROMETHEUS_TEXT })
    })
}

export function metaRoutes(services: Services): Hono<AppEnv> {
  return new Hono<AppEnv>().get('/', async (c) => {
    const zone = services.deps.api.defaultTimeZone
    const meta = await cached(services, ['meta'], async (signal) => {
      const [span] = await services.deps.store.query('api_events_range', {}, { signal })
      return metaBody(services, zone, span)
    })
    return reply(c, meta)
  })
}

function metaBody(
  services: Services,
  zone: string,
  span: { events: number; first_ts: number; last_ts: number } | undefined,
): MetaReport {
  const hasData = span !== undefined && span.events > 0
  return {
    defaultTimeZone: zone,
    dataRange: hasData
      ? {
          from: localIso(span.first_ts, zone),
          to: localIso(span.last_ts, zone),
          fromTs: span.first_ts,
          toTs: span.last_ts,
          events: span.events,
        }
      : null,
    story: services.deps.story ?? null,
    backend: services.deps.store.backend,
    version: API_VERSION,
  }
}
