/**
 * Time ranges, buckets and labels in the viewer's IANA time zone: the one time-zone module of the product (API,
 * dashboard and seed generator). Offsets come from Intl, so DST changes and half-hour or 45-minute zones (Kolkata,
 * Kathmandu, Lord Howe's 30-minute DST) are computed, never assumed. Every function takes the instant first and the
 * zone second.
 */

export const GRANULARITIES = ['minute', '15m', 'hour', 'day'] as const
export type Granularity = (typeof GRANULARITIES)[number]

/** A chart wider than this many points is unreadable and costly to draw; ask for a coarser granularity. */
export const MAX_POINTS = 2000
/** The granularity chosen by default is the finest that keeps a chart under this many points. */
const DEFAULT_TARGET_POINTS = 200
/** A range longer than this is a typo (a year 2052), not a question anyone asks of this data. */
export const MAX_RANGE_MS = 3660 * 86_400_000
/** Ranges without a `from` look back one day: the "last 24 hours" view. */
export const DEFAULT_LOOKBACK_MS = 86_400_000

export const MINUTE_MS = 60_000
export const QUARTER_MS = 15 * MINUTE_MS
export const HOUR_MS = 60 * MINUTE_MS
const DAY_MS = 24 * HOUR_MS

/** Half-open interval [from, to) in epoch milliseconds, UTC. */
export interface TimeRange {
  from: number
  to: number
}

/** Whether Intl knows this IANA zone name (any letter case). */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone })
    return true
  } catch {
    return false
  }
}

const partsFormatters = new Map<string, Intl.DateTimeFormat>()

function partsFormatter(zone: string): Intl.DateTimeFormat {
  let formatter = partsFormatters.get(zone)
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    })
    partsFormatters.set(zone, formatter)
  }
  return formatter
}

/** Wall-clock fields of an instant in a zone. */
interface WallClock {
  year: number
  month: number
  day: number
  hour: number
  minute: number
  second: number
}

/** The offset straight from Intl: the zone's wall clock read as if it were UTC, minus the instant. */
function intlOffsetMs(ms: number, zone: string): number {
  const fields: Record<string, number> = {}
  for (const part of partsFormatter(zone).formatToParts(ms)) {
    if (part.type !== 'literal') fields[part.type] = Number(part.value)
  }
  const wallAsUtc = Date.UTC(
    fields.year ?? 0,
    (fields.month ?? 1) - 1,
    fields.day ?? 1,
    fields.hour ?? 0,
    fields.minute ?? 0,
    fields.second ?? 0,
  )
  return wallAsUtc - Math.floor(ms / 1000) * 1000
}

/** Offsets at whole UTC hours, per zone: Intl is slow, and a chart asks for the same hours again and again. */
const hourOffsets = new Map<string, Map<number, number>>()
/** Bounded so a client sweeping decades of ranges cannot grow it without limit (~100 years of hours per zone). */
const MAX_MEMO_HOURS = 1_000_000

function offsetAtHour(hour: number, zone: string): number {
  let memo = hourOffsets.get(zone)
  if (!memo) {
    memo = new Map()
    hourOffsets.set(zone, memo)
  }
  let offset = memo.get(hour)
  if (offset === undefined) {
    if (memo.size >= MAX_MEMO_HOURS) memo.clear()
    offset = intlOffsetMs(hour * HOUR_MS, zone)
    memo.set(hour, offset)
  }
  return offset
}

/** The zone's offset from UTC at an instant, in milliseconds (+08:00 is 28 800 000). */
export function zoneOffsetMs(ms: number, zone: string): number {
  const hour = Math.floor(ms / HOUR_MS)
  const atStart = offsetAtHour(hour, zone)
  // The same offset at both ends of the hour means no change inside it; otherwise ask Intl for this instant.
  return atStart === offsetAtHour(hour + 1, zone) ? atStart : intlOffsetMs(ms, zone)
}

/** What the zone's clocks show at an instant (whole seconds). */
function wallClock(ms: number, zone: string): WallClock {
  const local = new Date(Math.floor(ms / 1000) * 1000 + zoneOffsetMs(ms, zone))
  return {
    year: local.getUTCFullYear(),
    month: local.getUTCMonth() + 1,
    day: local.getUTCDate(),
    hour: local.getUTCHours(),
    minute: local.getUTCMinutes(),
    second: local.getUTCSeconds(),
  }
}

/**
 * The instant at which a zone's clocks show a wall time (given as if it were UTC). A wall time skipped by a DST
 * jump maps to the instant after the jump; one shown twice maps to its first occurrence.
 */
