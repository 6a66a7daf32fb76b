/** HTTP glue for the contract's request schemas: query strings in, validated parameters or a 400 naming one out. */
import { type CsvOptions, csvOptions, type EventsExportParams, type GrowthParams, MAX_TAGS } from '@trendlens/contract'
import type { z } from 'zod'
import { invalidParameter } from './errors.ts'

/** Parameters that may be given more than once; every other one must appear at most once. */
const REPEATABLE: ReadonlySet<string> = new Set(['tag'])

/**
 * Validates a query string against a schema. The first problem becomes a 400 naming its parameter: an unknown
 * parameter (a typo would otherwise silently widen the answer), a repeated one, or a bad value.
 */
export function parseQuery<Schema extends z.ZodType>(
  schema: Schema,
  queries: Record<string, string[]>,
): z.output<Schema> {
  const input: Record<string, string | string[]> = {}
  for (const [key, values] of Object.entries(queries)) {
    if (REPEATABLE.has(key)) input[key] = values
    else if (values.length > 1) throw invalidParameter(key, `${key} is given ${values.length} times; give it once`)
    else input[key] = values[0] ?? ''
  }
  const parsed = schema.safeParse(input)
  if (parsed.success) return parsed.data
  const issue = parsed.error.issues[0]
  if (!issue) throw invalidParameter('query', 'invalid query string')
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0] ?? 'query'
    return unknownParameter(key)
  }
  const parameter = String(issue.path[0] ?? 'query')
  const message = issue.message.startsWith(parameter) ? issue.message : `${parameter}: ${issue.message}`
  throw invalidParameter(parameter, message)
}

function unknownParameter(key: string): never {
  throw invalidParameter(key.slice(0, 40), `unknown parameter "${key.slice(0, 40)}"`)
}

/** Both tag parameters combined, normalised, deduplicated, at most MAX_TAGS. */
export function combinedTags(query: Pick<GrowthParams | EventsExportParams, 'tags' | 'tag'>): string[] {
  const tags = [...(query.tags ?? [])]
  for (const tag of query.tag ?? []) if (!tags.includes(tag)) tags.push(tag)
  if (tags.length > MAX_TAGS) throw invalidParameter('tags', `tags: at most ${MAX_TAGS} tags, got ${tags.length}`)
  return tags
}

/** Takes the CSV options out of a query string, validated, leaving the route's own parameters. */
export function splitCsvOptions(queries: Record<string, string[]>): {
  options: CsvOptions
  rest: Record<string, string[]>
} {
  const { bom, ...rest } = queries
  return { options: parseQuery(csvOptions, bom === undefined ? {} : { bom }), rest }
}
