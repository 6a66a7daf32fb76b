/**
 * The broker stops and starts again mid-stream. This test runs its own broker (own state folder and ports), so
 * the tests sharing the usual one are not disturbed. The consumer loses its connection, its commits and its
 * fetches fail, kafkajs restarts it, and afterwards every event is stored exactly once.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Store } from '@trendlens/sql'
import { openTempStore } from '@trendlens/sql/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { WriterStore } from '../batch-writer.ts'
import { sleep } from '../retry.ts'
import { kafkaClient, type LocalBroker, localBroker, pollUntil, recreateTopic } from './broker.ts'
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
/** Ports apart from the shared broker's 9092/9093. */
const PORT = 19092
const CONTROLLER_PORT = 19093
/** Each insert takes at least this long, so the stream is still being stored while the broker restarts. */
const INSERT_DELAY_MS = 40

/** Test double at the store boundary: a real store whose inserts take at least INSERT_DELAY_MS (a slow disk). */
class SlowStore implements WriterStore {
  constructor(private readonly store: Store) {}
  appendRows(...args: Parameters<Store['appendRows']>): ReturnType<Store['appendRows']> {
    return this.store.appendRows(...args)
  }
  insertEvents(...args: Parameters<Store['insertEvents']>): ReturnType<Store['insertEvents']> {
    return this.store.insertEvents(...args)
  }
  async insertJsonLines(...args: Parameters<Store['insertJsonLines']>): ReturnType<Store['insertJsonLines']> {
    await sleep(INSERT_DELAY_MS)
    return this.store.insertJsonLines(...args)
  }
  queryOnWriter: Store['queryOnWriter'] = (name, params) => this.store.queryOnWriter(name, params)
}

let broker: LocalBroker
let brokerDir: string
let store: Store
let dispose: () => Promise<void>

beforeAll(async () => {
  brokerDir = mkdtempSync(join(tmpdir(), 'trendlens-kafka-restart-'))
  broker = localBroker({ dir: brokerDir, port: PORT, controllerPort: CONTROLLER_PORT })
  await broker.start()
  ;({ store, dispose } = await openTempStore('trendlens-kafka-restart-store-'))
}, 600_000)

afterAll(async () => {
  await stopAllConsumers()
  await dispose?.()
  await broker?.reset()
  if (brokerDir) rmSync(brokerDir, { recursive: true, force: true })
}, 120_000)

describe('Kafka ingest across a broker restart', () => {
  it('stores every event exactly once when the broker stops and starts mid-stream', async () => {
    const { brokers } = broker
    const topic = uniqueName('restart')
    const groupId = uniqueName('restart-group')
    await recreateTopic(brokers, topic, PARTITIONS)
    const kafka = kafkaClient(brokers)
    const events = scenarioEvents(0.0001, 51)
    const [before, after] = [events.slice(0, events.length / 2), events.slice(events.length / 2)]
    await produceEvents(kafka, topic, PARTITIONS, before)

    const consumer = await startConsumer({
      kafka: { brokers, topic, dlqTopic: `${topic}.dlq`, groupId, clientId: 'restart-test' },
      store: new SlowStore(store),
      batching: { batchRows: 250, batchBytes: 256 * 1024, batchAgeMs: 100 },
    })
    await pollUntil('some events stored', async () => (await totals(store)).events > 0)
    await broker.stop()
    const storedWhileDown = (await totals(store)).events
    expect(storedWhileDown).toBeLessThan(before.length)

    await broker.start()
    // Events produced after the restart are stored too.
    await produceEvents(kafka, topic, PARTITIONS, after)
    await waitForEvents(store, events.length, 90_000)
    await pollUntil(
      'every offset committed',
      async () => (await committedTotal(kafka, groupId, topic)) === events.length,
      {
        timeoutMs: 60_000,
      },
    )
    await consumer.stop()
    expect(expectExact(await totals(store), events.length, expectedTagMentions(events))).toEqual([])
  }, 170_000)
})