export function wallTimeToInstant(wallAsUtc: number, zone: string): number {
  const firstGuess = wallAsUtc - zoneOffsetMs(wallAsUtc, zone)
  const earlier = wallAsUtc - zoneOffsetMs(firstGuess - HOUR_MS * 3, zone)
  const later = wallAsUtc - zoneOffsetMs(firstGuess + HOUR_MS * 3, zone)
  const candidates = [earlier, later].filter((t) => t + zoneOffsetMs(t, zone) === wallAsUtc).sort((a, b) => a - b)
  if (candidates.length > 0) return candidates[0] as number
  // Inside a DST gap no instant shows this wall time: the clocks jumped over it, so take the jump's far side.
  return Math.max(earlier, later)
}

function pad(value: number, width = 2): string {
  return String(value).padStart(width, '0')
}

/** `+08:00`, `-04:00`, `+05:45`. */
function formatOffset(offsetMs: number): string {
  const sign = offsetMs < 0 ? '-' : '+'
  const minutes = Math.round(Math.abs(offsetMs) / MINUTE_MS)
  return `${sign}${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`
}

/** Local ISO 8601 time with the zone's offset at that instant: `2025-01-14T03:00:00+08:00`. */
export function localIso(ms: number, zone: string): string {
  const wall = wallClock(ms, zone)
  const offset = zoneOffsetMs(ms, zone)
  const millis = ((ms % 1000) + 1000) % 1000
  const fraction = millis === 0 ? '' : `.${pad(millis, 3)}`
  return (
    `${pad(wall.year, 4)}-${pad(wall.month)}-${pad(wall.day)}T${pad(wall.hour)}:${pad(wall.minute)}:` +
    `${pad(wall.second)}${fraction}${formatOffset(offset)}`
  )
}

/** Local calendar date `YYYY-MM-DD` of an instant. */
export function localDate(ms: number, zone: string): string {
  const wall = wallClock(ms, zone)
  return `${pad(wall.year, 4)}-${pad(wall.month)}-${pad(wall.day)}`
}

/** A compact local stamp for file names: `20250113T0000`. */
export function fileStamp(ms: number, zone: string): string {
  const wall = wallClock(ms, zone)
  return `${pad(wall.year, 4)}${pad(wall.month)}${pad(wall.day)}T${pad(wall.hour)}${pad(wall.minute)}`
}

/** The start of the bucket containing `ms`. */
export function bucketStart(ms: number, granularity: Granularity, zone: string): number {
  switch (granularity) {
    case 'minute':
      return Math.floor(ms / MINUTE_MS) * MINUTE_MS
    case '15m':
      // Every zone in use has an offset that is a whole number of quarter hours, so local and UTC quarters agree.
      return Math.floor(ms / QUARTER_MS) * QUARTER_MS
    case 'hour': {
      const offset = zoneOffsetMs(ms, zone)
      return Math.floor((ms + offset) / HOUR_MS) * HOUR_MS - offset
    }
    case 'day': {
      const wall = wallClock(ms, zone)
      return wallTimeToInstant(Date.UTC(wall.year, wall.month - 1, wall.day), zone)
    }
  }
}

/** The start of the bucket after the one that starts at `start`. */
export function nextBucket(start: number, granularity: Granularity, zone: string): number {
  switch (granularity) {
    case 'minute':
      return start + MINUTE_MS
    case '15m':
      return start + QUARTER_MS
    case 'hour':
      return bucketStart(start + HOUR_MS, 'hour', zone)
    case 'day': {
      // Noon of the next day is safely inside it whatever the DST change of this one.
      return bucketStart(start + DAY_MS + 12 * HOUR_MS, 'day', zone)
    }
  }
}

/** Widens a range to whole buckets: `from` down to its bucket's start, `to` up to the next boundary. */
export function alignRange(range: TimeRange, granularity: Granularity, zone: string): TimeRange {
  const from = bucketStart(range.from, granularity, zone)
  const lastStart = bucketStart(range.to, granularity, zone)
  const to = lastStart === range.to ? range.to : nextBucket(lastStart, granularity, zone)
  return { from, to }
}

/** Bucket starts covering an aligned range, or null when there would be more than `limit`. */
export function bucketStarts(range: TimeRange, granularity: Granularity, zone: string, limit: number): number[] | null {
  const starts: number[] = []
  for (let t = bucketStart(range.from, granularity, zone); t < range.to; t = nextBucket(t, granularity, zone)) {
    if (starts.length === limit) return null
    starts.push(t)
  }
  return starts
}

