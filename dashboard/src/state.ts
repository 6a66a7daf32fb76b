/**
 * The whole view as plain data, and its round trip through the URL's query string: a link reproduces the view and
 * back/forward walk through earlier views. Pure: no `window` here, so every rule is unit-tested.
 */
import {
  type AnnotationsQuery,
  EVENT_TYPES,
  type EventsExportQuery,
  type EventType,
  type Granularity,
  type GrowthQuery,
  type HeatmapQuery,
  MAX_HASHTAG_LENGTH,
  MAX_POINTS,
  MAX_TAGS,
  normaliseTag,
  type OverviewQuery,
  SEED_STORY,
  type SplitQuery,
  type TopQuery,
  type TrendingQuery,
} from '@trendlens/contract'
import type { QueryParams } from './api.ts'
import { isLang, type Lang } from './i18n.ts'
import { canonicalTimeZone, isRelativeBound, resolveBound, toIsoInZone } from './time.ts'

export type Preset = 'story' | 'surge' | '1h' | '24h' | '7d' | 'custom'
export const PRESETS: readonly Preset[] = ['story', 'surge', '1h', '24h', '7d', 'custom']
export type GranularityChoice = 'auto' | Granularity
export const GRANULARITIES: readonly GranularityChoice[] = ['auto', 'minute', '15m', 'hour', 'day']

export interface ViewState {
  preset: Preset
  /** Range bounds as the API reads them; only used by the `custom` preset. */
  from: string
  to: string
  granularity: GranularityChoice
  tz: string
  lang: Lang
  tags: string[]
  growthMode: 'cumulative' | 'bucket'
  growthMetric: 'views' | 'discussions'
  topBy: 'views' | 'discussions'
  level: 'country' | 'province'
  splitMetric: 'users' | 'events'
  heatRegion: string
  heatValue: 'share' | 'value'
  regions: string[]
  types: EventType[]
  /** Live updates paused by the viewer (a past range pauses them anyway). */
  paused: boolean
}

export interface Range {
  from: string
  to: string
}

/** What the defaults depend on: /api/meta when it answered, else the story's own constants. */
export interface Defaults {
  tz: string
  lang: Lang
  tags: string[]
  story: Range
}

/** The seed story's week in Beijing time, end exclusive. */
const STORY_RANGE: Range = { from: SEED_STORY.from, to: SEED_STORY.to }
/** 14 January in Beijing: 16M views before dawn, 80M by the evening (design brief S2, S3). */
export const SURGE_RANGE: Range = { from: '2025-01-14T00:00:00+08:00', to: '2025-01-15T00:00:00+08:00' }
export const STORY_TAGS = [SEED_STORY.tag, 'tiktokban']
const STORY_TIME_ZONE = SEED_STORY.timeZone

export const STATIC_DEFAULTS: Defaults = { tz: STORY_TIME_ZONE, lang: 'en', tags: STORY_TAGS, story: STORY_RANGE }

export function defaultState(defaults: Defaults): ViewState {
  return {
    preset: 'story',
    from: defaults.story.from,
    to: defaults.story.to,
    granularity: 'auto',
    tz: defaults.tz,
    lang: defaults.lang,
    tags: [...defaults.tags],
    growthMode: 'cumulative',
    growthMetric: 'views',
    topBy: 'views',
    level: 'country',
    splitMetric: 'users',
    heatRegion: 'US',
    heatValue: 'share',
    regions: [],
    types: [],
    paused: false,
  }
}

/** Ranges that reach the present: they open on per-bucket values, where the live movement shows. */
const LIVE_PRESETS: readonly Preset[] = ['1h', '24h', '7d']

/**
 * The curve a range opens with: per bucket for the live presets (a cumulative total that includes the whole story
 * week hardly moves when live adds a few events), cumulative for the story.
 */
export function defaultGrowthMode(preset: Preset): ViewState['growthMode'] {
  return LIVE_PRESETS.includes(preset) ? 'bucket' : 'cumulative'
}

export function normaliseTags(tags: readonly string[]): string[] {
  const out: string[] = []
  for (const raw of tags) {
    const tag = normaliseTag(raw)
    if (!tag || tag.length > MAX_HASHTAG_LENGTH || out.includes(tag)) continue
    out.push(tag)
    if (out.length === MAX_TAGS) break
  }
  return out
}

const REGION_CODE = /^[A-Z]{2}(?:-[A-Z0-9]{1,3})?$/

export function parseRegions(text: string): string[] | undefined {
  const items = text
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean)
    .map((item) => item.toUpperCase())
  if (!items.every((item) => REGION_CODE.test(item))) return undefined
  return [...new Set(items)]
}

function isValidBound(value: string, tz: string): boolean {
  return resolveBound(value, tz, Date.now()) !== undefined
}

function oneOf<T extends string>(value: string | null, allowed: readonly T[], fallback: T): T {
  return value !== null && (allowed as readonly string[]).includes(value) ? (value as T) : fallback
}

