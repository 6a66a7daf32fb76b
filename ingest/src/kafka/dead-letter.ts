import type { IHeaders, KafkaMessage, Message } from 'kafkajs'

/** Header names of a dead letter; its key and value are the original message's, byte for byte. */
export const DLQ_HEADERS = {
  sourceTopic: 'x-source-topic',
  sourcePartition: 'x-source-partition',
  sourceOffset: 'x-source-offset',
  reason: 'x-reason',
  error: 'x-error',
  failedAt: 'x-failed-at',
} as const

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
    [DLQ_HEADERS.error]: refusal.error,
    [DLQ_HEADERS.failedAt]: failedAt.toISOString(),
  }
  return { key: refusal.message.key, value: refusal.message.value, headers }
}

/** Reads a header of a consumed dead letter as text. */
export function headerText(headers: IHeaders | undefined, name: string): string | undefined {
  const value = headers?.[name]
  if (value === undefined) return undefined
  const first = Array.isArray(value) ? value[0] : value
  return first === undefined ? undefined : first.toString()
}
