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

const PARTITIONS = 3

const bed = useKafkaTestBed('shutdown')

describe('Kafka ingest graceful shutdown', () => {
  it('stores and commits what it fetched, and a restart reads only what was not stored', async () => {
    const { brokers, store } = bed
    const { topic } = await bed.newTopic('shutdown', PARTITIONS)
    const groupId = uniqueName('shutdown-group')
    const kafka = kafkaClient(brokers)
    const events = scenarioEvents(0.0001, 71)
    await produceEvents(kafka, topic, PARTITIONS, events)
    const settings = { brokers, topic, dlqTopic: `${topic}.dlq`, groupId, clientId: 'shutdown-test' }
    const batching = { batchRows: 300, batchBytes: 128 * 1024, batchAgeMs: 100 }

    const first = await startConsumer({ kafka: settings, store, batching })
    await pollUntil('some events stored', async () => (await totals(store)).events > 0)
    await first.stop()

    // Stopped mid-stream; everything it took in hand is stored and committed, nothing more or less.
    const stored = (await totals(store)).events
    expect(stored).toBeGreaterThan(0)
    expect(stored).toBeLessThan(events.length)
    expect(await committedTotal(kafka, groupId, topic)).toBe(stored)
    expect(first.metrics.stored).toBe(stored)
    expect(first.metrics.received).toBe(stored)

    // The next member of the group starts at the commits: it reads exactly the rest, nothing twice.
    const second = await startConsumer({ kafka: settings, store, batching })
    await waitForEvents(store, events.length)
    await pollUntil(
      'every offset committed',
      async () => (await committedTotal(kafka, groupId, topic)) === events.length,
    )
    await second.stop()
    expect(second.metrics.received).toBe(events.length - stored)
    expect(expectExact(await totals(store), events.length, expectedTagMentions(events))).toEqual([])
  }, 90_000)
})
