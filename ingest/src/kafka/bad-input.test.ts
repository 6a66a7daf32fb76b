import { MAX_EVENT_BYTES, MAX_HASHTAGS } from '@trendlens/contract'
import type { Message } from 'kafkajs'
import { describe, expect, it } from 'vitest'
import { kafkaClient } from './broker.ts'
import { DLQ_HEADERS, headerText } from './dead-letter.ts'
import { eventProducer, toMessage } from './produce.ts'
import {
  chunksOf,
  expectExact,
  expectedTagMentions,
  readTopic,
  scenarioEvents,
  startConsumer,
  totals,
  uniqueName,
  useKafkaTestBed,
  waitForEvents,
} from './test-support.ts'

const PARTITIONS = 2
const NOW = Date.now()
const good = { type: 'view', ts: NOW - 60_000, user_id: 'u1', note_id: 'n1', hashtags: ['ok'] }
const json = (value: unknown) => Buffer.from(JSON.stringify(value))

/** Each malformed message and the reason code it must be dead-lettered with. */
const CORPUS: Array<{ name: string; value: Buffer | null; reason: string }> = [
  { name: 'bad-json', value: Buffer.from('{"id": "b1", "type": "view",'), reason: 'bad_json' },
  { name: 'bad-utf8', value: Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]), reason: 'bad_utf8' },
  { name: 'null-value', value: null, reason: 'bad_json' },
  { name: 'empty-value', value: Buffer.alloc(0), reason: 'bad_json' },
  { name: 'array', value: json([1, 2, 3]), reason: 'not_an_object' },
  { name: 'missing-id', value: json({ ...good }), reason: 'bad_id' },
  { name: 'numeric-id', value: json({ ...good, id: 42 }), reason: 'bad_id' },
  { name: 'wrong-type', value: json({ ...good, id: 'b2', type: 'like' }), reason: 'bad_type' },
  { name: 'missing-ts', value: json({ ...good, id: 'b3', ts: undefined }), reason: 'bad_ts' },
  { name: 'ts-words', value: json({ ...good, id: 'b4', ts: 'yesterday' }), reason: 'bad_ts' },
  { name: 'ts-1970', value: json({ ...good, id: 'b5', ts: 1 }), reason: 'ts_out_of_range' },
  { name: 'ts-future', value: json({ ...good, id: 'b6', ts: NOW + 400 * 86_400_000 }), reason: 'ts_out_of_range' },
  { name: 'missing-user', value: json({ ...good, id: 'b7', user_id: undefined }), reason: 'bad_user_id' },
  { name: 'missing-note', value: json({ ...good, id: 'b8', note_id: undefined }), reason: 'bad_note_id' },
  { name: 'tags-string', value: json({ ...good, id: 'b9', hashtags: '#a #b' }), reason: 'bad_hashtags' },
  {
    name: 'too-many-tags',
    value: json({ ...good, id: 'b10', hashtags: Array.from({ length: MAX_HASHTAGS + 5 }, (_, i) => `t${i}`) }),
    reason: 'too_many_hashtags',
  },
  { name: 'long-tag', value: json({ ...good, id: 'b11', hashtags: ['x'.repeat(200)] }), reason: 'hashtag_too_long' },
  { name: 'bad-region', value: json({ ...good, id: 'b12', region: 'Narnia' }), reason: 'bad_region' },
  { name: 'bad-ip', value: json({ ...good, id: 'b13', ip: '999.1.1.1' }), reason: 'bad_ip' },
  { name: 'bad-lang', value: json({ ...good, id: 'b14', lang: '!!' }), reason: 'bad_lang' },
  {
    name: 'oversized',
    value: json({ ...good, id: 'b15', note_id: 'n'.repeat(MAX_EVENT_BYTES) }),
    reason: 'too_large',
  },
]

const bed = useKafkaTestBed('bad-input')

describe('Kafka ingest with malformed messages', () => {
  it('dead-letters every bad message with its reason and original bytes, and stores every good one', async () => {
    const { brokers, store } = bed
    const { topic, dlqTopic } = await bed.newTopic('bad-input', PARTITIONS)
    const kafka = kafkaClient(brokers)
    const events = scenarioEvents(0.00005, 41)
    const [firstHalf, secondHalf] = [events.slice(0, events.length / 2), events.slice(events.length / 2)]

    const consumer = await startConsumer({
      kafka: { brokers, topic, dlqTopic, groupId: uniqueName('bad-input-group'), clientId: 'bad-input-test' },
      store,
    })
    // Good events with the corpus spread through them, in a few sends.
    const stream: Message[] = []
    const goodChunks = chunksOf(firstHalf, Math.ceil(firstHalf.length / CORPUS.length))
    CORPUS.forEach((bad, i) => {
      stream.push(...(goodChunks[i] ?? []).map(toMessage), { key: bad.name, value: bad.value })
    })
    const producer = eventProducer(kafka)
    await producer.connect()
    for (const messages of chunksOf(stream, 2_000)) await producer.send({ topic, acks: -1, messages })
    await waitForEvents(store, firstHalf.length)

    // The consumer never stopped: the rest of the stream is stored too.
    await producer.send({ topic, acks: -1, messages: secondHalf.map(toMessage) })
    await producer.disconnect()
    await waitForEvents(store, events.length)
    expect(expectExact(await totals(store), events.length, expectedTagMentions(events))).toEqual([])

    const letters = await readTopic(brokers, dlqTopic, CORPUS.length)
    expect(letters).toHaveLength(CORPUS.length)
    const source = await readTopic(brokers, topic, events.length + CORPUS.length)
    const sourceAt = new Map(source.map((m) => [`${m.partition}/${m.offset}`, m]))
    for (const bad of CORPUS) {
      const letter = letters.find((m) => m.key?.toString() === bad.name)
      expect(letter, bad.name).toBeDefined()
      if (!letter) continue
      const header = (name: string) => headerText(letter.headers, name)
      expect(header(DLQ_HEADERS.reason), bad.name).toBe(bad.reason)
      expect(header(DLQ_HEADERS.error), bad.name).toMatch(/\w/)
      expect(header(DLQ_HEADERS.sourceTopic)).toBe(topic)
      expect(Date.parse(header(DLQ_HEADERS.failedAt) ?? '')).toBeGreaterThanOrEqual(NOW)
      // The headers point at the original message, and the dead letter carries its bytes exactly.
      const original = sourceAt.get(`${header(DLQ_HEADERS.sourcePartition)}/${header(DLQ_HEADERS.sourceOffset)}`)
      expect(original?.key?.toString(), bad.name).toBe(bad.name)
      expect(letter.value, bad.name).toEqual(original?.value)
      if (bad.value?.length) expect(Buffer.compare(letter.value ?? Buffer.alloc(0), bad.value), bad.name).toBe(0)
      else expect(letter.value?.length ?? 0, bad.name).toBe(0)
    }

    const m = consumer.metrics.snapshot()
    expect(m.deadLettered).toBe(CORPUS.length)
    expect(m.rejected).toBe(CORPUS.length)
    expect(m.stored).toBe(events.length)
    const expectedByReason: Record<string, number> = {}
    for (const bad of CORPUS) expectedByReason[bad.reason] = (expectedByReason[bad.reason] ?? 0) + 1
    expect(m.rejectedByReason).toEqual(expectedByReason)
    await consumer.stop()
  }, 90_000)
})
