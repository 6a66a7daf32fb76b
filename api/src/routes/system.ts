/** Liveness, readiness, Prometheus metrics and the metadata the dashboard starts from. */
import { createRoute } from '@hono/zod-openapi'
import { ingestState, localIso, type MetaReport, metaReport } from '@trendlens/contract'
import { UNREADY_INGEST_STATES } from '@trendlens/ingest'
import { z } from 'zod'
import type { Services } from '../context.ts'
import { ApiError } from '../errors.ts'
import { API_VERSION, errorResponses, json, router, STORE_ERRORS } from '../openapi.ts'
import { processMetrics } from '../process-metrics.ts'
import { cached } from '../reports/table.ts'
import { renderIngestMetrics } from '../request-metrics.ts'
import { reply } from './reply.ts'

/** Prometheus' text exposition format. */
export const PROMETHEUS_TEXT = 'text/plain; version=0.0.4; charset=utf-8'

const healthRoute = createRoute({
  method: 'get',
  path: '/healthz',
  operationId: 'getHealth',
  tags: ['operations'],
  summary: 'Liveness: the process answers',
  responses: { 200: json(z.object({ status: z.literal('ok') }), 'Alive') },
})

const readyRoute = createRoute({
  method: 'get',
  path: '/readyz',
  operationId: 'getReadiness',
  tags: ['operations'],
  summary: 'Readiness: the store answers and the ingest is not paused, stuck or stopped',
  responses: {
    200: json(z.object({ status: z.literal('ready'), backend: z.string(), ingest: ingestState }), 'Ready'),
    // `ingest_not_ready` adds the ingest's state, its reason, since when, and the total lag to the error body.
    ...errorResponses(503),
  },
})

const metricsRoute = createRoute({
  method: 'get',
  path: '/metrics',
  operationId: 'getMetrics',
  tags: ['operations'],
  summary: 'Prometheus metrics: requests, exports, live streams, ingest and the process',
  responses: {
    200: {
      description: "Prometheus' text exposition format 0.0.4",
      content: { [PROMETHEUS_TEXT]: { schema: z.string() } },
    },
  },
})

export function healthRoutes(services: Services) {
  return router()
    .openapi(healthRoute, (c) => c.json({ status: 'ok' as const }, 200))
    .openapi(readyRoute, async (c) => {
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
      return c.json({ status: 'ready' as const, backend: services.deps.store.backend, ingest: ingest.state }, 200)
    })
    .openapi(metricsRoute, (c) => {
      const live = { clients: services.live.clients, queries: services.live.queries }
      const text =
        services.requests.render(services.exports, live) +
        renderIngestMetrics(services.deps.metrics.snapshot()) +
        processMetrics().render()
      return c.text(text, 200, { 'Content-Type': PROMETHEUS_TEXT })
    })
}

const metaRoute = createRoute({
  method: 'get',
  path: '/',
  operationId: 'getMeta',
  tags: ['meta'],
  summary: 'Defaults for the dashboard: time zone, data range, the story',
  responses: { 200: json(metaReport, 'What the dashboard starts from'), ...errorResponses(...STORE_ERRORS) },
})

export function metaRoutes(services: Services) {
  return router().openapi(metaRoute, async (c) => {
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
