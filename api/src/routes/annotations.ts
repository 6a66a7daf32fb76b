import { createRoute } from '@hono/zod-openapi'
import {
  annotationBody,
  annotationList,
  annotationsQuery,
  checkTag,
  datedAnnotation,
  localIso,
  MAX_ID_LENGTH,
  MIN_EVENT_TS,
  parseTimestamp,
} from '@trendlens/contract'
import type { MiddlewareHandler } from 'hono'
import { z } from 'zod'
import { createAnnotation, deleteAnnotation, listAnnotations } from '../annotations.ts'
import type { AppEnv, Services } from '../context.ts'
import { invalidBody, notFound } from '../errors.ts'
import { errorResponses, json, router, STORE_ERRORS } from '../openapi.ts'
import { cached } from '../reports/table.ts'
import { requestedRange, resolveZone } from '../scope.ts'
import { reply } from './reply.ts'

/** Notes are dated within the data's plausible span; a year 2999 note is a typo. */
const MAX_ANNOTATION_TS = Date.UTC(2100, 0, 1)
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this refuses.
const CONTROL_CHARS = /[\u0000-\u001f\u007f]/

const ID_RULE = `id must be 1-${MAX_ID_LENGTH} printable characters`
const annotationId = z.strictObject({
  id: z
    .string()
    .min(1, { error: ID_RULE })
    .max(MAX_ID_LENGTH, { error: ID_RULE })
    .refine((id) => !CONTROL_CHARS.test(id), { error: ID_RULE })
    .meta({ description: 'The annotation id' }),
})

const listRoute = createRoute({
  method: 'get',
  path: '/',
  operationId: 'listAnnotations',
  tags: ['annotations'],
  summary: 'Annotations dated in the range',
  request: { query: annotationsQuery },
  responses: {
    200: json(annotationList, 'The annotations dated in the range'),
    ...errorResponses(400, ...STORE_ERRORS),
  },
})

/** A body that is not JSON at all is refused like any other bad body, before the schema sees it. */
const requireJsonBody: MiddlewareHandler<AppEnv> = async (c, next) => {
  try {
    await c.req.json()
  } catch {
    throw invalidBody('body', 'the body must be a JSON object: {ts, title, body?, hashtag?}')
  }
  await next()
}

const createRouteConfig = createRoute({
  method: 'post',
  path: '/',
  operationId: 'createAnnotation',
  tags: ['annotations'],
  summary: 'Add an annotation',
  middleware: [requireJsonBody] as const,
  request: { body: { required: true, content: { 'application/json': { schema: annotationBody } } } },
  responses: {
    201: json(datedAnnotation, 'The annotation as stored, with its local time in the default zone'),
    ...errorResponses(400, 403, 413, 415, ...STORE_ERRORS),
  },
})

const deleteRoute = createRoute({
  method: 'delete',
  path: '/{id}',
  operationId: 'deleteAnnotation',
  tags: ['annotations'],
  summary: 'Delete an annotation',
  request: { params: annotationId },
  responses: { 204: { description: 'Deleted' }, ...errorResponses(400, 403, 404, 415, ...STORE_ERRORS) },
})

export function annotationRoutes(services: Services) {
  const { store } = services.deps
  return router()
    .openapi(listRoute, async (c) => {
      const query = c.req.valid('query')
      const zone = await resolveZone(services, query.tz)
      const range = requestedRange(query, zone, Date.now())
      const revision = services.annotationsRevision.value
      const list = await cached(services, ['annotations', revision, range, zone], async (signal) => {
        const rows = await listAnnotations(store, range, signal)
        return { tz: zone, rows: rows.map((row) => ({ ...row, t: localIso(row.ts, zone) })) }
      })
      return reply(c, list)
    })
    .openapi(createRouteConfig, async (c) => {
      const input = c.req.valid('json')
      const ts = parseTimestamp(input.ts)
      if (ts === null || ts < MIN_EVENT_TS || ts > MAX_ANNOTATION_TS) {
        throw invalidBody('ts', 'ts must be RFC 3339 with an offset or epoch milliseconds, between 2000 and 2100')
      }
      let hashtag = ''
      if (input.hashtag !== undefined && input.hashtag.trim() !== '') {
        const checked = checkTag(input.hashtag)
        if ('error' in checked) throw invalidBody('hashtag', `hashtag: ${checked.error}`)
        hashtag = checked.value
      }
      const created = await createAnnotation(store, { ts, title: input.title, body: input.body ?? '', hashtag })
      services.annotationsRevision.value++
      const zone = services.deps.api.defaultTimeZone
      return c.json({ ...created, t: localIso(created.ts, zone) }, 201)
    })
    .openapi(deleteRoute, async (c) => {
      const { id } = c.req.valid('param')
      if (!(await deleteAnnotation(store, id, c.get('signal')))) throw notFound(`no annotation with id "${id}"`)
      services.annotationsRevision.value++
      return c.body(null, 204)
    })
}
