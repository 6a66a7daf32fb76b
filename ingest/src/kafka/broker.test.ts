/**
 * Proves kafkajs 2.2.4 against the local broker (`scripts/kafka.sh`): a 3-partition topic, 1000 produced
 * messages, a consumer group with `eachBatch`, manual resolve and manual `commitOffsets`, and a second consumer
 * in the same group that resumes exactly where the first one's commits end.
 */
import { randomUUID } from 'node:crypto'
import { type Consumer, type EachBatchPayload, Partitioners, type Producer } from 'kafkajs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { deleteTopic, ensureBroker, kafkaClient, pollUntil, recreateTopic } from './broker.ts'

const PARTITIONS = 3
const TOTAL = 1000
/** The first consumer processes and commits this many messages, then stops processing. */
const FIRST_CONSUMER_LIMIT = 600

const runId = `${process.pid}-${Date.now()}-${randomUUID().slice(0, 8)}`
const topic = `broker-test-${runId}`
const groupId = `broker-test-group-${runId}`

interface Seen {
  id: number
  partition: number
  offset: bigint
}

/**
 * Runs a consumer of `topic` in `groupId` with manual resolving and committing. It processes at most `limit`
 * messages, each partition strictly in offset order, and commits after each batch exactly what it processed.
 */
async function runConsumer(kafka: ReturnType<typeof kafkaClient>, seen: Seen[], limit: number): Promise<Consumer> {
  const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 250 })
  await consumer.connect()
  await consumer.subscribe({ topics: [topic], fromBeginning: true })
  await consumer.run({
    autoCommit: false,
    eachBatchAutoResolve: false,
    eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale }: EachBatchPayload) => {
      let next: string | undefined
      for (const message of batch.messages) {
        if (seen.length >= limit || !isRunning() || isStale()) break
        const { id } = JSON.parse(message.value?.toString() ?? 'null') as { id: number }
        seen.push({ id, partition: batch.partition, offset: BigInt(message.offset) })
        resolveOffset(message.offset)
        next = (BigInt(message.offset) + 1n).toString()
      }
      if (next !== undefined) {
        await consumer.commitOffsets([{ topic: batch.topic, partition: batch.partition, offset: next }])
      }
      await heartbeat()
    },
  })
  return consumer
}

async function committedTotal(kafka: ReturnType<typeof kafkaClient>): Promise<number> {
  const admin = kafka.admin()
  await admin.connect()
  try {
    const [entry] = await admin.fetchOffsets({ groupId, topics: [topic] })
    return (entry?.partitions ?? []).reduce((sum, p) => sum + Math.max(0, Number(p.offset)), 0)
  } finally {
    await admin.disconnect()
  }
}

function expectInOffsetOrder(seen: Seen[]): void {
  const last = new Map<number, bigint>()
  for (const s of seen) {
    const prev = last.get(s.partition)
    if (prev !== undefined) expect(s.offset).toBe(prev + 1n)
    last.set(s.partition, s.offset)
  }
}

describe('local Kafka broker with kafkajs 2.2.4', () => {
  let brokers: string[]
  let kafka: ReturnType<typeof kafkaClient>
  const open: Array<Producer | Consumer> = []

  beforeAll(async () => {
    ;({ brokers } = await ensureBroker())
    kafka = kafkaClient(brokers, `broker-test-${runId}`)
    await recreateTopic(brokers, topic, PARTITIONS)
  }, 600_000)

  afterAll(async () => {
    for (const client of open) await client.disconnect().catch(() => {})
    if (brokers) await deleteTopic(brokers, topic).catch(() => {})
  })

  it('produces, consumes with manual commits, and a second group member resumes from the commits', async () => {
    // Produce 1000 keyed messages (acks from all in-sync replicas).
    const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner })
    open.push(producer)
    await producer.connect()
    for (let start = 0; start < TOTAL; start += 250) {
      const messages = Array.from({ length: 250 }, (_, k) => {
        const id = start + k
        return { key: `user-${id % 97}`, value: JSON.stringify({ id }) }
      })
      await producer.send({ topic, acks: -1, messages })
    }
    await producer.disconnect()

    const admin = kafka.admin()
    await admin.connect()
    const offsets = await admin.fetchTopicOffsets(topic)
    await admin.disconnect()
    expect(offsets).toHaveLength(PARTITIONS)
    expect(offsets.reduce((sum, p) => sum + Number(p.high), 0)).toBe(TOTAL)
    expect(offsets.every((p) => Number(p.high) > 0)).toBe(true) // keys spread over all partitions

    // First consumer: processes and commits FIRST_CONSUMER_LIMIT messages, then leaves the group.
    const first: Seen[] = []
    const consumer1 = await runConsumer(kafka, first, FIRST_CONSUMER_LIMIT)
    open.push(consumer1)
    await pollUntil('the first consumer to process its share', () => first.length >= FIRST_CONSUMER_LIMIT, {
      timeoutMs: 45_000,
    })
    await pollUntil('the first consumer commits to reach the broker', async () => {
      return (await committedTotal(kafka)) === FIRST_CONSUMER_LIMIT
    })
    await consumer1.disconnect()
    expect(first).toHaveLength(FIRST_CONSUMER_LIMIT)

    // Second consumer, same group (and fromBeginning): reads exactly what was not committed.
    const second: Seen[] = []
    const consumer2 = await runConsumer(kafka, second, Number.POSITIVE_INFINITY)
    open.push(consumer2)
    await pollUntil('the second consumer to read the rest', () => second.length >= TOTAL - FIRST_CONSUMER_LIMIT, {
      timeoutMs: 45_000,
    })
    await pollUntil('all offsets to be committed', async () => (await committedTotal(kafka)) === TOTAL)
    await consumer2.disconnect()

    const firstIds = new Set(first.map((s) => s.id))
    const secondIds = new Set(second.map((s) => s.id))
    expect(firstIds.size).toBe(first.length) // no duplicates within the first consumer
    expect(second).toHaveLength(TOTAL - FIRST_CONSUMER_LIMIT) // nothing already committed is read again
    expect(secondIds.size).toBe(second.length)
    expect([...secondIds].filter((id) => firstIds.has(id))).toEqual([])
    expect(new Set([...firstIds, ...secondIds]).size).toBe(TOTAL)
    expectInOffsetOrder(first)
    expectInOffsetOrder(second)

    // Where the first consumer committed a partition part-way, the second one starts right after the commit.
    for (let p = 0; p < PARTITIONS; p++) {
      const firstOffsets = first.filter((s) => s.partition === p).map((s) => s.offset)
      const secondOffsets = second.filter((s) => s.partition === p).map((s) => s.offset)
      const committed = firstOffsets.length > 0 ? (firstOffsets.at(-1) ?? -1n) + 1n : 0n
      if (secondOffsets.length > 0) expect(secondOffsets[0]).toBe(committed)
    }
  }, 180_000)
})