/** Rough bucket count, for choosing a granularity before walking the buckets. */
function approximateBuckets(range: TimeRange, granularity: Granularity): number {
  const size = { minute: MINUTE_MS, '15m': QUARTER_MS, hour: HOUR_MS, day: DAY_MS }[granularity]
  return Math.ceil((range.to - range.from) / size)
}

/** The finest granularity that keeps the chart at or under DEFAULT_TARGET_POINTS (days when nothing does). */
export function chooseGranularity(range: TimeRange): Granularity {
  for (const granularity of GRANULARITIES) {
    if (approximateBuckets(range, granularity) <= DEFAULT_TARGET_POINTS) return granularity
  }
  return 'day'
}

/** `-90m`, `-24h`, `-7d`, `-2w`: the one pattern of a bound relative to now. */
const RELATIVE = /^-(\d{1,6})(m|h|d|w)$/
const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?$/i

/** What a `from`/`to` value may look like; the message is shown to clients verbatim. */
export const INSTANT_FORMAT_HINT =
  'expected ISO 8601 (2025-01-14, 2025-01-14T03:00, 2025-01-14T03:00:00+08:00) or relative to now (-24h, -7d, -90m, now)'

/** `now` or a bound relative to it: it moves with the clock. */
export function isRelativeInstant(text: string): boolean {
  return text === 'now' || RELATIVE.test(text)
}

export function isInstantText(text: string): boolean {
  return text === 'now' || RELATIVE.test(text) || DATE_ONLY.test(text) || DATE_TIME.test(text)
}

/**
 * Parses a `from`/`to` value. Dates and times without an offset are read in `zone`; relative days and weeks step
 * the local calendar (so `-1d` across a DST change is 23 or 25 hours). Returns null when the text is not one of
 * the accepted forms or names an impossible date.
 */
export function parseInstant(text: string, zone: string, now: number): number | null {
  if (text === 'now') return now
  const relative = RELATIVE.exec(text)
  if (relative) {
    const amount = Number(relative[1])
    const unit = relative[2]
    if (unit === 'm') return now - amount * MINUTE_MS
    if (unit === 'h') return now - amount * HOUR_MS
    const days = unit === 'w' ? amount * 7 : amount
    const wall = wallClock(now, zone)
    const wallNow = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second)
    return wallTimeToInstant(wallNow - days * DAY_MS, zone) + (now % 1000)
  }
  const dateOnly = DATE_ONLY.exec(text)
  if (dateOnly) {
    const [year, month, day] = [dateOnly[1], dateOnly[2], dateOnly[3]].map(Number) as [number, number, number]
    const wall = validWall(year, month, day, 0, 0, 0, 0)
    return wall === null ? null : wallTimeToInstant(wall, zone)
  }
  const dateTime = DATE_TIME.exec(text)
  if (!dateTime) return null
  const [year, month, day, hour, minute] = [1, 2, 3, 4, 5].map((i) => Number(dateTime[i])) as [
    number,
    number,
    number,
    number,
    number,
  ]
  const second = dateTime[6] ? Number(dateTime[6]) : 0
  const millis = dateTime[7] ? Number(dateTime[7].slice(0, 3).padEnd(3, '0')) : 0
  const wall = validWall(year, month, day, hour, minute, second, millis)
  if (wall === null) return null
  const offset = dateTime[8]
  if (offset === undefined) return wallTimeToInstant(wall, zone)
  if (offset.toUpperCase() === 'Z') return wall
  const digits = offset.replace(':', '')
  const offsetHours = Number(digits.slice(1, 3))
  const offsetMinutes = Number(digits.slice(3, 5))
  if (offsetHours > 23 || offsetMinutes > 59) return null
  const offsetMs = (offsetHours * 60 + offsetMinutes) * MINUTE_MS
  return digits.startsWith('-') ? wall + offsetMs : wall - offsetMs
}

function validWall(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
  millis: number,
): number | null {
  if (year < 1970 || month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return null
  const wall = Date.UTC(year, month - 1, day, hour, minute, second, millis)
  // Date.UTC rolls 2025-02-30 over into March; a round trip catches impossible days.
  return new Date(wall).getUTCDate() === day ? wall : null
}

/** Parses a duration such as `2h`, `90m`, `1d` into milliseconds; null when it is not one. */
export function parseDuration(text: string): number | null {
  const match = /^(\d{1,5})(m|h|d)$/.exec(text)
  if (!match) return null
  const amount = Number(match[1])
  const unit = { m: MINUTE_MS, h: HOUR_MS, d: DAY_MS }[match[2] as 'm' | 'h' | 'd']
  return amount > 0 ? amount * unit : null
}
