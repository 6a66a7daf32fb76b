/** The OpenAPI 3.1 document, assembled from the same zod schemas that validate each request. */
import {
  annotationBody,
  annotationsQuery,
  csvOptions,
  eventsExportQuery,
  growthQuery,
  heatmapQuery,
  liveQuery,
  overviewQuery,
  splitQuery,
  topQuery,
  trendingQuery,
} from '@trendlens/contract'
import { z } from 'zod'
import { API_VERSION } from './routes/system.ts'

type QuerySchema = z.ZodObject

interface Operation {
  method: 'get' | 'post' | 'delete'
  path: string
  summary: string
  query?: QuerySchema
  pathParams?: Record<string, string>
  body?: z.ZodType
  /** Media type of the success response. */
  produces: 'application/json' | 'text/csv' | 'text/event-stream' | 'text/plain' | null
  success?: number
}

const OPERATIONS: Operation[] = [
  {
    method: 'get',
    path: '/api/overview',
    summary: 'KPIs of the range against the previous period',
    query: overviewQuery,
    produces: 'application/json',
  },
  {
    method: 'get',
    path: '/api/hashtags/growth',
    summary: 'Views and discussions per bucket, cumulative, with milestones',
    query: growthQuery,
    produces: 'application/json',
  },
  {
    method: 'get',
    path: '/api/hashtags/top',
    summary: 'Top tags by views or discussions',
    query: topQuery,
    produces: 'application/json',
  },
  {
    method: 'get',
    path: '/api/hashtags/trending',
    summary: 'Breakout tags: recent rate against their own baseline',
    query: trendingQuery,
    produces: 'application/json',
  },
  {
    method: 'get',
    path: '/api/regions/split',
    summary: 'Events or active users per bucket by region, shares, leader and crossovers',
    query: splitQuery,
    produces: 'application/json',
  },
  {
    method: 'get',
    path: '/api/regions/heatmap',
    summary: 'Hour-of-day by day heatmap in the time zone',
    query: heatmapQuery,
    produces: 'application/json',
  },
  {
    method: 'get',
    path: '/api/live',
    summary: 'Server-sent events: a tick every 2 s with the newest minute and ingest health',
    query: liveQuery,
    produces: 'text/event-stream',
  },
  { method: 'get', path: '/api/ingest', summary: 'Ingest counters and rates', produces: 'application/json' },
  {
    method: 'get',
    path: '/api/export/overview.csv',
    summary: 'Overview as CSV',
    query: overviewQuery,
    produces: 'text/csv',
  },
  {
    method: 'get',
    path: '/api/export/growth.csv',
    summary: 'Tag growth series as CSV',
    query: growthQuery,
    produces: 'text/csv',
  },
  { method: 'get', path: '/api/export/top.csv', summary: 'Top tags as CSV', query: topQuery, produces: 'text/csv' },
  {
    method: 'get',
    path: '/api/export/trending.csv',
    summary: 'Trending tags as CSV',
    query: trendingQuery,
    produces: 'text/csv',
  },
  {
    method: 'get',
    path: '/api/export/regions.csv',
    summary: 'Region split as CSV (one row per bucket and region)',
    query: splitQuery,
    produces: 'text/csv',
  },
  {
    method: 'get',
    path: '/api/export/heatmap.csv',
    summary: 'Heatmap cells as CSV',
    query: heatmapQuery,
    produces: 'text/csv',
  },
  {
    method: 'get',
    path: '/api/export/events.csv',
    summary: 'Raw events of a range as streamed CSV (row cap: EXPORT_MAX_ROWS)',
    query: eventsExportQuery,
    produces: 'text/csv',
  },
  {
    method: 'get',
    path: '/api/export/events/count',
    summary: 'How many rows the raw events export of these parameters holds, and the cap: {rows, limit}',
    query: eventsExportQuery,
    produces: 'application/json',
  },
  {
    method: 'get',
    path: '/api/annotations',
    summary: 'Annotations dated in the range',
    query: annotationsQuery,
    produces: 'application/json',
  },
  {
    method: 'post',
    path: '/api/annotations',
    summary: 'Add an annotation',
    body: annotationBody,
    produces: 'application/json',
    success: 201,
  },
  {
    method: 'delete',
    path: '/api/annotations/{id}',
    summary: 'Delete an annotation',
    pathParams: { id: 'The annotation id' },
    produces: null,
    success: 204,
  },
  {
    method: 'get',
    path: '/api/meta',
    summary: 'Defaults for the dashboard: time zone, data range, the story',
    produces: 'application/json',
  },
  { method: 'get', path: '/api/openapi.json', summary: 'This document', produces: 'application/json' },
  { method: 'get', path: '/healthz', summary: 'Liveness', produces: 'application/json' },
  {
    method: 'get',
    path: '/readyz',
    summary: 'Readiness: the store answers (503 otherwise)',
    produces: 'application/json',
  },
  { method: 'get', path: '/metrics', summary: 'Prometheus metrics', produces: 'text/plain' },
]

