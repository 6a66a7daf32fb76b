import { heatmapQuery, splitQuery } from '@trendlens/contract'
import { Hono } from 'hono'
import type { AppEnv, Services } from '../context.ts'
import { parseQuery } from '../params.ts'
import { loadHeatmap, loadSplit } from '../reports/regions.ts'
import { reply } from './reply.ts'

export function regionRoutes(services: Services): Hono<AppEnv> {
  return new Hono<AppEnv>()
    .get('/split', async (c) =>
      reply(c, await loadSplit(services, parseQuery(splitQuery, c.req.queries()), Date.now())),
    )
    .get('/heatmap', async (c) =>
      reply(c, await loadHeatmap(services, parseQuery(heatmapQuery, c.req.queries()), Date.now())),
    )
}
