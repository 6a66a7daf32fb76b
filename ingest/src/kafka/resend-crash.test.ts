/**
 * An at-least-once upstream producer with a crashing ingest worker: 50,000 messages of which 5,000 resend an
 * earlier id (same id, same body, a little later in the stream, so mostly in another batch than the original),
 * consumed by the product's ingest worker (`main.ts`, ROLE=ingest) in a child process that is killed with
 * SIGKILL mid-stream and started again. The tables then hold exactly the 45,000 distinct events, rollups included.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { WireEvent } from '@trendlens/contract'
import { Store } from '@trendlens/sql'
import { userNumberProblems } from '@trendlens/sql/testing'
import type { Message } from 'kafkajs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sleep } from '../retry.ts'
import { deleteTopic, ensureBroker, kafkaClient, pollUntil, recreateTopic } from './broker.ts'
import { eventProducer, toMessage } from './produce.ts'
import {
  chunksOf,
  committedTotal,
  expectExact,
  expectedTagMentions,
  ingestWorkerEnv,
  ProductProcesses,
  scenarioEvents,
  totals,
  uniqueName,
} from './test-support.ts'

const PARTITIONS = 4
const DISTINCT = 45_000
const RESENDS = 5_000
/**
 * A resend repeats one of the last this-many messages, at most RESEND_AGE_MS older in event time: a producer
 * retrying after a timeout, not days later (in the story's quiet hours 2,000 messages can span more than a day).
 */
const RESEND_REACH = 2_000
const RESEND_AGE_MS = 6 * 3_600_000
const PRODUCE_SLICE = 500
const PRODUCE_SLICE_MS = 100

let brokers: string[]
let dataDir: string
const topics: string[] = []
const workers = new ProductProcesses()

beforeAll(async () => {
  ;({ brokers } = await ensureBroker())
  dataDir = mkdtempSync(join(tmpdir(), 'trendlens-kafka-resend-'))
}, 600_000)

afterAll(async () => {
  workers.killAll()
  if (!process.env.KEEP_RESEND_DATA) rmSync(dataDir, { recursive: true, force: true })
  else console.log(`engine folder kept: ${dataDir}`)
  for (const topic of topics) await deleteTopic(brokers, topic).catch(() => {})
})

const tsOf = (event: WireEvent) => (typeof event.ts === 'number' ? event.ts : Date.parse(event.ts))

/** The stream: every distinct event once, and after every 9th message a resend of a random recent one. */
function streamWithResends(events: readonly WireEvent[], random: () => number): Message[] {
  const sent: WireEvent[] = []
  const messages: Message[] = []
  let resends = 0
  for (const event of events) {
    sent.push(event)
    messages.push(toMessage(event))
    if (sent.length % 9 === 0 && resends < RESENDS) {
      let reach = 1
      while (
        reach < Math.min(RESEND_REACH, sent.length) &&
        tsOf(event) - tsOf(sent.at(-1 - reach) as WireEvent) <= RESEND_AGE_MS
      ) {
        reach++
      }
      messages.push(toMessage(sent[sent.length - 1 - Math.floor(random() * reach)] as WireEvent))
      resends++
    }
  }
  return messages
}

describe('at-least-once producer and a worker killed with SIGKILL', () => {
  it('stores exactly the distinct events, rollups included', async () => {
    const topic = uniqueName('resend')
    const groupId = uniqueName('resend-group')
    topics.push(topic, `${topic}.dlq`)
    await recreateTopic(brokers, topic, PARTITIONS)
    const kafka = kafkaClient(brokers)
    const events = scenarioEvents(0.0002, 91, 'resend-').slice(0, DISTINCT)
    expect(events).toHaveLength(DISTINCT)
    let seed = 7
    const messages = streamWithResends(events, () => {
      seed = (seed * 48_271) % 2_147_483_647
      return seed / 2_147_483_647
    })
    expect(messages).toHaveLength(DISTINCT + RESENDS)
    const env = ingestWorkerEnv({
      brokers,
      topic,
      groupId,
      dataDir,
      batch: { rows: 400, bytes: 256 * 1024, ageMs: 100 },
    })

    const producer = eventProducer(kafka)
    await producer.connect()
    let killing = true
    const producing = (async () => {
      for (const slice of chunksOf(messages, PRODUCE_SLICE)) {
        const due = performance.now() + PRODUCE_SLICE_MS
        await producer.send({ topic, acks: -1, messages: slice })
        if (killing) await sleep(due - performance.now())
      }
    })()

    // Two workers killed mid-stream, once they have visibly made progress.
    for (let kill = 0; kill < 2; kill++) {
      const before = await committedTotal(kafka, groupId, topic)
      const worker = workers.start(env)
      await pollUntil(
        `worker ${kill + 1} to commit progress`,
        async () => {
          if (worker.child.exitCode !== null) throw new Error(`worker exited early:\n${worker.output()}`)
          return (await committedTotal(kafka, groupId, topic)) > before + 2_000
        },
        { timeoutMs: 90_000, intervalMs: 50 },
      )
      worker.child.kill('SIGKILL')
      await worker.exited
    }
    killing = false
    await producing
    await producer.disconnect()
    expect(await committedTotal(kafka, groupId, topic)).toBeLessThan(messages.length)

    const last = workers.start(env)
    await pollUntil(
      'the last worker to commit every offset',
      async () => {
        if (last.child.exitCode !== null) throw new Error(`worker exited early:\n${last.output()}`)
        return (await committedTotal(kafka, groupId, topic)) === messages.length
      },
      { timeoutMs: 240_000, intervalMs: 100 },
    )
    last.child.kill('SIGTERM')
    expect(await last.exited).toBe(0)

    const store = Store.open({ dataPath: dataDir, requestTimeoutMs: 60_000 })
    try {
      expect(expectExact(await totals(store), DISTINCT, expectedTagMentions(events))).toEqual([])
      expect(await userNumberProblems(store)).toEqual([])
    } finally {
      await store.close()
    }
  }, 480_000)
})
