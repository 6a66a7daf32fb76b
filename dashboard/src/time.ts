/**
 * Time in the viewer's chosen IANA zone, never the browser's: wall times are read and written through Intl with an
 * explicit `timeZone`, so a Beijing analyst in Berlin still sees Beijing hours.
 */

const partsFormatters = new Map<string, Intl.DateTimeFormat>()

function partsFormatter(timeZone: string): Intl.DateTimeFormat {
  let formatter = partsFormatters.get(timeZone)
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    })
    partsFormatters.set(timeZone, formatter)
  }
  return formatter
}

/**
 * The name of an IANA zone as it should be shown and sent (`utc` → `UTC`, `asia/kathmandu` → `Asia/Kathmandu`), or
 * undefined when Intl does not know it. ICU resolves some names to older aliases (Asia/Katmandu); a name the viewer
 * typed that is valid keeps its modern spelling, only its letter case is fixed.
 */
export function canonicalTimeZone(zone: string): string | undefined {
  const trimmed = zone.trim()
  // Intl accepts offsets like "+08:00" as zones; the API wants IANA names, so only names pass.
  if (!/^[A-Za-z][A-Za-z0-9_+\-/]*$/.test(trimmed)) return undefined
  let resolved: string
  try {
    resolved = new Intl.DateTimeFormat('en-US', { timeZone: trimmed }).resolvedOptions().timeZone
  } catch {
    return undefined
  }
  if (resolved.toLowerCase() === trimmed.toLowerCase()) return resolved
  return trimmed.replace(
    /(^|[/_-])([a-z])/g,
    (_whole, separator: string, letter: string) => separator + letter.toUpperCase(),
  )
}

export function isValidTimeZone(zone: string): boolean {
  return canonicalTimeZone(zone) !== undefined
}

export interface WallTime {
  year: number
  month: number
  day: number
  hour: number
  minute: number
  second: number
}

export function wallTimeAt(ts: number, timeZone: string): WallTime {
  const parts: Record<string, number> = {}
  for (const part of partsFormatter(timeZone).formatToParts(new Date(ts))) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value)
  }
  return {
    year: parts.year ?? 1970,
    month: parts.month ?? 1,
    day: parts.day ?? 1,
    hour: parts.hour ?? 0,
    minute: parts.minute ?? 0,
    second: parts.second ?? 0,
  }
}

/** Minutes to add to UTC to get the zone's wall time at `ts` (+480 for Beijing). */
export function zoneOffsetMinutes(ts: number, timeZone: string): number {
  const wall = wallTimeAt(ts, timeZone)
  const asUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second)
  const wholeSeconds = Math.floor(ts / 1000) * 1000
  return Math.round((asUtc - wholeSeconds) / 60_000)
}

const WALL_PATTERN = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?$/

/**
 * The instant at which the zone's clocks show `wall` (`YYYY-MM-DD` or `YYYY-MM-DDTHH:mm[:ss]`). A wall time skipped by
 * a DST jump resolves to the instant after the jump; a repeated one to its first occurrence.
 */
export function wallTimeToInstant(wall: string, timeZone: string): number | undefined {
  const match = WALL_PATTERN.exec(wall)
  if (!match) return undefined
  const [, y, mo, d, h = '0', mi = '0', s = '0'] = match
  const asUtc = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s))
  if (Number.isNaN(asUtc)) return undefined
  const before = zoneOffsetMinutes(asUtc - 86_400_000, timeZone)
  const after = zoneOffsetMinutes(asUtc + 86_400_000, timeZone)
  const target = toWallString(asUtc, 'UTC', true)
  const matches = [before, after]
    .map((offset) => asUtc - offset * 60_000)
    .filter((ts) => toWallString(ts, timeZone, true) === target)
  if (matches.length > 0) return Math.min(...matches)
  // A wall time skipped by a jump forward: read it with the offset before the jump, which lands after it.
  return asUtc - before * 60_000
}

const pad = (value: number, width = 2) => String(value).padStart(width, '0')

/** `YYYY-MM-DDTHH:mm` (or with `:ss`) as the zone's clocks show it: the value of an `<input type=datetime-local>`. */
export function toWallString(ts: number, timeZone: string, seconds = false): string {
  const w = wallTimeAt(ts, timeZone)
  const base = `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}`
  return seconds ? `${base}:${pad(w.second)}` : base
}

export function formatOffset(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+'
  const abs = Math.abs(minutes)
  return `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`
}

/** RFC 3339 with the zone's offset at that instant: `2025-01-14T03:00:00+08:00`. */
export function toIsoInZone(ts: number, timeZone: string): string {
  return `${toWallString(ts, timeZone, true)}${formatOffset(zoneOffsetMinutes(ts, timeZone))}`
}

const RELATIVE = /^-(\d+)(m|h|d|w)$/
const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 } as const

/**
 * Resolves a range bound as the API reads it: `now`, `-24h` / `-7d` / `-90m` / `-2w`, RFC 3339 with an offset, or a date
 * (time) without one read in `timeZone`. Undefined when it is none of these.
 */
export function resolveBound(value: string, timeZone: string, now: number): number | undefined {
  if (value === 'now') return now
  const relative = RELATIVE.exec(value)
  if (relative) {
    const [, amount, unit] = relative
    return now - Number(amount) * UNIT_MS[unit as keyof typeof UNIT_MS]
  }
  if (/(?:Z|[+-]\d{2}:?\d{2})$/.test(value) && value.includes('T')) {
    const ts = Date.parse(value)
    return Number.isNaN(ts) ? undefined : ts
  }
  return wallTimeToInstant(value, timeZone)
}

export function isRelativeBound(value: string): boolean {
  return value === 'now' || RELATIVE.test(value)
}

/** `2025-01-14` → `{year, month, day}` without passing through any zone. */
export function parseDay(day: string): { year: number; month: number; day: number } | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day)
  if (!match) return undefined
  return { year: Number(match[1]), month: Number(match[2]), day: Number(match[3]) }
}
