/**
 * Time in the viewer's chosen IANA zone, never the browser's. Instants are written out with date-fns on a `TZDate`,
 * whose fields are the zone's wall clock whatever the machine's zone. Reading a wall time and a range bound stays
 * with the contract's time module, the one the API reads them with: it resolves a wall time shown twice (a DST
 * fall-back) to its first occurrence in every zone, which `TZDate` does only in some, depending on the machine's zone.
 */
import { TZDate } from '@date-fns/tz'
import { wallTimeToInstant as instantOfWallTime, isRelativeInstant, parseInstant } from '@trendlens/contract'
import { format } from 'date-fns'

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
  return instantOfWallTime(asUtc, timeZone)
}

/** `YYYY-MM-DDTHH:mm` (or with `:ss`) as the zone's clocks show it: the value of an `<input type=datetime-local>`. */
export function toWallString(ts: number, timeZone: string, seconds = false): string {
  return format(new TZDate(ts, timeZone), seconds ? "yyyy-MM-dd'T'HH:mm:ss" : "yyyy-MM-dd'T'HH:mm")
}

/** RFC 3339 with the zone's offset at that instant, in whole seconds: `2025-01-14T03:00:00+08:00`. */
export function toIsoInZone(ts: number, timeZone: string): string {
  return format(new TZDate(ts, timeZone), "yyyy-MM-dd'T'HH:mm:ssxxx")
}

/**
 * Resolves a range bound as the API reads it: `now`, `-24h` / `-7d` / `-90m` / `-2w`, RFC 3339 with an offset, or a
 * date (time) without one read in `timeZone`. Undefined when it is none of these.
 */
export function resolveBound(value: string, timeZone: string, now: number): number | undefined {
  return parseInstant(value, timeZone, now) ?? undefined
}

export function isRelativeBound(value: string): boolean {
  return isRelativeInstant(value)
}
