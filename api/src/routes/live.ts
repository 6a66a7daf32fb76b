import { createRoute } from '@hono/zod-openapi'
import { ingestSnapshot, liveQuery } from '@trendlens/contract'
import { streamSSE } from 'hono/streaming'
import { z } from 'zod'
import type { Services } from '../context.ts'
import { errorResponses, json, router, STORE_ERRORS } from '../openapi.ts'
import { resolveZone } from '../scope.ts'

/** The dashboard's live view moves every two seconds: fresh enough to feel live, cheap enough to serve many. */
export const LIVE_INTERVAL_MS = 2_000

const liveRoute = createRoute({
  method: 'get',
  path: '/live',
  operationId: 'streamLive',
  tags: ['live'],
  summary: 'Server-sent events: a tick every 2 s with the newest minute and ingest health',
  request: { query: liveQuery },
  responses: {
    200: {
      description:
        'An event stream. `event: tick` carries a LiveTick (#/components/schemas/LiveTick) as its JSON data, with ' +
        'an increasing `id`; `event: error` carries the error body when a tick could not be read.',
      content: { 'text/event-stream': { schema: z.string() } },
    },
    ...errorResponses(400, ...STORE_ERRORS),
  },
})

const ingestRoute = createRoute({
  method: 'get',
  path: '/ingest',
  operationId: 'getIngest',
  tags: ['live'],
  summary: 'Ingest counters, rates, state and lag',
  responses: { 200: json(ingestSnapshot, "The ingest's counters") },
})

export function liveRoutes(services: Services) {
  return router()
    .openapi(liveRoute, async (c) => {
      const query = c.req.valid('query')
      const zone = await resolveZone(services, query.tz)
      const requestId = c.get('requestId')
      // Taken before the stream starts, so a refusal is a plain JSON 503 rather than a broken event stream.
      const subscription = services.live.subscribe()
      return streamSSE(c, async (stream) => {
        stream.onAbort(() => subscription.close())
        c.req.raw.signal.addEventListener('abort', () => subscription.close(), { once: true })
        try {
          for (let result = await subscription.next(); result; result = await subscription.next()) {
            if (result.kind === 'tick') {
              const data = JSON.stringify(result.tick(zone))
              await stream.writeSSE({ event: 'tick', id: String(result.sequence), data })
            } else {
              await stream.writeSSE({ event: 'error', data: JSON.stringify(result.error.body(requestId)) })
            }
          }
        } finally {
          subscription.close()
        }
      })
    })
    .openapi(ingestRoute, (c) => c.json(services.deps.metrics.snapshot(), 200))
}