/** Reads a query string into a full state; anything missing or invalid takes its default. */
export function parseState(search: string, defaults: Defaults): ViewState {
  const q = new URLSearchParams(search)
  const base = defaultState(defaults)
  const tz = canonicalTimeZone(q.get('tz') ?? '') ?? base.tz
  const lang = q.get('lang')
  let preset = oneOf(q.get('range'), PRESETS, base.preset)
  let from = base.from
  let to = base.to
  if (preset === 'custom') {
    const qFrom = q.get('from') ?? ''
    const qTo = q.get('to') ?? 'now'
    if (isValidBound(qFrom, tz) && isValidBound(qTo, tz)) {
      from = qFrom
      to = qTo
    } else {
      preset = base.preset
    }
  }
  // One `tag` per hashtag (commas allowed inside a tag); `tags=a,b` is accepted for hand-written links.
  const tagList = [...q.getAll('tag'), ...(q.get('tags')?.split(',') ?? [])]
  const tags = q.has('tag') || q.has('tags') ? normaliseTags(tagList) : base.tags
  const regions = parseRegions(q.get('region') ?? '') ?? []
  const types = (q.get('type') ?? '')
    .split(',')
    .filter((item): item is EventType => (EVENT_TYPES as readonly string[]).includes(item))
  const heatRegion = parseRegions(q.get('heat') ?? '')?.[0] ?? base.heatRegion
  return {
    preset,
    from,
    to,
    granularity: oneOf(q.get('gran'), GRANULARITIES, base.granularity),
    tz,
    lang: isLang(lang) ? lang : base.lang,
    tags,
    growthMode: oneOf(q.get('mode'), ['cumulative', 'bucket'] as const, defaultGrowthMode(preset)),
    growthMetric: oneOf(q.get('metric'), ['views', 'discussions'] as const, base.growthMetric),
    topBy: oneOf(q.get('top'), ['views', 'discussions'] as const, base.topBy),
    level: oneOf(q.get('level'), ['country', 'province'] as const, base.level),
    splitMetric: oneOf(q.get('split'), ['users', 'events'] as const, base.splitMetric),
    heatRegion,
    heatValue: oneOf(q.get('heatv'), ['share', 'value'] as const, base.heatValue),
    regions,
    types: [...new Set(types)],
    paused: q.get('live') === 'off',
  }
}

/**
 * Writes a state as a query string, leaving out what equals the defaults so links stay short. `lang` is always
 * written: the default follows the browser, and a shared link should read the same for everyone.
 */
export function serializeState(state: ViewState, defaults: Defaults): string {
  const base = defaultState(defaults)
  const q = new URLSearchParams()
  if (state.preset !== base.preset) q.set('range', state.preset)
  if (state.preset === 'custom') {
    q.set('from', state.from)
    q.set('to', state.to)
  }
  if (state.granularity !== base.granularity) q.set('gran', state.granularity)
  if (state.tz !== base.tz) q.set('tz', state.tz)
  q.set('lang', state.lang)
  if (state.tags.join('\n') !== base.tags.join('\n')) {
    if (state.tags.length === 0) q.set('tags', '')
    for (const tag of state.tags) q.append('tag', tag)
  }
  if (state.growthMode !== defaultGrowthMode(state.preset)) q.set('mode', state.growthMode)
  if (state.growthMetric !== base.growthMetric) q.set('metric', state.growthMetric)
  if (state.topBy !== base.topBy) q.set('top', state.topBy)
  if (state.level !== base.level) q.set('level', state.level)
  if (state.splitMetric !== base.splitMetric) q.set('split', state.splitMetric)
  if (state.heatRegion !== base.heatRegion) q.set('heat', state.heatRegion)
  if (state.heatValue !== base.heatValue) q.set('heatv', state.heatValue)
  if (state.regions.length > 0) q.set('region', state.regions.join(','))
  if (state.types.length > 0) q.set('type', state.types.join(','))
  if (state.paused) q.set('live', 'off')
  const text = q.toString().replaceAll('%2C', ',').replaceAll('%2F', '/').replaceAll('%3A', ':')
  return text ? `?${text}` : ''
}

/** The range a state asks for, as the API reads it. */
export function rangeOf(state: ViewState, defaults: Defaults): Range {
  switch (state.preset) {
    case 'story':
      return defaults.story
    case 'surge':
      return SURGE_RANGE
    case '1h':
      return { from: '-60m', to: 'now' }
    case '24h':
      return { from: '-24h', to: 'now' }
    case '7d':
      return { from: '-7d', to: 'now' }
    case 'custom':
      return { from: state.from, to: state.to }
  }
}

/** Live updates apply to ranges that reach the present (a relative end, or an end after `now`). */
export function rangeIncludesNow(range: Range, tz: string, now: number): boolean {
  if (isRelativeBound(range.to)) return true
  const to = resolveBound(range.to, tz, now)
  return to !== undefined && to >= now - 60_000
}

const GRANULARITY_MS: Record<Granularity, number> = {
  minute: 60_000,
  '15m': 900_000,
  hour: 3_600_000,
  day: 86_400_000,
}

