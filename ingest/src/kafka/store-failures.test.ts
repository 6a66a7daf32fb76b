/**
 * The store failing under the consumer, through a test double in front of a real engine:
 * - an outage mid-stream (every call fails as an unreachable store's does, StoreError 'unavailable'): the consumer
 *   pauses, retries with backoff while keeping its group membership, never commits what was not stored, resumes
 *   by itself, and stores every event exactly once;
 * - rows the engine refuses (StoreError 'rejected'): the batch is split in halves until the refused rows are
 *   isolated; they go to the dead-letter topic as `store_rejected`, and every other row is stored once.
 */

import type { WireEvent } from '@trendlens/contract'
import { type Store, StoreError } from '@trendlens/sql'
import { userNumberProblems } from '@trendlens/sql/testing'
import { describe, expect, it } from 'vitest'
import type { WriterStore } from '../batch-writer.ts'
import { kafkaClient, pollUntil } from './broker.ts'
import { DLQ_HEADERS, headerText } from './dead-letter.ts'
import {
  committedTotal,
  expectExact,
  expectedTagMentions,
  produceEvents,
  readTopic,
  scenarioEvents,
  startConsumer,
  totals,
  totalsAdded,
  uniqueName,
  useKafkaTestBed,
  waitForEvents,
} from './test-support.ts'

const PARTITIONS = 3
/** The outage lasts until the consumer has retried this many times. */
const RETRIES_DURING_OUTAGE = 8

/**
 * Test double at the store boundary: forwards to a real store, except that while `down` is set every call fails
 * with the error an unreachable store gives, and an insert holding an id that starts with `refusedIdPrefix` fails
 * as the engine fails on data it cannot take.
 */
class StoreWithFaults implements WriterStore {
  down = false
  failedCalls = 0
  refusedIdPrefix: string | undefined
  refusedInserts = 0

  constructor(private readonly store: Store) {}

  private check(): void {
    if (!this.down) return
    this.failedCalls++
    throw new StoreError('unavailable', 'connect ECONNREFUSED (simulated outage)')
  }

  async appendRows(...args: Parameters<Store['appendRows']>): ReturnType<Store['appendRows']> {
    this.check()
    return this.store.appendRows(...args)
  }

  async insertEvents(...args: Parameters<Store['insertEvents']>): ReturnType<Store['insertEvents']> {
    this.check()
    return this.store.insertEvents(...args)
  }

  async insertJsonLines(...args: Parameters<Store['insertJsonLines']>): ReturnType<Store['insertJsonLines']> {
    this.check()
    if (this.refusedIdPrefix && args[1].includes(`"id":"${this.refusedIdPrefix}`)) {
      this.refusedInserts++
      throw new StoreError('rejected', 'Cannot parse input (simulated bad row)', '27')
    }
    return this.store.insertJsonLines(...args)
  }

  queryOnWriter: Store['queryOnWriter'] = async (name, params) => {
    this.check()
    return this.store.queryOnWriter(name, params)
  }
}

const bed = useKafkaTestBed('outage')

