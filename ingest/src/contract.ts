import { isUtf8 } from 'node:buffer'
import { isIP } from 'node:net'
import type { StoredEvent } from '@trendlens/sql'
import { EVENT_TYPES, type EventType } from './event.ts'
import { regionOfIp } from './geoip.ts'
import { parseRegion } from './regions.ts'

/** Why an event was refused. Stable codes: they are written to the dead-letter topic and counted in metrics. */
export type RejectReason =
  | 'too_large'
  | 'bad_utf8'
  | 'bad_json'
  | 'not_an_object'
  | 'bad_id'
  | 'bad_type'
  | 'bad_ts'
  | 'ts_out_of_range'
  | 'bad_user_id'
  | 'bad_note_id'
  | 'bad_hashtags'
  | 'too_many_hashtags'
  | 'hashtag_too_long'
  | 'bad_region'
  | 'bad_ip'
  | 'bad_lang'

export type Validation = { ok: true; event: StoredEvent } | { ok: false; reason: RejectReason; message: string }

/** A real event is a few hundred bytes; 16 KiB leaves room for long tag lists without letting a blob through. */
export const MAX_EVENT_BYTES = 16 * 1024
export const MAX_ID_LENGTH = 64
/** User and note ids come from the platform; 128 covers UUIDs and prefixed ids with room to spare. */
export const MAX_USER_OR_NOTE_ID_LENGTH = 128
/** Notes on the platform carry at most ten or so tags; 20 after dedupe is generous. */
export const MAX_HASHTAGS = 20
export const MAX_HASHTAG_LENGTH = 64
/** Raw tag lists longer than this are refused before normalising, so a huge array costs nothing. */
const MAX_RAW_HASHTAGS = 100
const MAX_LANG_LENGTH = 35
/** Events from before the product's oldest plausible data are clock bugs. */
export const MIN_EVENT_TS = Date.UTC(2000, 0, 1)
/** A device clock can run ahead; a day ahead of the ingest's clock is not a clock skew but a bad value. */
export const MAX_FUTURE_SKEW_MS = 24 * 60 * 60 * 1000

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/
const LANG = /^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$/
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this refuses.
const CONTROL_CHARS = /[\u0000-\u001f\u007f]/
const TYPES: ReadonlySet<string> = new Set(EVENT_TYPES)

function reject(reason: RejectReason, message: string): Validation {
  return { ok: false, reason, message }
}

/** Validates the bytes of one Kafka message value and returns the event ready to store, or why not. */
export function validateMessage(value: Buffer | null, nowMs: number = Date.now()): Validation {
  if (value === null || value.length === 0) return reject('bad_json', 'empty message')
  if (value.length > MAX_EVENT_BYTES) {
    return reject('too_large', `message is ${value.length} bytes; the limit is ${MAX_EVENT_BYTES}`)
  }
  if (!isUtf8(value)) return reject('bad_utf8', 'message is not valid UTF-8')
  let parsed: unknown
  try {
    parsed = JSON.parse(value.toString('utf8'))
  } catch (error) {
    return reject('bad_json', `message is not JSON: ${(error as Error).message}`)
  }
  return validateEvent(parsed, nowMs)
}

