/**
 * Requests for the uncached load of the API benchmark: views of the dashboard that no two analysts share (ranges,
 * zones, regions, tags, event types, granularities), each URL different.
 */
import { localIso } from '@trendlens/contract'
import { Random, STORY_INFO } from '@trendlens/fixtures'

/** Zones the dashboard offers and the tests cover: DST (New York, London, Lord Howe's 30 min), +5:30, +5:45, -3:30. */
const ZONES = [
  'Asia/Shanghai',
  'America/New_York',
  'America/Los_Angeles',
  'Europe/London',
  'Asia/Kolkata',
  'Asia/Kathmandu',
  'Australia/Lord_Howe',
  'Australia/Adelaide',
  'America/St_Johns',
  'UTC',
]
const TAGS = ['tiktokrefugee', 'tiktokban', 'rednote', 'cattax', '猫税', 'xswl', 'lemon8', '小红书', 'englishhomework']
const REGION_CHOICES = ['CN', 'US', 'GB', 'JP', 'CN-GD', 'CN-SH', 'CN-BJ', 'US-CA', 'US-NY', 'US-TX']
const GRANULARITY_MS = { minute: 60_000, '15m': 900_000, hour: 3_600_000, day: 86_400_000 } as const
/** The API's limit on buckets in one answer. */
const MAX_POINTS = 2000
const QUARTER_HOUR_MS = 900_000
const DAY_MS = 86_400_000

/** `YYYY-MM-DDTHH:mm` on the wall clock of `zone`, as the API reads a bound without an offset. */
function wallTime(ts: number, zone: string): string {
  return localIso(ts, zone).slice(0, 16)
}

function query(path: string, params: Record<string, string | string[] | undefined>): string {
  const search = new URLSearchParams()
  for (const key of Object.keys(params).sort()) {
    const value = params[key]
    if (value === undefined) continue
    if (Array.isArray(value)) for (const item of value) search.append(key, item)
    else search.set(key, value)
  }
  return `${path}?${search.toString()}`
}

/**
 * `count` different requests, in views of the dashboard's mix: each view (a range, zone, regions, tags,
 * granularity, metric) asks what the dashboard asks when it opens one: overview, growth and the previous period's
 * growth, top and trending tags, the region split, the heatmap and the annotations. Ranges start on a quarter hour
 * from a day before the story week to its end and last from an hour to the whole week.
 */
export function distinctRequests(count: number, seed: number): string[] {
  const random = new Random(seed)
  const next = () => random.next()
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T
  const some = <T>(items: readonly T[], most: number): T[] => {
    const chosen = new Set<T>()
    const wanted = 1 + Math.floor(next() * most)
    while (chosen.size < wanted) chosen.add(pick(items))
    return [...chosen]
  }
  const seen = new Set<string>()
  const urls: string[] = []
  const add = (url: string) => {
    if (urls.length < count && !seen.has(url)) {
      seen.add(url)
      urls.push(url)
    }
  }
  const firstStart = STORY_INFO.fromTs - DAY_MS
  const starts = Math.floor((STORY_INFO.toTs - QUARTER_HOUR_MS * 4 - firstStart) / QUARTER_HOUR_MS)
  while (urls.length < count) {
    const fromTs = firstStart + Math.floor(next() * starts) * QUARTER_HOUR_MS
    // Log-uniform from 1 hour to 11 days: short ranges are as common as long ones.
    const quarters = Math.round(4 * (11 * 24) ** next())
    const toTs = Math.min(fromTs + quarters * QUARTER_HOUR_MS, STORY_INFO.toTs + DAY_MS)
    const tz = pick(ZONES)
    const from = wallTime(fromTs, tz)
    const to = wallTime(toTs, tz)
    const region = next() < 0.5 ? undefined : some(REGION_CHOICES, 3).join(',')
    const type = next() < 0.7 ? undefined : some(['view', 'post', 'comment'], 2).join(',')
    const allowed = (Object.keys(GRANULARITY_MS) as (keyof typeof GRANULARITY_MS)[]).filter(
      (g) => (toTs - fromTs) / GRANULARITY_MS[g] + 1 <= MAX_POINTS,
    )
    const granularity = next() < 0.3 ? undefined : pick(allowed)
    const tags = some(TAGS, 3)
    const metric = pick(['users', 'events'])
    const level = pick(['country', 'province'])
    const range = { from, to, tz }
    add(query('/api/overview', { ...range, region }))
    add(query('/api/hashtags/growth', { ...range, granularity, region, tag: tags }))
    add(
      query('/api/hashtags/growth', {
        from: wallTime(fromTs - (toTs - fromTs), tz),
        to: from,
        tz,
        granularity,
        region,
        tag: tags.slice(0, 1),
      }),
    )
    add(query('/api/hashtags/top', { ...range, region, by: pick(['views', 'discussions']), limit: '20' }))
    add(query('/api/hashtags/trending', { ...range, region, limit: '20' }))
    add(
      query('/api/regions/split', {
        ...range,
        granularity,
        region,
        type,
        level,
        metric,
        top: level === 'country' ? '2' : '6',
      }),
    )
    add(query('/api/regions/heatmap', { ...range, type, region, focus: pick(['CN', 'US', 'CN-GD', 'US-CA']), metric }))
    add(query('/api/annotations', range))
  }
  return urls
}
