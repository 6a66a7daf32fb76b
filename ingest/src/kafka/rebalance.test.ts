import { userNumberProblems } from '@trendlens/sql/testing'
import { describe, expect, it } from 'vitest'
import { sleep } from '../retry.ts'
import { kafkaClient, pollUntil } from './broker.ts'
import { eventProducer, toMessage } from './produce.ts'
import {
  chunksOf,
  committedTotal,
  expectExact,
  expectedTagMentions,
  type RunningConsumer,
  scenarioEvents,
  startConsumer,
  totals,
  uniqueName,
  useKafkaTestBed,
  waitForEvents,
} from './test-support.ts'

const PARTITIONS = 6
/** About 50k events, sent at ~1k/s while consumers join and leave (the last fifth waits for them), then at once. */
const SCALE = 0.0002
const PRODUCE_SLICE = 100
const PRODUCE_SLICE_MS = 100

const bed = useKafkaTestBed('rebalance')

describe('Kafka ingest through rebalances', () => {
  it('stores every event exactly once while consumers join and leave the group', async () => {
    const { brokers, store } = bed
    const { topic } = await bed.newTopic('rebalance', PARTITIONS)
    const groupId = uniqueName('rebalance-group')
    const kafka = kafkaClient(brokers)
    const events = scenarioEvents(SCALE, 61)
    const start = (name: string) =>
      startConsumer({
        kafka: { brokers, topic, dlqTopic: `${topic}.dlq`, groupId, clientId: name },
        store,
        batching: { batchRows: 500, batchBytes: 256 * 1024, batchAgeMs: 100 },
      })
    const storedNow = async () => (await totals(store)).events
    const progressBeyond = (count: number, what: string) =>
      pollUntil(what, async () => (await storedNow()) > count, { timeoutMs: 30_000 })

    const producer = eventProducer(kafka)
    await producer.connect()
    let produced = 0
    let rebalancing = true
    let rebalancesDone = () => {}
    const afterRebalances = new Promise<void>((resolve) => {
      rebalancesDone = resolve
    })
    const producing = (async () => {
      const slices = chunksOf(events, PRODUCE_SLICE)
      // The last fifth waits for the joins and leaves, so they happen mid-stream however slow the machine is.
      const heldBack = Math.floor(slices.length * 0.8)
      for (const [index, slice] of slices.entries()) {
        if (index === heldBack) await afterRebalances
        const due = performance.now() + PRODUCE_SLICE_MS
        await producer.send({ topic, acks: -1, messages: slice.map(toMessage) })
        produced += slice.length
        if (rebalancing) await sleep(due - performance.now())
      }
    })()

    const first = await start('first')
    await progressBeyond(0, 'the first consumer to store events')
    const second = await start('second')
    await progressBeyond(await storedNow(), 'progress after the second consumer joined')
    const third = await start('third')
    const consumers: RunningConsumer[] = [first, second, third]
    await pollUntil('each of three consumers to hold two partitions', () =>
      consumers.every((c) => c.assigned().length === PARTITIONS / 3),
    )
    await progressBeyond(await storedNow(), 'progress after the third consumer joined')
    const storedBeforeLeaving = await storedNow()
    await first.stop()
    await progressBeyond(storedBeforeLeaving, 'progress after the first consumer left')
    await second.stop()
    await pollUntil('the third consumer to hold every partition', () => third.assigned().length === PARTITIONS)
    // Every join and leave happened while the stream was still arriving.
    expect(produced).toBeLessThan(events.length)
    rebalancing = false
    rebalancesDone()

    await producing
    await producer.disconnect()
    // The last consumer catches up alone: on a busy machine that takes longer than the shared default allows.
    await waitForEvents(store, events.length, 180_000)
    await pollUntil(
      'every offset committed',
      async () => (await committedTotal(kafka, groupId, topic)) === events.length,
    )
    await third.stop()

    expect(expectExact(await totals(store), events.length, expectedTagMentions(events))).toEqual([])
    expect(await userNumberProblems(store)).toEqual([])
    const stored = consumers.map((c) => c.metrics.stored)
    expect(stored.every((count) => count > 0)).toBe(true)
  }, 300_000)
})
