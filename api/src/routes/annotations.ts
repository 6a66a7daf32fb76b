import {
  annotationBody,
  annotationsQuery,
  checkTag,
  localIso,
  MAX_ID_LENGTH,
  MIN_EVENT_TS,
  parseTimestamp,
} from '@trendlens/contract'
import { Hono } from 'hono'
import { createAnnotation, deleteAnnotation, listAnnotations } from '../annotations.ts'
import type { AppEnv, Services } from '../context.ts'
import { invalidBody, invalidParameter, notFound } from '../errors.ts'
import { parseQuery } from '../params.ts'
import { cached } from '../reports/table.ts'
import { requestedRange, resolveZone } from '../scope.ts'
import { reply } from './reply.ts'

/** Notes are dated within the data's plausible span; a year 2999 note is a typo. */
const MAX_ANNOTATION_TS = Date.UTC(2100, 0, 1)
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this refuses.
const CONTROL_CHARS = /[\u0000-\u001f\u007f]/

export function annotationRoutes(services: Services): Hono<AppEnv> {
  const { store } = services.deps
  return new Hono<AppEnv>()
    .get('/', async (c) => {
      const query = parseQuery(annotationsQuery, c.req.queries())
      const zone = await resolveZone(services, query.tz)
      const range = requestedRange(query, zone, Date.now())
      const revision = services.annotationsRevision.value
      const list = await cached(services, ['annotations', revision, range, zone], async (signal) => {
        const rows = await listAnnotations(store, range, signal)
        return { tz: zone, rows: rows.map((row) => ({ ...row, t: localIso(row.ts, zone) })) }
      })
      return reply(c, list)
    })
    .post('/', async (c) => {
      let input: unknown
      try {
        input = await c.req.json()
      } catch {
        throw invalidBody('body', 'the body must be a JSON object: {ts, title, body?, hashtag?}')
      }
      const parsed = annotationBody.safeParse(input)
      if (!parsed.success) {
        const issue = parsed.error.issues[0]
        const field = issue?.code === 'unrecognized_keys' ? (issue.keys[0] ?? 'body') : String(issue?.path[0] ?? 'body')
        throw invalidBody(field, issue?.message.startsWith(field) ? issue.message : `${field}: ${issue?.message}`)
      }
      const ts = parseTimestamp(parsed.data.ts)
      if (ts === null || ts < MIN_EVENT_TS || ts > MAX_ANNOTATION_TS) {
        throw invalidBody('ts', 'ts must be RFC 3339 with an offset or epoch milliseconds, between 2000 and 2100')
      }
      let hashtag = ''
      if (parsed.data.hashtag !== undefined && parsed.data.hashtag.trim() !== '') {
        const checked = checkTag(parsed.data.hashtag)
        if ('error' in checked) throw invalidBody('hashtag', `hashtag: ${checked.error}`)
        hashtag = checked.value
      }
      const created = await createAnnotation(store, {
        ts,
        title: parsed.data.title,
        body: parsed.data.body ?? '',
        hashtag,
      })
      services.annotationsRevision.value++
      const zone = services.deps.api.defaultTimeZone
      return c.json({ ...created, t: localIso(created.ts, zone) }, 201)
    })
    .delete('/:id', async (c) => {
      const id = c.req.param('id')
      if (id.length === 0 || id.length > MAX_ID_LENGTH || CONTROL_CHARS.test(id)) {
        throw invalidParameter('id', `id must be 1-${MAX_ID_LENGTH} printable characters`)
      }
      if (!(await deleteAnnotation(store, id, c.get('signal')))) throw notFound(`no annotation with id "${id}"`)
      services.annotationsRevision.value++
      return c.body(null, 204)
    })
}
