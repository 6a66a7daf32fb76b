import { WINDOW } from '@trendlens/fixtures'
import { userNumberProblems } from '@trendlens/sql/testing'
import { describe, expect, it } from 'vitest'
import { kafkaClient, pollUntil } from './broker.ts'
import {
  committedTotal,
  expectExact,
  expectedTagMentions,
  produceEvents,
  scenarioEvents,
  startConsumer,
  totals,
  uniqueName,
  useKafkaTestBed,
  waitForEvents,
} from './test-support.ts'

const PARTITIONS = 4
/** About 49k events: enough for dozens of batches per partition at the test batch size. */
const SCALE = 0.0002

const bed = useKafkaTestBed('e2e')

describe('Kafka ingest end to end', () => {
  it('stores N produced scenario events exactly once, rollups and API figures included', async () => {
    const { brokers, store } = bed
    const { topic } = await bed.newTopic('e2e', PARTITIONS)
    const groupId = uniqueName('e2e-group')
    const kafka = kafkaClient(brokers)
    const events = scenarioEvents(SCALE, 11)
    await produceEvents(kafka, topic, PARTITIONS, events)

    const consumer = await startConsumer({
      kafka: { brokers, topic, dlqTopic: `${topic}.dlq`, groupId, clientId: 'e2e-test' },
      store,
    })
    expect(consumer.assigned().sort()).toEqual([0, 1, 2, 3])
    await waitForEvents(store, events.length)
    await pollUntil(
      'every offset committed',
      async () => (await committedTotal(kafka, groupId, topic)) === events.length,
    )
    await pollUntil('lag measured as zero on every partition', () => {
      const lag = consumer.metrics.snapshot().lag
      return Object.keys(lag).length === PARTITIONS && Object.values(lag).every((value) => value === 0)
    })
    await consumer.stop()

    const t = await totals(store)
    expect(expectExact(t, events.length, expectedTagMentions(events))).toEqual([])
    expect(await userNumberProblems(store)).toEqual([])

    // The API's live figures come from the 1-minute rollup: summed over the story's window they are N too.
    const minutes = await store.query('api_live_minutes', {
      from: WINDOW.startMs,
      to: WINDOW.endMs,
    })
    expect(minutes.reduce((sum, m) => sum + m.total_events, 0)).toBe(events.length)

    const m = consumer.metrics.snapshot()
    expect(m.received).toBe(events.length)
    expect(m.stored).toBe(events.length)
    expect(m.rejected).toBe(0)
    expect(m.duplicates).toBe(0)
    expect(m.batches).toBeGreaterThanOrEqual(PARTITIONS)
    expect(m.lastInsertMs).toBeGreaterThan(0)
  }, 120_000)
})
