/** The ingest's settings, read from the environment by the product's config loader. */
import { z } from 'zod'
import type { KafkaSettings } from './kafka/client.ts'

/** Large blocks are what ClickHouse inserts fastest; 50k rows of ~250 bytes is ~12 MB. */
export const DEFAULT_BATCH_ROWS = 50_000
export const DEFAULT_BATCH_BYTES = 16 * 1024 * 1024
/** A quiet stream still reaches the tables within a second: the freshness target is 2 s. */
export const DEFAULT_BATCH_AGE_MS = 1_000

const positiveInt = z.coerce.number().int().positive()
const topicName = z.string().regex(/^[A-Za-z0-9._-]+$/)

/** `host:port,…` (IPv6 hosts in brackets); unset or empty: no Kafka. */
const brokerList = z
  .string()
  .optional()
  .transform((value, ctx) => {
    if (value === undefined) return undefined
    const brokers = value
      .split(',')
      .map((b) => b.trim())
      .filter(Boolean)
    const bad = brokers.filter((b) => !/^[A-Za-z0-9.-]+:\d{1,5}$/.test(b) && !/^\[[0-9a-fA-F:]+\]:\d{1,5}$/.test(b))
    if (brokers.length === 0 || bad.length > 0) {
      ctx.addIssue({ code: 'custom', message: `expected host:port[,host:port…], got "${value}"` })
      return z.NEVER
    }
    return brokers
  })

/** Kafka (when `KAFKA_BROKERS` is set) and when a batch is inserted. */
export const ingestSettings = z
  .object({
    KAFKA_BROKERS: brokerList,
    KAFKA_TOPIC: topicName.default('events'),
    KAFKA_DLQ_TOPIC: topicName.default('events.dlq'),
    KAFKA_GROUP: z.string().min(1).default('trendlens-ingest'),
    KAFKA_CLIENT_ID: z.string().min(1).default('trendlens'),
    INGEST_BATCH_ROWS: positiveInt.default(DEFAULT_BATCH_ROWS),
    INGEST_BATCH_BYTES: positiveInt.default(DEFAULT_BATCH_BYTES),
    INGEST_BATCH_AGE_MS: positiveInt.default(DEFAULT_BATCH_AGE_MS),
  })
  .transform((e) => ({
    kafka: e.KAFKA_BROKERS
      ? ({
          brokers: e.KAFKA_BROKERS,
          topic: e.KAFKA_TOPIC,
          dlqTopic: e.KAFKA_DLQ_TOPIC,
          groupId: e.KAFKA_GROUP,
          clientId: e.KAFKA_CLIENT_ID,
        } satisfies KafkaSettings)
      : undefined,
    batching: { batchRows: e.INGEST_BATCH_ROWS, batchBytes: e.INGEST_BATCH_BYTES, batchAgeMs: e.INGEST_BATCH_AGE_MS },
  }))

export type IngestSettings = z.output<typeof ingestSettings>
