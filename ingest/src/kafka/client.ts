import { type Admin, type ConfigResourceTypes, Kafka, type LogEntry, logLevel, type RetryOptions } from 'kafkajs'
import type { Logger } from '../log.ts'

/** Where the consumer reads and where it sends what it refuses. Mirrors the product's `Config['kafka']`. */
export interface KafkaSettings {
  brokers: string[]
  topic: string
  dlqTopic: string
  groupId: string
  clientId: string
}

/** A topic created by the producer CLI or the consumer on a broker without auto-creation: room for 4 consumers. */
export const DEFAULT_TOPIC_PARTITIONS = 4
/** Three copies is the usual production choice; a dev broker alone gets one. */
const MAX_REPLICATION_FACTOR = 3
/** Dead letters are rare and read by people, not by a scaled-out group: one partition keeps them in order. */
export const DLQ_TOPIC_PARTITIONS = 1

/** While a broker is down kafkajs logs the same error for every retry; one line per message per window is enough. */
const REPEATED_LOG_WINDOW_MS = 5_000

/** `ConfigResourceTypes.TOPIC`: kafkajs's enum is not a named export Node's ESM loader can see in its CommonJS. */
const TOPIC_RESOURCE = 2 as ConfigResourceTypes

/** Broker restarts take seconds; kafkajs's default (5 quick retries) gives up before a restarted broker answers. */
const BROKER_RESTART_RETRY: RetryOptions = { initialRetryTime: 300, maxRetryTime: 10_000, retries: 10 }

/**
 * A kafkajs client whose own logs go to the product's structured logger. kafkajs's INFO level narrates every
 * join and fetch, so only its warnings and errors are passed on, as warnings: kafkajs retries what it logs, and
 * the ingest reports a failure it cannot recover from itself.
 */
export function createKafka(
  settings: Pick<KafkaSettings, 'brokers' | 'clientId'>,
  log: Logger,
  retry: RetryOptions = BROKER_RESTART_RETRY,
): Kafka {
  const kafkaLog = log.child({ component: 'kafkajs' })
  const lastLogged = new Map<string, { at: number; repeats: number }>()
  return new Kafka({
    clientId: settings.clientId,
    brokers: settings.brokers,
    logLevel: logLevel.WARN,
    logCreator: () => (entry: LogEntry) => {
      const { message, timestamp: _timestamp, stack: _stack, ...fields } = entry.log
      const now = Date.now()
      const last = lastLogged.get(message)
      if (last && now - last.at < REPEATED_LOG_WINDOW_MS) {
        last.repeats++
        return
      }
      lastLogged.set(message, { at: now, repeats: 0 })
      if (lastLogged.size > 100) lastLogged.clear()
      kafkaLog.warn(message, { namespace: entry.namespace, ...fields, repeatsSinceLastLine: last?.repeats ?? 0 })
    },
    retry,
  })
}

/**
 * Creates the topics that are missing (a broker with auto-creation off refuses to produce to them), leaving
 * existing ones as they are. Returns the partition count of each topic.
 */
export async function ensureTopics(
  admin: Admin,
  topics: ReadonlyArray<{ topic: string; partitions: number }>,
): Promise<Map<string, number>> {
  const existing = new Set(await admin.listTopics())
  const missing = topics.filter((t) => !existing.has(t.topic))
  if (missing.length > 0) {
    // kafkajs speaks CreateTopics v3, which has no "broker default" replication factor: use what the cluster has.
    const { brokers } = await admin.describeCluster()
    const replicationFactor = Math.min(MAX_REPLICATION_FACTOR, brokers.length)
    // Resolves false (no error) when another process created a topic in between.
    await admin.createTopics({
      topics: missing.map((t) => ({ topic: t.topic, numPartitions: t.partitions, replicationFactor })),
      waitForLeaders: true,
    })
  }
  const { topics: metadata } = await admin.fetchTopicMetadata({ topics: topics.map((t) => t.topic) })
  return new Map(metadata.map((t) => [t.name, t.partitions.length]))
}

/**
 * A topic's `max.message.bytes`: the largest record batch the broker accepts for it. Undefined when the broker
 * does not say (no permission to describe configs, an old broker); the caller then assumes Kafka's default.
 */
export async function topicMaxMessageBytes(admin: Admin, topic: string): Promise<number | undefined> {
  const { resources } = await admin.describeConfigs({
    includeSynonyms: false,
    resources: [{ type: TOPIC_RESOURCE, name: topic, configNames: ['max.message.bytes'] }],
  })
  const entry = resources[0]?.configEntries.find((e) => e.configName === 'max.message.bytes')
  const value = Number(entry?.configValue)
  return Number.isInteger(value) && value > 0 ? value : undefined
}