type JsonSchema = Record<string, unknown>

function jsonSchema(schema: z.ZodType): JsonSchema {
  const { $schema: _draft, ...rest } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema
  return rest
}

function queryParameters(query: QuerySchema): JsonSchema[] {
  return Object.entries(query.shape).map(([name, field]) => {
    const schema = jsonSchema(field as z.ZodType)
    const { description, ...rest } = schema
    const parameter: JsonSchema = { name, in: 'query', required: false, schema: rest }
    if (typeof description === 'string') parameter.description = description
    if (rest.type === 'array') Object.assign(parameter, { style: 'form', explode: true })
    return parameter
  })
}

const ERROR_RESPONSE = {
  description: 'Error',
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
}

export function openApiDocument(options: { tokenRequired: boolean }): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {}
  for (const op of OPERATIONS) {
    const parameters: JsonSchema[] = op.query ? queryParameters(op.query) : []
    if (op.produces === 'text/csv') parameters.push(...queryParameters(csvOptions))
    for (const [name, description] of Object.entries(op.pathParams ?? {})) {
      parameters.push({ name, in: 'path', required: true, description, schema: { type: 'string' } })
    }
    const success = op.success ?? 200
    const responses: Record<string, JsonSchema> = {
      [success]: op.produces
        ? {
            description: 'Success',
            content: {
              [op.produces]: { schema: op.produces === 'application/json' ? { type: 'object' } : { type: 'string' } },
            },
          }
        : { description: 'Success' },
      '4XX': ERROR_RESPONSE,
      '5XX': ERROR_RESPONSE,
    }
    const operation: JsonSchema = { summary: op.summary, parameters, responses }
    if (op.body) {
      operation.requestBody = { required: true, content: { 'application/json': { schema: jsonSchema(op.body) } } }
    }
    if (options.tokenRequired && op.path.startsWith('/api/') && op.path !== '/api/openapi.json') {
      // A token in the URL is accepted only where headers cannot be sent: EventSource and download links.
      const urlToken = op.method === 'get' && (op.path === '/api/live' || op.path.startsWith('/api/export/'))
      operation.security = urlToken ? [{ bearer: [] }, { queryToken: [] }] : [{ bearer: [] }]
    }
    paths[op.path] ??= {}
    ;(paths[op.path] as Record<string, JsonSchema>)[op.method] = operation
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'TrendLens API',
      version: API_VERSION,
      description:
        'Trend and traffic analytics. Every data route takes from, to (ISO 8601 or relative: -24h, -7d, now) and ' +
        'tz (IANA). Errors are {code, message, requestId}; a bad parameter is 400 invalid_parameter naming it.',
    },
    paths,
    components: {
      schemas: {
        Error: {
          type: 'object',
          required: ['code', 'message', 'requestId'],
          properties: {
            code: { type: 'string' },
            message: { type: 'string' },
            requestId: { type: 'string' },
            parameter: { type: 'string', description: 'The offending parameter or body field' },
          },
        },
      },
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer' },
        queryToken: { type: 'apiKey', in: 'query', name: 'token' },
      },
    },
  }
}
