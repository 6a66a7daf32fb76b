/** The event contract's wire shape (one UTF-8 JSON object per Kafka message) and its limits. */
export const EVENT_TYPES = ['view', 'post', 'comment', 'ip_region'] as const
export type EventType = (typeof EVENT_TYPES)[number]

export interface WireEvent {
  id: string
  type: EventType
  /** RFC 3339 with an offset, or epoch milliseconds. */
  ts: string | number
  user_id: string
  note_id?: string
  hashtags?: string[]
  /** Resolved to a region at ingest; never stored. */
  ip?: string
  /** ISO 3166-1 alpha-2 with an optional subdivision (CN-SH, US-CA); wins over ip. */
  region?: string
  lang?: string
}

/** Why an event was refused. Stable codes: they are written to the dead-letter topic and counted in metrics. */
export const REJECT_REASONS = [
  'too_large',
  'bad_utf8',
  'bad_json',
  'not_an_object',
  'bad_id',
  'bad_type',
  'bad_ts',
  'ts_out_of_range',
  'bad_user_id',
  'bad_note_id',
  'bad_hashtags',
  'too_many_hashtags',
  'hashtag_too_long',
  'bad_region',
  'bad_ip',
  'bad_lang',
] as const
export type RejectReason = (typeof REJECT_REASONS)[number]

/** A real event is a few hundred bytes; 16 KiB leaves room for long tag lists without letting a blob through. */
export const MAX_EVENT_BYTES = 16 * 1024
export const MAX_ID_LENGTH = 64
/** User and note ids come from the platform; 128 covers UUIDs and prefixed ids with room to spare. */
export const MAX_USER_OR_NOTE_ID_LENGTH = 128
/** Notes on the platform carry at most ten or so tags; 20 after dedupe is generous. */
export const MAX_HASHTAGS = 20
/** A longer tag cannot exist: ingest refuses it, so the API and the dashboard refuse it too. */
export const MAX_HASHTAG_LENGTH = 64
/** Events from before the product's oldest plausible data are clock bugs. */
export const MIN_EVENT_TS = Date.UTC(2000, 0, 1)
/** A device clock can run ahead; a day ahead of the ingest's clock is not a clock skew but a bad value. */
export const MAX_FUTURE_SKEW_MS = 24 * 60 * 60 * 1000

/**
 * One hashtag as written by a user, normalised the way every part of the product compares tags: strip '#', NFKC,
 * lower-case, trim. Empty means "no tag".
 */
export function normaliseTag(tag: string): string {
  return tag.normalize('NFKC').trim().replace(/^#+/, '').trim().toLowerCase()
}

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/

/** RFC 3339 with an explicit offset, or integer epoch milliseconds; returns epoch ms UTC or null. */
export function parseTimestamp(value: unknown): number | null {
  if (typeof value === 'number') return Number.isSafeInteger(value) ? value : null
  if (typeof value !== 'string') return null
  const m = RFC3339.exec(value)
  if (!m) return null
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4], m[5], m[6]].map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ]
  const millis = m[7] ? Number(m[7].slice(0, 3).padEnd(3, '0')) : 0
  if (month < 1 || month > 12 || hour > 23 || minute > 59 || second > 59) return null
  const local = Date.UTC(year, month - 1, day, hour, minute, second, millis)
  // Date.UTC rolls 2025-02-30 over to March; a round trip catches impossible days.
  if (new Date(local).getUTCDate() !== day) return null
  if (m[8]) return local
  const offsetHours = Number(m[10])
  const offsetMinutes = Number(m[11])
  if (offsetHours > 23 || offsetMinutes > 59) return null
  const offset = (offsetHours * 60 + offsetMinutes) * 60_000
  return m[9] === '+' ? local - offset : local + offset
}
