import { overviewQuery } from '@trendlens/contract'
import { Hono } from 'hono'
import type { AppEnv, Services } from '../context.ts'
import { parseQuery } from '../params.ts'
import { loadOverview } from '../reports/overview.ts'
import { reply } from './reply.ts'

export function overviewRoutes(services: Services): Hono<AppEnv> {
  return new Hono<AppEnv>().get('/', async (c) =>
    reply(c, await loadOverview(services, parseQuery(overviewQuery, c.req.queries()), Date.now())),
  )
}
