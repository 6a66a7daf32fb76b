/**
 * Every request parameter, as a zod schema over the query string's text. The same schemas validate requests,
 * generate the OpenAPI document and type the dashboard's client, so the three cannot drift.
 */
import { z } from 'zod'
import { EVENT_TYPES, type EventType, MAX_HASHTAG_LENGTH, normaliseTag } from './event.ts'
import { COUNTRY_CODES } from './regions.ts'
import { GRANULARITIES, INSTANT_FORMAT_HINT, isInstantText, isTimeZone, parseDuration } from './time.ts'

/** Comparing more than five tags on one chart is unreadable. */
export const MAX_TAGS = 5
/** A filter naming more regions than this is better expressed as "everything". */
const MAX_REGIONS = 50
const MAX_LIMIT = 100
const DEFAULT_LIMIT = 20
/** Five regions plus "other" keep a stacked chart readable. */
const DEFAULT_TOP_REGIONS = 5
const MAX_TOP_REGIONS = 20
/** A breakout is a tag whose recent rate is at least this many times its own baseline. */
const DEFAULT_MIN_MULTIPLE = 2
/** Below this many recent events a "breakout" is noise (one view against none). */
const DEFAULT_MIN_RECENT = 5

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this refuses.
const CONTROL_CHARS = /[\u0000-\u001f\u007f]/
const REGION_PATTERN = /^[A-Z]{2}(-[A-Z0-9]{1,3})?$/
/** IANA names: Area/Location with letters, digits, `_`, `-`, `+` (Etc/GMT+5); offsets like +08:00 are not zones. */
const ZONE_NAME = /^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+){0,2}$/

/** A comma-separated list, each item checked and normalised by `item`, which returns an error message or a value. */
function list<T>(
  name: string,
  max: number,
  item: (text: string) => { value: T } | { error: string },
  description: string,
) {
  return z
    .string()
    .transform((text, ctx) => {
      const values: T[] = []
      for (const piece of text.split(',')) {
        const checked = item(piece.trim())
        if ('error' in checked) {
          ctx.addIssue({ code: 'custom', message: `${name}: ${checked.error}` })
          return z.NEVER
        }
        if (!values.includes(checked.value)) values.push(checked.value)
      }
      if (values.length > max) {
        ctx.addIssue({ code: 'custom', message: `${name}: at most ${max} values, got ${values.length}` })
        return z.NEVER
      }
      return values
    })
    .meta({ description })
}

export function checkTag(text: string): { value: string } | { error: string } {
  const tag = normaliseTag(text)
  if (tag.length === 0) return { error: 'an empty tag' }
  if (tag.length > MAX_HASHTAG_LENGTH) return { error: `a tag is at most ${MAX_HASHTAG_LENGTH} characters` }
  if (CONTROL_CHARS.test(tag)) return { error: 'tags may not contain control characters' }
  return { value: tag }
}

function checkRegion(text: string): { value: string } | { error: string } {
  const region = text.toUpperCase()
  if (!REGION_PATTERN.test(region)) {
    return { error: `"${text.slice(0, 20)}" is not a region: expected a country (US) or country-subdivision (CN-SH)` }
  }
  if (!COUNTRY_CODES.has(region.slice(0, 2))) return { error: `unknown country code "${region.slice(0, 2)}"` }
  return { value: region }
}

const EVENT_TYPE_SET: ReadonlySet<string> = new Set(EVENT_TYPES)

function checkType(text: string): { value: EventType } | { error: string } {
  return EVENT_TYPE_SET.has(text)
    ? { value: text as EventType }
    : { error: `"${text.slice(0, 20)}" is not an event type: expected one of ${EVENT_TYPES.join(', ')}` }
}

function integer(name: string, min: number, max: number, fallback: number, description: string) {
  const message = `${name} must be an integer from ${min} to ${max}`
  return z
    .string()
    .regex(/^\d{1,9}$/, { error: message })
    .transform(Number)
    .pipe(z.number().min(min, { error: message }).max(max, { error: message }))
    .prefault(String(fallback))
    .meta({ description: `${description} (integer ${min}–${max}, default ${fallback})` })
}

function choice<const T extends readonly [string, ...string[]]>(name: string, values: T, description: string) {
  return z
    .enum(values, { error: `${name} must be one of ${values.join(', ')}` })
    .meta({ description: `${description} (${values.join(' | ')})` })
}

const instant = (name: 'from' | 'to', description: string) =>
  z
    .string()
    .max(40, { error: `${name}: ${INSTANT_FORMAT_HINT}` })
    .refine(isInstantText, { error: `${name}: ${INSTANT_FORMAT_HINT}` })
    .optional()
    .meta({ description })

