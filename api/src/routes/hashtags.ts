import { createRoute } from '@hono/zod-openapi'
import { growthQuery, growthReport, topQuery, topTagsReport, trendingQuery, trendingReport } from '@trendlens/contract'
import type { Services } from '../context.ts'
import { errorResponses, json, router, STORE_ERRORS } from '../openapi.ts'
import { repeatable } from '../params.ts'
import { loadGrowth, loadTop, loadTrending } from '../reports/hashtags.ts'
import { reply } from './reply.ts'

/** The growth parameters as a query string carries them: `tag` given once or repeated. */
export const growthQueryString = growthQuery.extend({ tag: repeatable(growthQuery.shape.tag) })

const growthRoute = createRoute({
  method: 'get',
  path: '/growth',
  operationId: 'getGrowth',
  tags: ['reports'],
  summary: 'Views and discussions per bucket, cumulative, with milestones',
  request: { query: growthQueryString },
  responses: { 200: json(growthReport, 'One series per tag'), ...errorResponses(400, ...STORE_ERRORS) },
})

const topRoute = createRoute({
  method: 'get',
  path: '/top',
  operationId: 'getTopTags',
  tags: ['reports'],
  summary: 'Top tags by views or discussions',
  request: { query: topQuery },
  responses: { 200: json(topTagsReport, 'The top tags'), ...errorResponses(400, ...STORE_ERRORS) },
})

const trendingRoute = createRoute({
  method: 'get',
  path: '/trending',
  operationId: 'getTrending',
  tags: ['reports'],
  summary: 'Breakout tags: recent rate against their own baseline',
  request: { query: trendingQuery },
  responses: { 200: json(trendingReport, 'The breakout tags'), ...errorResponses(400, ...STORE_ERRORS) },
})

export function hashtagRoutes(services: Services) {
  return router()
    .openapi(growthRoute, async (c) => reply(c, await loadGrowth(services, c.req.valid('query'), Date.now())))
    .openapi(topRoute, async (c) => reply(c, await loadTop(services, c.req.valid('query'), Date.now())))
    .openapi(trendingRoute, async (c) => reply(c, await loadTrending(services, c.req.valid('query'), Date.now())))
}
