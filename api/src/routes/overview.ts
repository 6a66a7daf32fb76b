import { createRoute } from '@hono/zod-openapi'
import { overviewQuery, overviewReport } from '@trendlens/contract'
import type { Services } from '../context.ts'
import { errorResponses, json, router, STORE_ERRORS } from '../openapi.ts'
import { loadOverview } from '../reports/overview.ts'
import { reply } from './reply.ts'

const overviewRoute = createRoute({
  method: 'get',
  path: '/',
  operationId: 'getOverview',
  tags: ['reports'],
  summary: 'KPIs of the range against the previous period',
  request: { query: overviewQuery },
  responses: { 200: json(overviewReport, 'The KPIs and their change'), ...errorResponses(400, ...STORE_ERRORS) },
})

export function overviewRoutes(services: Services) {
  return router().openapi(overviewRoute, async (c) =>
    reply(c, await loadOverview(services, c.req.valid('query'), Date.now())),
  )
}
