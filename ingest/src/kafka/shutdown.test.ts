/**
 * Graceful shutdown mid-stream: the batches in hand are stored and committed before the consumer leaves its group,
 * so the committed offsets match the stored rows exactly, and the next consumer of the group reads only the rest.
 */
import type { Store } from '@trendlens/sql'
import { openTempStore } from '@trendlens/sql/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { deleteTopic, ensureBroker, kafkaClient, pollUntil, recreateTopic } from './broker.ts'
import {
  committedTotal,
  expectExact,
  expectedTagMentions,
  produceEvents,
  scenarioEvents,
  startConsumer,
  stopAllConsumers,
  totals,
  uniqueName,
  waitForEvents,
} from './test-support.ts'

const PARTITIONS = 3

let brokers: string[]
let store: Store
let dispose: () => Promise<void>
const topics: string[] = []

beforeAll(async () => {
  ;({ brokers } = await ensureBroker())
  ;({ store, dispose } = await openTempStore('trendlens-kafka-shutdown-'))
}, 600_000)

afterAll(async () => {
  await stopAllConsumers()
  await dispose?.()
  for (const topic of topics) await deleteTopic(brokers, topic).catch(() => {})
})

describe('Kafka ingest graceful shutdown', () => {
  it('stores and commits what it fetched, and a restart reads only what was not stored', async () => {
    const topic = uniqueName('shutdown')
    const groupId = uniqueName('shutdown-group')
    topics.push(topic, `${topic}.dlq`)
    await recreateTopic(brokers, topic, PARTITIONS)
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
