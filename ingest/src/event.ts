/** The event contract's wire shape: one UTF-8 JSON object per Kafka message. */
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
