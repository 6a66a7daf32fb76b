import { sleep } from '@trendlens/ingest'
import { Hono } from 'hono'
import { streamSSE } from 'hono/streaming'
import type { AppEnv, Services } from '../context.ts'
import { toApiError } from '../errors.ts'
import { liveQuery, parseQuery } from '../params.ts'
import { liveTick } from '../reports/live.ts'
import { resolveZone } from '../scope.ts'

/** The dashboard's live view moves every two seconds: fresh enough to feel live, cheap enough to serve many. */
export const LIVE_INTERVAL_MS = 2_000

export function liveRoutes(services: Services): Hono<AppEnv> {
  return new Hono<AppEnv>()
    .get('/live', async (c) => {
      const query = parseQuery(liveQuery, c.req.queries())
      const zone = await resolveZone(services, query.tz)
      const requestId = c.get('requestId')
      const log = services.deps.log.child({ requestId, route: '/api/live' })
      return streamSSE(c, async (stream) => {
        const closed = new AbortController()
        stream.onAbort(() => closed.abort())
        c.req.raw.signal.addEventListener('abort', () => closed.abort(), { once: true })
        let tick = 0
        while (!closed.signal.aborted) {
          const budget = AbortSignal.timeout(services.deps.api.queryTimeoutMs)
          const signal = AbortSignal.any([closed.signal, budget])
          try {
            const payload = await liveTick(services, zone, Date.now(), signal)
            await stream.writeSSE({ event: 'tick', id: String(tick++), data: JSON.stringify(payload) })
          } catch (error) {
            if (closed.signal.aborted) break
            // A failed tick is reported on the stream and retried on the next one; the connection stays open.
            const apiError = toApiError(error, budget.aborted)
            log.warn('live tick failed', { error: error instanceof Error ? error.message : String(error) })
            await stream.writeSSE({ event: 'error', data: JSON.stringify(apiError.body(requestId)) })
          }
          await sleep(LIVE_INTERVAL_MS, closed.signal)
        }
      })
    })
    .get('/ingest', (c) => c.json(services.deps.metrics.snapshot()))
}