/** The granularities whose bucket count for this range stays within the API's limit. */
export function allowedGranularities(range: Range, tz: string, now: number): Set<GranularityChoice> {
  const from = resolveBound(range.from, tz, now)
  const to = resolveBound(range.to, tz, now)
  const allowed = new Set<GranularityChoice>(['auto'])
  for (const granularity of GRANULARITIES) {
    if (granularity === 'auto') continue
    if (from === undefined || to === undefined) {
      allowed.add(granularity)
      continue
    }
    // Days can be 23–25 hours long across DST; one spare bucket covers a partial first and last one.
    if ((to - from) / GRANULARITY_MS[granularity] + 1 <= MAX_POINTS) allowed.add(granularity)
  }
  return allowed
}

/** The granularity asked of the API: the viewer's choice, else the preset's own. */
export function effectiveGranularity(state: ViewState): Granularity | undefined {
  if (state.granularity !== 'auto') return state.granularity
  return AUTO_GRANULARITY[state.preset]
}

/**
 * What "auto" asks for. The story presets read by the hour (the story is told in hours: 16M by dawn, China by day
 * and America by night); the live ones by the finest bucket that still fits, so the present visibly moves: minutes
 * over the last hour, quarter hours over a day, hours over a week. A custom range lets the API choose.
 */
const AUTO_GRANULARITY: Record<Preset, Granularity | undefined> = {
  story: 'hour',
  surge: 'hour',
  '1h': 'minute',
  '24h': '15m',
  '7d': 'hour',
  custom: undefined,
}

/**
 * The period just before a range, of the same length: what the growth chart's previous-period line compares with.
 * Relative ranges stay relative (`-24h..now` → `-48h..-24h`), so the comparison moves with the clock.
 */
export function previousRangeOf(range: Range, tz: string, now: number): Range | undefined {
  const fromMatch = /^-(\d+)(m|h|d|w)$/.exec(range.from)
  const doubled = fromMatch && `-${Number(fromMatch[1]) * 2}${fromMatch[2]}`
  // Only while the doubled bound is one the API reads; past that the previous period is written out in instants.
  if (doubled && isRelativeBound(doubled) && range.to === 'now') return { from: doubled, to: range.from }
  const from = resolveBound(range.from, tz, now)
  const to = resolveBound(range.to, tz, now)
  if (from === undefined || to === undefined || to <= from) return undefined
  return { from: toIsoInZone(from - (to - from), tz), to: toIsoInZone(from, tz) }
}

export interface Queries {
  overview: OverviewQuery
  growth: GrowthQuery
  /** The first tag over the previous period, for the growth chart's comparison line. */
  previousGrowth: GrowthQuery | undefined
  top: TopQuery
  trending: TrendingQuery
  split: SplitQuery
  heatmap: HeatmapQuery
  annotations: AnnotationsQuery
  /** Raw events of the view (the export): range, regions and event types. */
  events: EventsExportQuery
}

/** The parameters of every data route for this view; each route gets only the ones it accepts. */
export function queries(state: ViewState, defaults: Defaults): Queries {
  const range = rangeOf(state, defaults)
  const base = { from: range.from, to: range.to, tz: state.tz }
  const region = state.regions.length > 0 ? state.regions : undefined
  const type = state.types.length > 0 ? state.types : undefined
  const granularity = effectiveGranularity(state)
  const previous = previousRangeOf(range, state.tz, Date.now())
  const first = state.tags[0]
  return {
    overview: { ...base, region },
    growth: { ...base, granularity, region, tag: state.tags },
    previousGrowth:
      previous && first !== undefined
        ? { from: previous.from, to: previous.to, tz: state.tz, granularity, region, tag: [first] }
        : undefined,
    top: { ...base, region, by: state.topBy, limit: TABLE_ROWS },
    trending: { ...base, region, limit: TABLE_ROWS },
    split: {
      ...base,
      granularity,
      region,
      type,
      level: state.level,
      metric: state.splitMetric,
      top: state.level === 'country' ? SPLIT_TOP_COUNTRIES : SPLIT_TOP_PROVINCES,
    },
    heatmap: { ...base, type, region, focus: [state.heatRegion], metric: state.splitMetric },
    annotations: base,
    events: { ...base, region, type },
  }
}

/** China, the United States and everyone else: the story's two sides ("早C晚A") and the rest. */
const SPLIT_TOP_COUNTRIES = 2
/** The biggest provinces (and countries) stay readable as a stack; the rest is "other". */
const SPLIT_TOP_PROVINCES = 6

/** Rows in the top and trending tables. */
const TABLE_ROWS = 20

/**
 * What a view asks for before React renders, in the order it is needed: the first charts' data (growth, then the
 * region split), the KPIs, the API's defaults and the notes drawn on the growth chart. The rest of the page is asked
 * for once a chart has drawn.
 */
export function firstViewRequests(state: ViewState, defaults: Defaults): [path: string, params: QueryParams][] {
  const q = queries(state, defaults)
  return [
    ...(state.tags.length > 0 ? [['/api/hashtags/growth', q.growth] as [string, QueryParams]] : []),
    ['/api/regions/split', q.split],
    ['/api/overview', q.overview],
    ['/api/meta', {}],
    ['/api/annotations', q.annotations],
  ]
}
