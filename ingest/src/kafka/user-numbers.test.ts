/**
 * User numbering under the Kafka consumer, on the real broker and engine: the producer keys by user id, so each user's
 * events are in one partition and the user is numbered once, in that partition's range; and a topic with more
 * partitions than there are ranges is refused with a clear error instead of being consumed.
 */
import { userNumberProblems } from '@trendlens/sql/testing'
import { describe, expect, it } from 'vitest'
import { silentLogger } from '../log.ts'
import { IngestMetrics } from '../metrics.ts'
import { MAX_KAFKA_PARTITIONS, USER_NUMBER_RANGE_SIZE } from '../user-numbers.ts'
import { kafkaClient, pollUntil } from './broker.ts'
import { runConsumer } from './consumer.ts'
import {
  expectExact,
  expectedTagMentions,
  produceEvents,
  readTopic,
  scenarioEvents,
  startConsumer,
  totals,
  uniqueName,
  useKafkaTestBed,
  waitForEvents,
} from './test-support.ts'

const PARTITIONS = 4

const bed = useKafkaTestBed('user-numbers')

describe('Kafka ingest numbering users', () => {
  it("numbers each user once, in the range of the one partition the user's events are keyed to", async () => {
    const { brokers, store } = bed
    const { topic, dlqTopic } = await bed.newTopic('numbers', PARTITIONS)
    const events = scenarioEvents(0.0001, 31, 'numbers-')
    await produceEvents(kafkaClient(brokers), topic, PARTITIONS, events)
    const consumer = await startConsumer({
      kafka: { brokers, topic, dlqTopic, groupId: uniqueName('numbers-group'), clientId: 'numbers-test' },
      store,
    })
    await waitForEvents(store, events.length)
    await consumer.stop()
    expect(expectExact(await totals(store), events.length, expectedTagMentions(events))).toEqual([])
    expect(await userNumberProblems(store)).toEqual([])

    // Where the producer put each user's events, read back from the topic.
    const partitionsOfUser = new Map<string, Set<number>>()
    for (const message of await readTopic(brokers, topic, events.length)) {
      const user = String(message.key)
      partitionsOfUser.set(user, (partitionsOfUser.get(user) ?? new Set()).add(message.partition))
    }
    expect(partitionsOfUser.size).toBe(new Set(events.map((event) => event.user_id)).size)
    expect([...partitionsOfUser.values()].every((partitions) => partitions.size === 1)).toBe(true)

    const rows = await store.queryOnWriter('ingest_user_numbers_lookup', { ids: [...partitionsOfUser.keys()] })
    expect(rows).toHaveLength(partitionsOfUser.size)
    const misplaced = rows.filter((row) => {
      const [partition] = partitionsOfUser.get(row.user_id) ?? []
      return Math.floor(row.user_no / USER_NUMBER_RANGE_SIZE) !== partition
    })
    expect(misplaced).toEqual([])
  })

  it('refuses a topic with more partitions than user number ranges, saying why', async () => {
    const { brokers, store } = bed
    const { topic, dlqTopic } = await bed.newTopic('too-many-partitions', MAX_KAFKA_PARTITIONS + 1)
    await produceEvents(kafkaClient(brokers), topic, MAX_KAFKA_PARTITIONS + 1, scenarioEvents(0.00001, 32, 'many-'))
    const before = await totals(store)
    const metrics = new IngestMetrics('kafka')
    const abort = new AbortController()
    const done = runConsumer({
      kafka: { brokers, topic, dlqTopic, groupId: uniqueName('too-many-group'), clientId: 'numbers-test' },
      batching: { batchRows: 1_000, batchBytes: 1024 * 1024, batchAgeMs: 200 },
      store,
      metrics,
      log: silentLogger,
      signal: abort.signal,
      // A new topic's metadata can take a moment to reach every part of the broker: the first attempt may fail
      // for that, and the consumer tries again.
      tuning: { restartBackoff: { initialMs: 200, maxMs: 1_000 } },
    })
    try {
      const refusal = new RegExp(`${MAX_KAFKA_PARTITIONS + 1} partitions.*at most ${MAX_KAFKA_PARTITIONS}`)
      const reason = await pollUntil(
        'the consumer to refuse the topic',
        () =>
          metrics.state === 'stopped' && refusal.test(metrics.stateReason?.detail ?? '')
            ? metrics.stateReason
            : undefined,
        { timeoutMs: 60_000, intervalMs: 100 },
      )
      expect(reason?.code).toBe('consumer_failed')
      // The events waiting on it were left there, not stored with numbers outside every range.
      expect(metrics.received).toBe(0)
      expect((await totals(store)).events).toBe(before.events)
    } finally {
      abort.abort()
      await done
    }
  }, 120_000)
})
