import { growthQuery, topQuery, trendingQuery } from '@trendlens/contract'
import { Hono } from 'hono'
import type { AppEnv, Services } from '../context.ts'
import { parseQuery } from '../params.ts'
import { loadGrowth, loadTop, loadTrending } from '../reports/hashtags.ts'
import { reply } from './reply.ts'

export function hashtagRoutes(services: Services): Hono<AppEnv> {
  return new Hono<AppEnv>()
    .get('/growth', async (c) =>
      reply(c, await loadGrowth(services, parseQuery(growthQuery, c.req.queries()), Date.now())),
    )
    .get('/top', async (c) => reply(c, await loadTop(services, parseQuery(topQuery, c.req.queries()), Date.now())))
    .get('/trending', async (c) =>
      reply(c, await loadTrending(services, parseQuery(trendingQuery, c.req.queries()), Date.now())),
    )
}
