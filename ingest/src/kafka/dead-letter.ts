import { createHash } from 'node:crypto'
import type { IHeaders, KafkaMessage, Message } from 'kafkajs'

/** Header names of a dead letter; its key and value are the original message's, byte for byte, unless cut. */
export const DLQ_HEADERS = {
  sourceTopic: 'x-source-topic',
  sourcePartition: 'x-source-partition',
  sourceOffset: 'x-source-offset',
  reason: 'x-reason',
  error: 'x-error',
  failedAt: 'x-failed-at',
  /** Only on a dead letter cut to fit the dead-letter topic: the original value's size in bytes and SHA-256. */
  originalSize: 'x-original-size',
  originalSha256: 'x-original-sha256',
} as const

/** Kafka's own default for a topic's `max.message.bytes` (the broker's `message.max.bytes`). */
export const DEFAULT_MAX_MESSAGE_BYTES = 1_048_588
/** A record batch's fixed header (v2 format). */
const RECORD_BATCH_OVERHEAD = 61
/** A record's framing: length, attributes, timestamp and offset deltas, key and value lengths, header count. */
const RECORD_OVERHEAD = 32
/** Each header's two length varints. */
const HEADER_OVERHEAD = 10
/** Room left below the limit for anything the estimate misses. */
const SAFETY_BYTES = 512
/** The engine's refusal text can be long; the dead letter keeps its start. */
const MAX_ERROR_HEADER_BYTES = 1_000

export interface Refusal {
  message: KafkaMessage
  /** A contract reason code (`bad_json`, `too_large`…) or `store_rejected`. */
  reason: string
  /** Human-readable detail. */
  error: string
}

/** The dead letter for a refused message: original key and bytes, where it came from, and why it was refused. */
export function deadLetter(sourceTopic: string, partition: number, refusal: Refusal, failedAt: Date): Message {
  const headers: IHeaders = {
    [DLQ_HEADERS.sourceTopic]: sourceTopic,
    [DLQ_HEADERS.sourcePartition]: String(partition),
    [DLQ_HEADERS.sourceOffset]: refusal.message.offset,
    [DLQ_HEADERS.reason]: refusal.reason,
    [DLQ_HEADERS.error]: cutText(refusal.error, MAX_ERROR_HEADER_BYTES),
    [DLQ_HEADERS.failedAt]: failedAt.toISOString(),
  }
  return { key: refusal.message.key, value: refusal.message.value, headers }
}

/** A generous estimate of a message's size inside a record batch (uncompressed). */
function recordBytes(message: Message): number {
  let bytes = RECORD_OVERHEAD + byteLength(message.key) + byteLength(message.value)
  for (const [name, value] of Object.entries(message.headers ?? {})) {
    const values = Array.isArray(value) ? value : [value]
    for (const one of values) bytes += HEADER_OVERHEAD + Buffer.byteLength(name) + byteLength(one)
  }
  return bytes
}

/** Bytes of records one send may carry to a single-partition topic whose `max.message.bytes` is `limit`. */
function sendBudget(limit: number): number {
  return Math.max(1_024, limit - RECORD_BATCH_OVERHEAD - SAFETY_BYTES)
}

/**
 * A dead letter that fits in `budget` bytes: unchanged if it does; otherwise its value (and, if that is not
 * enough, its key) is cut, and the original value's size and SHA-256 go in headers so the cut is visible and
 * the original can be matched.
 */
function fitDeadLetter(message: Message, budget: number): Message {
  if (recordBytes(message) <= budget) return message
  const value = toBuffer(message.value)
  const headers: IHeaders = {
    ...message.headers,
    [DLQ_HEADERS.originalSize]: String(value.length),
    [DLQ_HEADERS.originalSha256]: createHash('sha256').update(value).digest('hex'),
  }
  let key = message.key === null || message.key === undefined ? null : toBuffer(message.key)
  const withoutValue = recordBytes({ key, value: null, headers })
  if (withoutValue > budget && key) key = key.subarray(0, Math.max(0, key.length - (withoutValue - budget)))
  const room = Math.max(0, budget - recordBytes({ key, value: null, headers }))
  return { key, value: value.subarray(0, room), headers }
}

/**
 * Splits dead letters into sends that each stay below the topic's limit. kafkajs puts one send's messages for a
 * partition into one record batch, and the broker refuses a batch above `max.message.bytes` as a whole.
 */
export function chunkDeadLetters(messages: readonly Message[], limit: number): Message[][] {
  const budget = sendBudget(limit)
  const chunks: Message[][] = []
  let chunk: Message[] = []
  let bytes = 0
  for (const original of messages) {
    const message = fitDeadLetter(original, budget)
    const size = recordBytes(message)
    if (chunk.length > 0 && bytes + size > budget) {
      chunks.push(chunk)
      chunk = []
      bytes = 0
    }
    chunk.push(message)
    bytes += size
  }
  if (chunk.length > 0) chunks.push(chunk)
  return chunks
}

/** Reads a header of a consumed dead letter as text. */
export function headerText(headers: IHeaders | undefined, name: string): string | undefined {
  const value = headers?.[name]
  if (value === undefined) return undefined
  const first = Array.isArray(value) ? value[0] : value
  return first === undefined ? undefined : first.toString()
}

function byteLength(value: Buffer | string | null | undefined): number {
  if (value === null || value === undefined) return 0
  return typeof value === 'string' ? Buffer.byteLength(value) : value.length
}

function toBuffer(value: Buffer | string | null | undefined): Buffer {
  if (value === null || value === undefined) return Buffer.alloc(0)
  return typeof value === 'string' ? Buffer.from(value) : value
}

/** At most `maxBytes` of UTF-8, never splitting a character. */
function cutText(text: string, maxBytes: number): string {
  if (Buffer.byteLength(text) <= maxBytes) return text
  let end = Math.min(text.length, maxBytes)
  while (end > 0 && Buffer.byteLength(text.slice(0, end)) > maxBytes - 3) end--
  return `${text.slice(0, end)}...`
}
