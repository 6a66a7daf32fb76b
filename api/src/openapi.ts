/**
 * Routes are declared with their request and response schemas (`createRoute`), so the validation a route runs and
 * the OpenAPI 3.1 document it appears in come from the same declaration and cannot drift.
 */
import { type Hook, OpenAPIHono } from '@hono/zod-openapi'
import { type ErrorCode, errorBody } from '@trendlens/contract'
import type { Context } from 'hono'
import { z } from 'zod'
import type { AppEnv } from './context.ts'
import { bodyProblem, queryProblem } from './params.ts'

/** The version of this API's contract: the document's `info.version` and `/api/meta`'s `version`. */
export const API_VERSION = '1.0.0'

/** Operations are grouped by these tags in the document and on the docs page, in this order. */
const TAGS = [
  { name: 'reports', description: 'Aggregates over a time range, bucketed in the viewer’s time zone' },
  { name: 'live', description: 'The live stream and the ingest counters' },
  { name: 'export', description: 'CSV downloads of every report and of raw events' },
  { name: 'annotations', description: 'Dated notes shown on charts' },
  { name: 'meta', description: 'What the dashboard starts from, this document and its page' },
  { name: 'operations', description: 'Liveness, readiness and metrics for probes and Prometheus' },
] as const

/**
 * A sub-app whose routes refuse a bad request with the one error body: a 400 naming the parameter or body field,
 * never the validator's own shape.
 */
export function router(): OpenAPIHono<AppEnv> {
  return new OpenAPIHono<AppEnv>({ defaultHook: refuseInvalidRequest })
}

const refuseInvalidRequest: Hook<unknown, AppEnv, string, void> = (result, c: Context<AppEnv>) => {
  if (result.success) return
  if (result.target === 'json') throw bodyProblem(result.error)
  throw queryProblem(result.error, result.target === 'query' ? c.req.queries() : {})
}

/** What each error status means on this API, with the codes it carries. */
const ERROR_STATUSES = {
  400: ['A parameter or body field is invalid; `parameter` names it', ['invalid_parameter', 'invalid_body']],
  401: ['The API token is missing or wrong (only when API_TOKEN is set)', ['unauthorized']],
  403: ['A write from another origin', ['forbidden_origin']],
  404: ['No such resource', ['not_found']],
  413: ['The request body or the export is too large', ['invalid_body', 'export_too_large']],
  415: ['A write without Content-Type: application/json', ['unsupported_media_type']],
  429: ['Too many exports at once (EXPORT_MAX_CONCURRENT, EXPORT_MAX_PER_CLIENT)', ['too_many_exports']],
  503: [
    'The store is unreachable, the request was cancelled, or a limit of open streams is reached',
    ['store_unavailable', 'cancelled', 'too_many_connections', 'ingest_not_ready'],
  ],
  504: ['The query took longer than QUERY_TIMEOUT_MS', ['query_timeout']],
} as const satisfies Record<number, readonly [string, readonly ErrorCode[]]>
type ErrorStatus = keyof typeof ERROR_STATUSES

const errorContent = { 'application/json': { schema: errorBody } }

/** The error responses of a route, each with the one error body. */
export function errorResponses<const S extends ErrorStatus>(...statuses: S[]) {
  const responses = {} as Record<S, { description: string; content: typeof errorContent }>
  for (const status of statuses) {
    const [meaning, codes] = ERROR_STATUSES[status]
    responses[status] = { description: `${meaning} (code: ${codes.join(', ')})`, content: errorContent }
  }
  return responses
}

/** Errors any route that reads the store can answer. */
export const STORE_ERRORS = [503, 504] as const

/** A JSON success response. */
export function json<Schema extends z.ZodType>(schema: Schema, description: string) {
  return { description, content: { 'application/json': { schema } } }
}

export type OpenApiDocument = ReturnType<OpenAPIHono<AppEnv>['getOpenAPI31Document']>

/**
 * The document of every route registered on the app. With a token configured, each /api operation but the document
 * and its page says so: a bearer header, or `?token=` where headers cannot be sent (EventSource and download links).
 */
export function openApiDocument(app: OpenAPIHono<AppEnv>, options: { tokenRequired: boolean }): OpenApiDocument {
  const document = app.getOpenAPI31Document({
    openapi: '3.1.0',
    info: {
      title: 'TrendLens API',
      version: API_VERSION,
      description:
        'Trend and traffic analytics. Every data route takes from, to (ISO 8601 or relative: -24h, -7d, now) and ' +
        'tz (IANA). Errors are {code, message, requestId}; a bad parameter is 400 invalid_parameter naming it. ' +
        'Every route but /healthz, /readyz and /metrics answers 421 unknown_host to a Host outside ALLOWED_HOSTS.',
    },
    tags: TAGS.map((tag) => ({ ...tag })),
  })
  document.components = {
    ...document.components,
    schemas: withStreamedSchemas(document.components?.schemas ?? {}),
    securitySchemes: {
      bearer: { type: 'http', scheme: 'bearer' },
      queryToken: { type: 'apiKey', in: 'query', name: 'token' },
    },
  }
  if (!options.tokenRequired) return document
  for (const [path, item] of Object.entries(document.paths ?? {})) {
    if (!path.startsWith('/api/') || OPEN_PATHS.has(path)) continue
    for (const method of ['get', 'post', 'delete'] as const) {
      const operation = item[method]
      if (!operation) continue
      const urlToken = method === 'get' && (path === '/api/live' || path.startsWith('/api/export/'))
      operation.security = urlToken ? [{ bearer: [] }, { queryToken: [] }] : [{ bearer: [] }]
      operation.responses = { ...operation.responses, 401: UNAUTHORIZED }
    }
  }
  return document
}

/**
 * The component schemas plus those a stream's events carry, which no response body names: the live stream's
 * `LiveTick` and the schemas it refers to, converted by zod from the contract's schemas of those ids.
 */
function withStreamedSchemas(schemas: Schemas): Schemas {
  const contract = z.toJSONSchema(z.globalRegistry, {
    uri: (id) => `#/components/schemas/${id}`,
    unrepresentable: 'any',
  })
  const all: Schemas = { ...schemas }
  const add = (id: string) => {
    if (id in all) return
    const found = contract.schemas[id]
    if (!found) throw new Error(`no contract schema has the id ${id}`)
    const { $schema: _dialect, $id: _id, ...schema } = found
    // JSON Schema 2020-12, the dialect of OpenAPI 3.1's schema objects.
    all[id] = schema as Schemas[string]
    for (const [, ref] of JSON.stringify(schema).matchAll(/"#\/components\/schemas\/([^"]+)"/g)) add(ref as string)
  }
  for (const id of STREAMED_SCHEMAS) add(id)
  return all
}

const STREAMED_SCHEMAS = ['LiveTick']

type Schemas = NonNullable<NonNullable<OpenApiDocument['components']>['schemas']>

const UNAUTHORIZED = {
  description: `${ERROR_STATUSES[401][0]} (code: unauthorized)`,
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
}

/** The /api paths that need no token: the document and its page describe the API and hold no data. */
export const OPEN_PATHS: ReadonlySet<string> = new Set(['/api/openapi.json', '/api/docs'])
