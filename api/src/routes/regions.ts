import { createRoute } from '@hono/zod-openapi'
import { heatmapQuery, heatmapReport, regionSplitReport, splitQuery } from '@trendlens/contract'
import type { Services } from '../context.ts'
import { errorResponses, json, router, STORE_ERRORS } from '../openapi.ts'
import { loadHeatmap, loadSplit } from '../reports/regions.ts'
import { reply } from './reply.ts'

const splitRoute = createRoute({
  method: 'get',
  path: '/split',
  operationId: 'getRegionSplit',
  tags: ['reports'],
  summary: 'Events or active users per bucket by region, shares, leader and crossovers',
  request: { query: splitQuery },
  responses: { 200: json(regionSplitReport, 'The split per bucket'), ...errorResponses(400, ...STORE_ERRORS) },
})

const heatmapRoute = createRoute({
  method: 'get',
  path: '/heatmap',
  operationId: 'getHeatmap',
  tags: ['reports'],
  summary: 'Hour-of-day by day heatmap in the time zone',
  request: { query: heatmapQuery },
  responses: { 200: json(heatmapReport, 'One cell per local day and hour'), ...errorResponses(400, ...STORE_ERRORS) },
})

export function regionRoutes(services: Services) {
  return router()
    .openapi(splitRoute, async (c) => reply(c, await loadSplit(services, c.req.valid('query'), Date.now())))
    .openapi(heatmapRoute, async (c) => reply(c, await loadHeatmap(services, c.req.valid('query'), Date.now())))
}
