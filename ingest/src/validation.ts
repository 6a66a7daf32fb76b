import { isUtf8 } from 'node:buffer'
import { isIP } from 'node:net'
import {
  EVENT_TYPES,
  type EventType,
  MAX_EVENT_BYTES,
  MAX_FUTURE_SKEW_MS,
  MAX_HASHTAG_LENGTH,
  MAX_HASHTAGS,
  MAX_ID_LENGTH,
  MAX_USER_OR_NOTE_ID_LENGTH,
  MIN_EVENT_TS,
  normaliseTag,
  parseRegion,
  parseTimestamp,
  type RejectReason,
} from '@trendlens/contract'
import type { StoredEvent } from '@trendlens/sql'
import { regionOfIp } from './geoip.ts'

export type Validation = { ok: true; event: StoredEvent } | { ok: false; reason: RejectReason; message: string }

/** Raw tag lists longer than this are refused before normalising, so a huge array costs nothing. */
const MAX_RAW_HASHTAGS = 100
const MAX_LANG_LENGTH = 35
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
    const tag = normaliseTag(item)
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
