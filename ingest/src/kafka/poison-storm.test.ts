/**
 * A poison storm at the broker's default limits, produced by a Kafka client nobody here wrote (Debian's `kcat`):
 * 10,000 bad messages (random bytes, 12 KB garbage, and one message larger than the dead-letter topic accepts once
 * its headers are added) mixed with 10,000 good events. Every good event is stored once, every bad one reaches the
 * dead-letter topic, and the ingest never stops. Then a dead-letter topic that cannot be written to pauses the ingest
 * (visibly, with the reason), nothing is committed past the undelivered dead letter, and it resumes by itself.
 */
import { execFile } from 'node:child_process'
import { createHash, randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { IngestState } from '@trendlens/contract'
import type { Message } from 'kafkajs'
import { afterAll, describe, expect, it } from 'vitest'
import { deleteTopic, kafkaClient, pollUntil, recreateTopic } from './broker.ts'
import { DEFAULT_MAX_MESSAGE_BYTES, DLQ_HEADERS, headerText } from './dead-letter.ts'
import { eventProducer, toMessage } from './produce.ts'
import {
  chunksOf,
  committedTotal,
  expectExact,
  expectedTagMentions,
  readTopic,
  scenarioEvents,
  startConsumer,
  totals,
  totalsAdded,
  uniqueName,
  useKafkaTestBed,
  waitForEvents,
} from './test-support.ts'

const PARTITIONS = 4
const GOOD = 10_000
const BAD = 10_000
const GARBAGE_12K = 2_000
const ROUNDS = 10
/** Fits the source topic (1 MiB default) alone, but not with the dead letter's headers added. */
const HUGE_BYTES = 1_048_400
/** kcat splits its input on this; generated garbage that contains it is regenerated. */
const DELIMITER = '~|trendlens-sep|~'

const bed = useKafkaTestBed('poison-storm')
const scratch = mkdtempSync(join(tmpdir(), 'trendlens-poison-'))
afterAll(() => rmSync(scratch, { recursive: true, force: true }))

/** Produces with kcat: `input` split on DELIMITER, or each file in `files` as one message. */
function kcat(brokers: string[], topic: string, args: { input?: Buffer; files?: string[] }): Promise<void> {
  const argv = ['-P', '-b', brokers.join(','), '-t', topic, '-X', 'message.max.bytes=2000000', '-X', 'acks=all']
  if (args.input) argv.push('-D', DELIMITER)
  argv.push(...(args.files ?? []))
  return new Promise((resolve, reject) => {
    const child = execFile('kcat', argv, { maxBuffer: 1 << 20 }, (error, _stdout, stderr) =>
      error ? reject(new Error(`kcat failed: ${error.message}\n${stderr}`)) : resolve(),
    )
    if (args.input) child.stdin?.end(args.input)
  })
}

/** Bad messages: mostly random bytes, some 12 KB garbage; none contains the delimiter or parses as an event. */
function badMessages(count: number, garbage12k: number): Buffer[] {
  const out: Buffer[] = []
  const delimiter = Buffer.from(DELIMITER)
  while (out.length < count) {
    const big = out.length < garbage12k
    const value = big
      ? Buffer.from(`{"id": "garbage-${out.length}", ${randomBytes(6_144).toString('hex')}`).subarray(0, 12_288)
      : randomBytes(1 + Math.floor(Math.random() * 512))
    if (value.includes(delimiter)) continue
    out.push(value)
  }
  return out
}

describe('Kafka ingest in a poison storm', () => {
  it('stores every good event once, dead-letters every bad one, and never stops', async () => {
    const { brokers, store } = bed
    const { topic, dlqTopic } = await bed.newTopic('poison', PARTITIONS)
    const kafka = kafkaClient(brokers)
    const events = scenarioEvents(0.00005, 53, 'poison-').slice(0, GOOD)
    expect(events).toHaveLength(GOOD)
    const before = await totals(store)

    // Rounds of kcat's bad messages between kafkajs's good ones; the one oversized message in the middle.
    const bad = badMessages(BAD - 1, GARBAGE_12K)
    const producer = eventProducer(kafka)
    await producer.connect()
    const goodChunks = chunksOf(events, GOOD / ROUNDS)
    const badChunks = chunksOf(bad, Math.ceil(bad.length / ROUNDS))
    const hugeFile = join(scratch, 'huge.bin')
    const huge = Buffer.alloc(HUGE_BYTES, 'x')
    writeFileSync(hugeFile, huge)
    for (let round = 0; round < ROUNDS; round++) {
      const chunk = badChunks[round] ?? []
      await kcat(brokers, topic, { input: Buffer.concat(chunk.flatMap((value) => [value, Buffer.from(DELIMITER)])) })
      for (const messages of chunksOf((goodChunks[round] ?? []).map(toMessage), 500)) {
        await producer.send({ topic, acks: -1, messages })
      }
      if (round === ROUNDS / 2) await kcat(brokers, topic, { files: [hugeFile] })
    }
    await producer.disconnect()

    const groupId = uniqueName('poison-group')
    const started = performance.now()
    const consumer = await startConsumer({
      kafka: { brokers, topic, dlqTopic, groupId, clientId: 'poison-test' },
      store,
    })
    const states = new Set<IngestState>()
    const watch = setInterval(() => states.add(consumer.metrics.state), 20)
    try {
      await pollUntil(
        'every message committed',
        async () => (await committedTotal(kafka, groupId, topic)) === GOOD + BAD,
        { timeoutMs: 240_000, intervalMs: 200 },
      )
    } finally {
      clearInterval(watch)
    }
    const seconds = (performance.now() - started) / 1000
    console.log(
      `poison storm: ${GOOD + BAD} messages (${BAD} bad) in ${seconds.toFixed(1)} s, ` +
        `${Math.round((GOOD + BAD) / seconds)} messages/s, ${Math.round(GOOD / seconds)} good events/s stored`,
    )
    await waitForEvents(store, before.events + GOOD)
    expect(expectExact(totalsAdded(await totals(store), before), GOOD, expectedTagMentions(events))).toEqual([])
    expect(states.has('stopped')).toBe(false)
    expect(states.has('paused')).toBe(false)
    const m = consumer.metrics.snapshot()
    expect(m.stored).toBe(GOOD)
    expect(m.deadLettered).toBe(BAD)
    expect(m.lastFailure).toBeNull()
    await consumer.stop()

    const letters = await readTopic(brokers, dlqTopic, BAD)
    expect(letters).toHaveLength(BAD)
    const sources = letters.map(
      (l) => `${headerText(l.headers, DLQ_HEADERS.sourcePartition)}/${headerText(l.headers, DLQ_HEADERS.sourceOffset)}`,
    )
    expect(new Set(sources).size).toBe(BAD)
    const cut = letters.filter((l) => headerText(l.headers, DLQ_HEADERS.originalSize) !== undefined)
    expect(cut).toHaveLength(1)
    const [letter] = cut
    expect(headerText(letter?.headers, DLQ_HEADERS.originalSize)).toBe(String(HUGE_BYTES))
    expect(headerText(letter?.headers, DLQ_HEADERS.originalSha256)).toBe(
      createHash('sha256').update(huge).digest('hex'),
    )
    expect(letter?.value?.length).toBeLessThan(DEFAULT_MAX_MESSAGE_BYTES - 200)
    expect(letter?.value?.equals(huge.subarray(0, letter.value.length))).toBe(true)
    // Every other bad message is in the dead-letter topic byte for byte.
    const letterValues = new Set(letters.map((l) => l.value?.toString('base64')))
    expect(bad.filter((value) => !letterValues.has(value.toString('base64')))).toEqual([])
  }, 300_000)

  it('pauses while the dead-letter topic is missing, commits nothing past it, and resumes by itself', async () => {
    const { brokers, store } = bed
    const { topic, dlqTopic } = await bed.newTopic('dlq-down', 1)
    const kafka = kafkaClient(brokers)
    const events = scenarioEvents(0.00005, 59, 'dlq-down-').slice(0, 400)
    const before = await totals(store)
    const groupId = uniqueName('dlq-down-group')
    const consumer = await startConsumer({
      kafka: { brokers, topic, dlqTopic, groupId, clientId: 'dlq-down-test' },
      store,
    })
    // The dead-letter topic disappears (the broker creates no topics by itself): every dead letter is refused.
    await deleteTopic(brokers, dlqTopic)
    try {
      const stream: Message[] = [
        ...events.slice(0, 200).map(toMessage),
        { key: 'bad', value: Buffer.from('not json') },
        ...events.slice(200).map(toMessage),
      ]
      const producer = eventProducer(kafka)
      await producer.connect()
      await producer.send({ topic, acks: -1, messages: stream })
      await producer.disconnect()

      await pollUntil(
        'the ingest to pause for the dead-letter topic',
        () => consumer.metrics.state === 'paused' && consumer.metrics.stateReason?.code === 'dead_letter_unavailable',
        { timeoutMs: 60_000 },
      )
      const paused = consumer.metrics.snapshot()
      expect(paused.lastError).toMatch(/\w/)
      // The pause holds through several retries, and the bad message's offset (200) is never committed past.
      await pollUntil(
        'the pause to last 3 s',
        () =>
          consumer.metrics.state === 'paused' &&
          Date.now() - Date.parse(consumer.metrics.snapshot().stateSince) > 3_000,
        { timeoutMs: 60_000 },
      )
      const committedWhilePaused = await committedTotal(kafka, groupId, topic)
      expect(committedWhilePaused).toBeLessThanOrEqual(200)

      await recreateTopic(brokers, dlqTopic, 1)
      await pollUntil(
        'every offset committed after the dead-letter topic recovers',
        async () => (await committedTotal(kafka, groupId, topic)) === stream.length,
        { timeoutMs: 60_000 },
      )
      await waitForEvents(store, before.events + events.length)
      expect(expectExact(totalsAdded(await totals(store), before), events.length, expectedTagMentions(events))).toEqual(
        [],
      )
      const after = consumer.metrics.snapshot()
      expect(after.state).toBe('running')
      expect(after.lastError).toBeNull()
      expect(after.lastFailure?.error).toMatch(/\w/)
      const letters = await readTopic(brokers, dlqTopic, 1)
      expect(letters.map((l) => l.key?.toString())).toEqual(['bad'])
    } finally {
      await consumer.stop()
    }
  }, 180_000)
})