describe('Kafka ingest during a store outage', () => {
  it('pauses, retries, resumes by itself and stores everything exactly once', async () => {
    const { brokers, store } = bed
    const { topic } = await bed.newTopic('outage', PARTITIONS)
    const groupId = uniqueName('outage-group')
    const kafka = kafkaClient(brokers)
    const events = scenarioEvents(0.0001, 31, 'outage-')
    const flaky = new StoreWithFaults(store)
    const before = await totals(store)

    const consumer = await startConsumer({
      kafka: { brokers, topic, dlqTopic: `${topic}.dlq`, groupId, clientId: 'outage-test' },
      store: flaky,
      batching: { batchRows: 500, batchBytes: 256 * 1024, batchAgeMs: 100 },
    })
    await produceEvents(kafka, topic, PARTITIONS, events)
    await pollUntil('some events stored before the outage', async () => (await totals(store)).events > before.events)

    flaky.down = true
    const storedAtOutage = (await totals(store)).events - before.events
    expect(storedAtOutage).toBeLessThan(events.length)
    await pollUntil('the consumer to pause and retry', () => {
      const m = consumer.metrics
      return m.paused && m.storeRetries >= RETRIES_DURING_OUTAGE
    })
    // Never commit what was not stored: every committed offset is backed by a stored row.
    const committedDuringOutage = await committedTotal(kafka, groupId, topic)
    expect(committedDuringOutage).toBeLessThanOrEqual((await totals(store)).events - before.events)
    expect(committedDuringOutage).toBeLessThan(events.length)

    flaky.down = false
    await waitForEvents(store, before.events + events.length)
    await pollUntil(
      'every offset committed',
      async () => (await committedTotal(kafka, groupId, topic)) === events.length,
    )
    expect(consumer.metrics.paused).toBe(false)
    await consumer.stop()

    expect(expectExact(totalsAdded(await totals(store), before), events.length, expectedTagMentions(events))).toEqual(
      [],
    )
    const m = consumer.metrics.snapshot()
    expect(m.storeRetries).toBeGreaterThanOrEqual(RETRIES_DURING_OUTAGE)
    expect(m.stored).toBe(events.length)
    expect(flaky.failedCalls).toBe(m.storeRetries)
  }, 90_000)

  it('splits a batch the store refuses, dead-letters the refused rows and stores the rest once', async () => {
    const { brokers, store } = bed
    const { topic, dlqTopic } = await bed.newTopic('refused', 1)
    const kafka = kafkaClient(brokers)
    const good = scenarioEvents(0.00003, 32, 'refused-')
    const refusedIds = ['bad-row-1', 'bad-row-2', 'bad-row-3']
    const stream: WireEvent[] = [...good]
    // Valid by the contract, refused by the (simulated) engine: spread over the stream.
    refusedIds.forEach((id, i) => {
      stream.splice(Math.floor(((i + 1) * good.length) / 4), 0, { ...(good[i] as WireEvent), id })
    })
    const faults = new StoreWithFaults(store)
    faults.refusedIdPrefix = 'bad-row-'
    const before = await totals(store)

    await produceEvents(kafka, topic, 1, stream)
    const consumer = await startConsumer({
      kafka: { brokers, topic, dlqTopic, groupId: uniqueName('refused-group'), clientId: 'refused-test' },
      store: faults,
      batching: { batchRows: 1_000, batchBytes: 1024 * 1024, batchAgeMs: 100 },
    })
    await waitForEvents(store, before.events + good.length)
    await pollUntil('the refused rows dead-lettered', () => consumer.metrics.deadLettered === refusedIds.length)
    await consumer.stop()

    expect(expectExact(totalsAdded(await totals(store), before), good.length, expectedTagMentions(good))).toEqual([])
    // The halves of a split batch numbered their own users before they were stored.
    expect(await userNumberProblems(store)).toEqual([])
    const m = consumer.metrics.snapshot()
    expect(m.rejectedByReason).toEqual({ store_rejected: refusedIds.length })
    expect(m.stored).toBe(good.length)
    // Each refused row costs one refused insert per level of halving: far fewer than one insert per row.
    expect(faults.refusedInserts).toBeGreaterThan(refusedIds.length)
    expect(faults.refusedInserts).toBeLessThan(refusedIds.length * 12)

    const letters = await readTopic(brokers, dlqTopic, refusedIds.length)
    const idOf = (value: Buffer | null) => (JSON.parse(value?.toString() ?? '{}') as { id?: string }).id
    expect(letters.map((l) => idOf(l.value)).sort()).toEqual(refusedIds)
    for (const letter of letters) {
      expect(headerText(letter.headers, DLQ_HEADERS.reason)).toBe('store_rejected')
      const original = stream.find((e) => e.id === idOf(letter.value))
      // The original message, key (its user id) and value, unchanged.
      expect(letter.key?.toString()).toBe(original?.user_id)
      expect(letter.value?.toString()).toBe(JSON.stringify(original))
    }
  }, 90_000)
})