const timeZoneParam = z
  .string()
  .max(64, { error: 'tz must be an IANA time zone name such as Asia/Shanghai' })
  .regex(ZONE_NAME, { error: 'tz must be an IANA time zone name such as Asia/Shanghai' })
  .refine(isTimeZone, { error: 'tz: unknown IANA time zone' })
  .optional()
  .meta({ description: 'IANA time zone for buckets and labels (default: the server default, Asia/Shanghai)' })

/** Parameters every data endpoint takes. */
const rangeParams = {
  from: instant('from', 'Start (inclusive). ISO 8601, YYYY-MM-DD, or relative: -24h, -7d, now. Default: to - 24h'),
  to: instant('to', 'End (exclusive). Same forms as from. Default: now'),
  tz: timeZoneParam,
  /** Accepted on every /api route so EventSource and downloads can authenticate; checked by the auth middleware. */
  token: z.string().optional().meta({ description: 'API token, for clients that cannot send a header' }),
}

const granularityParam = choice('granularity', GRANULARITIES, 'Bucket size; default: chosen from the range')
  .optional()
  .meta({ description: 'Bucket size (minute | 15m | hour | day); default: the finest that keeps ≤200 points' })

const regionParam = list('region', MAX_REGIONS, checkRegion, 'Regions, comma-separated: CN, US, CN-SH…')
  .optional()
  .meta({ description: 'Only events from these regions (country or country-subdivision), comma-separated' })

const typeParam = list('type', EVENT_TYPES.length, checkType, 'Event types, comma-separated')
  .optional()
  .meta({ description: `Only these event types, comma-separated (${EVENT_TYPES.join(', ')})` })

const tagsParam = list('tags', MAX_TAGS, checkTag, 'Hashtags, comma-separated')
  .optional()
  .meta({ description: `Hashtags, comma-separated, normalised like ingest (# stripped, lower-case); ≤${MAX_TAGS}` })

/** One tag taken verbatim (commas included); repeat the parameter for several. */
const tagParam = z
  .array(z.string())
  .transform((texts, ctx) => {
    const tags: string[] = []
    for (const text of texts) {
      const checked = checkTag(text)
      if ('error' in checked) {
        ctx.addIssue({ code: 'custom', message: `tag: ${checked.error}` })
        return z.NEVER
      }
      if (!tags.includes(checked.value)) tags.push(checked.value)
    }
    return tags
  })
  .optional()
  .meta({ description: 'One hashtag taken whole, commas included; repeatable. Combined with tags' })

const byParam = choice('by', ['views', 'discussions'], 'What to rank by').prefault('views')
const metricParam = choice('metric', ['users', 'events'], 'Active users or events').prefault('users')
const durationParam = z
  .string()
  .refine((text) => parseDuration(text) !== null, { error: 'recent must be a duration such as 90m, 2h or 1d' })
  .optional()
  .meta({ description: 'Length of the recent window (90m, 2h, 1d); default: the last sixth of the range' })

const minMultipleParam = z
  .string()
  .regex(/^\d{1,4}(\.\d{1,3})?$/, { error: 'minMultiple must be a number from 1 to 1000' })
  .transform(Number)
  .pipe(z.number().min(1, { error: 'minMultiple must be a number from 1 to 1000' }).max(1000))
  .prefault(String(DEFAULT_MIN_MULTIPLE))
  .meta({
    description: `Smallest recent/baseline rate multiple that counts as a breakout (default ${DEFAULT_MIN_MULTIPLE})`,
  })

export const overviewQuery = z.strictObject({ ...rangeParams, region: regionParam })

export const growthQuery = z.strictObject({
  ...rangeParams,
  granularity: granularityParam,
  region: regionParam,
  tags: tagsParam,
  tag: tagParam,
})

export const topQuery = z.strictObject({
  ...rangeParams,
  region: regionParam,
  by: byParam,
  limit: integer('limit', 1, MAX_LIMIT, DEFAULT_LIMIT, 'Rows'),
})

export const trendingQuery = z.strictObject({
  ...rangeParams,
  region: regionParam,
  by: byParam,
  limit: integer('limit', 1, MAX_LIMIT, DEFAULT_LIMIT, 'Rows'),
  recent: durationParam,
  minMultiple: minMultipleParam,
  minRecent: integer('minRecent', 1, 1_000_000_000, DEFAULT_MIN_RECENT, 'Fewest recent events for a tag to be listed'),
})

export const splitQuery = z.strictObject({
  ...rangeParams,
  granularity: granularityParam,
  region: regionParam,
  type: typeParam,
  level: choice('level', ['country', 'province'], 'province splits CN into provinces').prefault('country'),
  metric: metricParam,
  top: integer('top', 1, MAX_TOP_REGIONS, DEFAULT_TOP_REGIONS, 'Regions shown; the rest are "other"'),
})

export const heatmapQuery = z.strictObject({
  ...rangeParams,
  region: regionParam,
  focus: list('focus', MAX_REGIONS, checkRegion, 'Regions, comma-separated: CN, US, CN-SH…').optional().meta({
    description:
      'The regions whose part of each hour is the value (their share of the filtered total); default: all of it',
  }),
  type: typeParam,
  metric: metricParam,
})

