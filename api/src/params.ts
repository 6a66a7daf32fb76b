/**
 * HTTP glue for the contract's request schemas: how a query string reaches them, and how their first complaint
 * becomes the one error body, a 400 naming the parameter or body field.
 */
import { type EventsExportParams, type GrowthParams, MAX_TAGS } from '@trendlens/contract'
import { z } from 'zod'
import { type ApiError, invalidBody, invalidParameter } from './errors.ts'

/** Parameters that may be given more than once; every other one must appear at most once. */
const REPEATABLE: ReadonlySet<string> = new Set(['tag'])

/**
 * A parameter that may be given more than once (`tag`). The router hands a query parameter given once as text and
 * one given several times as a list; the contract's schema takes the list either way.
 */
export function repeatable<Field extends z.ZodType>(field: Field) {
  return z.preprocess((value) => (typeof value === 'string' ? [value] : value), field)
}

/**
 * The 400 for a query string or path the schema refused: a parameter given more than once that may appear once,
 * then the schema's first problem: an unknown parameter (a typo would otherwise silently widen the answer) or a bad
 * value. `queries` is the raw query string, in the order it was written.
 */
export function queryProblem(error: z.ZodError, queries: Record<string, string[]>): ApiError {
  for (const [key, values] of Object.entries(queries)) {
    if (values.length > 1 && !REPEATABLE.has(key)) {
      return invalidParameter(key, `${key} is given ${values.length} times; give it once`)
    }
  }
  const issue = error.issues[0]
  if (!issue) return invalidParameter('query', 'invalid query string')
  if (issue.code === 'unrecognized_keys') {
    const key = (issue.keys[0] ?? 'query').slice(0, 40)
    return invalidParameter(key, `unknown parameter "${key}"`)
  }
  const parameter = String(issue.path[0] ?? 'query')
  return invalidParameter(
    parameter,
    issue.message.startsWith(parameter) ? issue.message : `${parameter}: ${issue.message}`,
  )
}

/** The 400 for a JSON body the schema refused, naming the first field at fault. */
export function bodyProblem(error: z.ZodError): ApiError {
  const issue = error.issues[0]
  const field = issue?.code === 'unrecognized_keys' ? (issue.keys[0] ?? 'body') : String(issue?.path[0] ?? 'body')
  return invalidBody(field, issue?.message.startsWith(field) ? issue.message : `${field}: ${issue?.message}`)
}

/** Both tag parameters combined, normalised, deduplicated, at most MAX_TAGS. */
export function combinedTags(query: Pick<GrowthParams | EventsExportParams, 'tags' | 'tag'>): string[] {
  const tags = [...(query.tags ?? [])]
  for (const tag of query.tag ?? []) if (!tags.includes(tag)) tags.push(tag)
  if (tags.length > MAX_TAGS) throw invalidParameter('tags', `tags: at most ${MAX_TAGS} tags, got ${tags.length}`)
  return tags
}