/** Validates an already-parsed event object (replay and tests use this path; Kafka uses validateMessage). */
export function validateEvent(input: unknown, nowMs: number = Date.now()): Validation {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return reject('not_an_object', 'event must be a JSON object')
  }
  const raw = input as Record<string, unknown>

  const id = raw.id
  if (typeof id !== 'string' || id.length === 0 || id.length > MAX_ID_LENGTH || CONTROL_CHARS.test(id)) {
    return reject('bad_id', `id must be a string of 1-${MAX_ID_LENGTH} printable characters`)
  }
  const type = raw.type
  if (typeof type !== 'string' || !TYPES.has(type)) {
    return reject('bad_type', `type must be one of ${EVENT_TYPES.join(', ')}`)
  }
  const ts = parseTimestamp(raw.ts)
  if (ts === null) return reject('bad_ts', 'ts must be RFC 3339 with an offset, or epoch milliseconds')
  if (ts < MIN_EVENT_TS || ts > nowMs + MAX_FUTURE_SKEW_MS) {
    return reject('ts_out_of_range', `ts ${new Date(ts).toISOString()} is before 2000 or more than a day ahead`)
  }
  const userId = raw.user_id
  if (!isPlainId(userId)) {
    return reject('bad_user_id', `user_id must be a string of 1-${MAX_USER_OR_NOTE_ID_LENGTH} printable characters`)
  }
  let noteId = ''
  if (type !== 'ip_region' || raw.note_id !== undefined) {
    if (!isPlainId(raw.note_id)) {
      return reject('bad_note_id', `note_id must be a string of 1-${MAX_USER_OR_NOTE_ID_LENGTH} printable characters`)
    }
    noteId = raw.note_id
  }

  const hashtags = normaliseHashtags(raw.hashtags)
  if (!Array.isArray(hashtags)) return hashtags

  let place: { region: string; country: string } | null = null
  if (raw.region !== undefined && raw.region !== null && raw.region !== '') {
    place = typeof raw.region === 'string' ? parseRegion(raw.region) : null
    if (!place)
      return reject('bad_region', 'region must be ISO 3166-1 alpha-2 with an optional subdivision, e.g. CN-SH')
  } else if (raw.ip !== undefined && raw.ip !== null && raw.ip !== '') {
    if (typeof raw.ip !== 'string' || isIP(raw.ip) === 0) return reject('bad_ip', 'ip must be an IPv4 or IPv6 address')
    place = regionOfIp(raw.ip)
  }

  let lang = ''
  if (raw.lang !== undefined && raw.lang !== null && raw.lang !== '') {
    if (typeof raw.lang !== 'string' || raw.lang.length > MAX_LANG_LENGTH || !LANG.test(raw.lang)) {
      return reject('bad_lang', 'lang must be a BCP 47 tag such as en-US or zh-CN')
    }
    lang = raw.lang
  }

  return {
    ok: true,
    event: {
      id,
      type: type as EventType,
      ts,
      user_id: userId,
      note_id: noteId,
      hashtags,
      region: place?.region ?? '',
      country: place?.country ?? '',
      lang,
    },
  }
}

function isPlainId(value: unknown): value is string {
  return (
    typeof value === 'string' &&
    value.length > 0 &&
    value.length <= MAX_USER_OR_NOTE_ID_LENGTH &&
    !CONTROL_CHARS.test(value)
  )
}

/** Normalises one hashtag as written by a user: strip '#', NFKC, lower-case, trim. Empty means "no tag". */
export function normaliseHashtag(tag: string): string {
  return tag.normalize('NFKC').trim().replace(/^#+/, '').trim().toLowerCase()
}

function normaliseHashtags(value: unknown): string[] | Validation {
  if (value === undefined || value === null) return []
  if (!Array.isArray(value) || value.length > MAX_RAW_HASHTAGS) {
    return reject(
      Array.isArray(value) ? 'too_many_hashtags' : 'bad_hashtags',
      Array.isArray(value) ? `at most ${MAX_HASHTAGS} hashtags` : 'hashtags must be an array of strings',
    )
  }
  const tags: string[] = []
  for (const item of value) {
    if (typeof item !== 'string') return reject('bad_hashtags', 'hashtags must be an array of strings')
    const tag = normaliseHashtag(item)
    if (tag.length === 0) continue
    if (tag.length > MAX_HASHTAG_LENGTH) {
      return reject('hashtag_too_long', `a hashtag is at most ${MAX_HASHTAG_LENGTH} characters`)
    }
    if (CONTROL_CHARS.test(tag)) return reject('bad_hashtags', 'hashtags may not contain control characters')
    if (!tags.includes(tag)) tags.push(tag)
  }
  if (tags.length > MAX_HASHTAGS) return reject('too_many_hashtags', `at most ${MAX_HASHTAGS} hashtags`)
  return tags
}

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