export const liveQuery = z.strictObject({ tz: timeZoneParam, token: rangeParams.token })

export const eventsExportQuery = z.strictObject({
  ...rangeParams,
  region: regionParam,
  type: typeParam,
  tags: tagsParam,
  tag: tagParam,
})

export const annotationsQuery = z.strictObject({ ...rangeParams })

/**
 * The parameter every CSV download takes besides its route's own: `bom=1` starts the file with a UTF-8 byte-order
 * mark, so Excel opens Chinese text (猫税, 小红书) as UTF-8 instead of the system code page.
 */
export const csvOptions = z.strictObject({
  bom: z
    .enum(['0', '1'], { error: 'bom must be 0 or 1' })
    .optional()
    .meta({ description: 'CSV only: 1 starts the file with a UTF-8 byte-order mark (for Excel)' }),
})

/** An annotation's title is a chart label; its body a short note. */
export const MAX_ANNOTATION_TITLE_LENGTH = 200
const MAX_ANNOTATION_BODY_LENGTH = 4000

/** C0 and C1 control characters and DEL: NUL, CR/LF (header and log injection), terminal escapes. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this refuses.
const TEXT_CONTROL_CHARS = /[\u0000-\u001f\u007f-\u009f]/
/** Bidirectional embeddings, overrides, isolates and marks: "safe\u202etxt.exe" reads as "safeexe.txt". */
const BIDI_CONTROLS = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/
/** What renders as nothing or as blank space: spaces of every width, zero-width and other ignorable code points. */
const INVISIBLE = /[\p{White_Space}\p{Default_Ignorable_Code_Point}\u2800]/gu

/** Free text typed by a user and shown to others: printable, no direction tricks, visible when required. */
function userText(field: string, maxLength: number, options: { required: boolean }) {
  return z
    .string()
    .max(maxLength, { error: `${field}: at most ${maxLength} characters` })
    .superRefine((text, ctx) => {
      if (TEXT_CONTROL_CHARS.test(text)) {
        ctx.addIssue({ code: 'custom', message: `${field} may not contain control characters (NUL, CR, LF, tab…)` })
      } else if (BIDI_CONTROLS.test(text)) {
        ctx.addIssue({ code: 'custom', message: `${field} may not contain bidirectional override characters` })
      } else if (options.required && text.replace(INVISIBLE, '').length === 0) {
        ctx.addIssue({ code: 'custom', message: `${field} must have visible text (not only spaces or invisible ones)` })
      }
    })
    .transform((text) => text.trim())
}

/** An annotation as posted; `ts` is RFC 3339 with an offset or epoch milliseconds. */
export const annotationBody = z.strictObject({
  ts: z
    .union([z.string().max(40), z.number().int()])
    .meta({ description: 'When: RFC 3339 with offset (2025-01-13T00:00:00+08:00) or epoch ms' }),
  title: userText('title', MAX_ANNOTATION_TITLE_LENGTH, { required: true }),
  body: userText('body', MAX_ANNOTATION_BODY_LENGTH, { required: false }).optional(),
  hashtag: z
    .string()
    .max(200, { error: `hashtag: at most ${MAX_HASHTAG_LENGTH} characters` })
    .optional(),
})

/**
 * What a client may put in a query string for a schema: the parameter names of the schema, enumerated values as
 * they are, free text also as a number or a list (lists are sent comma-joined; `tag` is repeated).
 */
type ClientQuery<Schema extends z.ZodType> = {
  [K in keyof z.input<Schema>]?: ClientValue<NonNullable<z.input<Schema>[K]>>
}
type ClientValue<V> = V extends string ? (string extends V ? string | number | readonly string[] : V) : V | string

/** Request parameters as a client sends them. */
export type OverviewQuery = ClientQuery<typeof overviewQuery>
export type GrowthQuery = ClientQuery<typeof growthQuery>
export type TopQuery = ClientQuery<typeof topQuery>
export type TrendingQuery = ClientQuery<typeof trendingQuery>
export type SplitQuery = ClientQuery<typeof splitQuery>
export type HeatmapQuery = ClientQuery<typeof heatmapQuery>
export type EventsExportQuery = ClientQuery<typeof eventsExportQuery>
export type AnnotationsQuery = ClientQuery<typeof annotationsQuery>
export type AnnotationBody = z.input<typeof annotationBody>

/** Request parameters as the API reads them, validated and normalised. */
export type OverviewParams = z.output<typeof overviewQuery>
export type GrowthParams = z.output<typeof growthQuery>
export type TopParams = z.output<typeof topQuery>
export type TrendingParams = z.output<typeof trendingQuery>
export type SplitParams = z.output<typeof splitQuery>
export type HeatmapParams = z.output<typeof heatmapQuery>
export type EventsExportParams = z.output<typeof eventsExportQuery>
