import { liveQuery } from '@trendlens/contract'
import { Hono } from 'hono'
import { streamSSE } from 'hono/streaming'
import type { AppEnv, Services } from '../context.ts'
import { parseQuery } from '../params.ts'
import { resolveZone } from '../scope.ts'

/** The dashboard's live view moves every two seconds: fresh enough to feel live, cheap enough to serve many. */
export const LIVE_INTERVAL_MS = 2_000

export function liveRoutes(services: Services): Hono<AppEnv> {
  return new Hono<AppEnv>()
    .get('/live', async (c) => {
      const query = parseQuery(liveQuery, c.req.queries())
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
    .get('/ingest', (c) => c.json(services.deps.metrics.snapshot()))
}
