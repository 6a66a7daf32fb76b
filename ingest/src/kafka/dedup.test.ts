import type { Message } from 'kafkajs'
import { describe, expect, it } from 'vitest'
import { BatchWriter } from '../batch-writer.ts'
import { validateEvent } from '../validation.ts'
import { kafkaClient, pollUntil } from './broker.ts'
import { eventProducer, toMessage } from './produce.ts'
import {
  expectExact,
  expectedTagMentions,
  produceEvents,
  scenarioEvents,
  startConsumer,
  totals,
  totalsAdded,
  uniqueName,
  useKafkaTestBed,
  waitForEvents,
} from './test-support.ts'

const bed = useKafkaTestBed('dedup')

describe('exactly-once storage', () => {
  it('relies on the token and the ledger: offsets read again are stored once, on the recorded boundaries', async () => {
    const { brokers, store } = bed
    const { topic, dlqTopic } = await bed.newTopic('dedup-replay', 2)
    const kafka = kafkaClient(brokers)
    const events = scenarioEvents(0.00003, 81, 'replay-')
    await produceEvents(kafka, topic, 2, events)
    const before = await totals(store)

    const first = await startConsumer({
      kafka: { brokers, topic, dlqTopic, groupId: uniqueName('dedup-first'), clientId: 'dedup-first' },
      store,
      batching: { batchRows: 700, batchBytes: 1024 * 1024, batchAgeMs: 100 },
    })
    await waitForEvents(store, before.events + events.length)
    await first.stop()

    // A new group has no commits: it reads every offset again, like a member whose commits were all lost.
    const again = await startConsumer({
      kafka: { brokers, topic, dlqTopic, groupId: uniqueName('dedup-again'), clientId: 'dedup-again' },
      store,
      batching: { batchRows: 300, batchBytes: 1024 * 1024, batchAgeMs: 100 },
    })
    await pollUntil('the second group to send every row again', () => again.metrics.stored >= events.length, {
      timeoutMs: 60_000,
    })
    await again.stop()

    // Every row was sent a second time, on the ledger's boundaries (not 300-row batches), and dropped by the engine.
    expect(again.metrics.stored).toBe(events.length)
    expect(again.metrics.batches).toBe(first.metrics.batches)
    expect(again.metrics.duplicates).toBe(0)
    expect(expectExact(totalsAdded(await totals(store), before), events.length, expectedTagMentions(events))).toEqual(
      [],
    )
  }, 90_000)

  it('does not deduplicate by id in the schema: the same events on other boundaries count twice', async () => {
    const { store } = bed
    const events = scenarioEvents(0.00001, 82, 'schema-').map((wire) => {
      const checked = validateEvent(wire)
      if (!checked.ok) throw new Error(checked.message)
      return checked.event
    })
    const writer = new BatchWriter(store)
    const before = await totals(store)
    await writer.write({ source: 'dedup-schema', partition: 0, firstOffset: 0, lastOffset: 99, events })
    await writer.write({ source: 'dedup-schema', partition: 0, firstOffset: 0, lastOffset: 99, events })
    const once = totalsAdded(await totals(store), before)
    expect(once.events).toBe(events.length)
    await writer.write({ source: 'dedup-schema', partition: 0, firstOffset: 0, lastOffset: 98, events })
    const twice = totalsAdded(await totals(store), before)
    expect(twice.events).toBe(2 * events.length)
    expect(twice.distinct_ids).toBe(events.length)
  })

  it('drops a resent id within the dedup window, in its batch or a later one; a copy older than the window is stored again', async () => {
    const { brokers, store } = bed
    const { topic, dlqTopic } = await bed.newTopic('dedup-ids', 1)
    const kafka = kafkaClient(brokers)
    const events = scenarioEvents(0.00001, 83, 'ids-')
    // A producer retry: events sent twice in a row, inside what the consumer takes as one batch.
    const messages: Message[] = []
    events.forEach((event, i) => {
      messages.push(toMessage(event))
      if (i % 500 === 7) messages.push(toMessage(event))
    })
    const repeats = messages.length - events.length
    const before = await totals(store)
    const producer = eventProducer(kafka)
    await producer.connect()
    await producer.send({ topic, acks: -1, messages })

    const consumer = await startConsumer({
      kafka: { brokers, topic, dlqTopic, groupId: uniqueName('dedup-ids'), clientId: 'dedup-ids' },
      store,
      batching: { batchRows: 100_000, batchBytes: 8 * 1024 * 1024, batchAgeMs: 100 },
    })
    await waitForEvents(store, before.events + events.length)
    expect(consumer.metrics.duplicates).toBe(repeats)
    expect(expectExact(totalsAdded(await totals(store), before), events.length, expectedTagMentions(events))).toEqual(
      [],
    )

    // The newest event again, later, in a batch of its own: within the window, left out.
    const newest = events.at(-1)
    const oldest = events[0]
    if (!newest || !oldest) throw new Error('no events')
    await producer.send({ topic, acks: -1, messages: [toMessage(newest)] })
    await pollUntil('the resend to be left out', () => consumer.metrics.duplicates === repeats + 1)
    // The oldest event again: its event time is days before the newest, outside the 24-hour window, so it is
    // stored a second time.
    const tsOf = (event: { ts: string | number }) => (typeof event.ts === 'number' ? event.ts : Date.parse(event.ts))
    expect(tsOf(newest) - tsOf(oldest)).toBeGreaterThan(24 * 3_600_000)
    await producer.send({ topic, acks: -1, messages: [toMessage(oldest)] })
    await producer.disconnect()
    await waitForEvents(store, before.events + events.length + 1)
    await consumer.stop()
    const added = totalsAdded(await totals(store), before)
    expect(added.events).toBe(events.length + 1)
    expect(added.distinct_ids).toBe(events.length)
  }, 90_000)
})
