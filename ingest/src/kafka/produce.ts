/**
 * Publishes events to Kafka: the seed story, or a rate-controlled synthetic stream at the current time.
 *
 *   npx tsx ingest/src/kafka/produce.ts [--brokers 127.0.0.1:9092] [--topic events] [--partitions 4] \
 *     scenario [--scale 0.01] [--seed 1]
 *   npx tsx ingest/src/kafka/produce.ts [...] synthetic [--rate 10000] [--seconds 60] [--seed 1]
 *
 * Creates the topic if it is missing, keys each message by its event id, waits for all in-sync replicas (acks -1)
 * and prints one JSON line with what it sent. Brokers and topic default to KAFKA_BROKERS and KAFKA_TOPIC.
 */
import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { type Kafka, type Message, Partitioners, type Producer } from 'kafkajs'
import { generateScenario, liveEvents } from '../../../fixtures/src/index.ts'
import type { WireEvent } from '../event.ts'
import { createLogger, type Logger } from '../log.ts'
import { sleep } from '../retry.ts'
import { createKafka, DEFAULT_TOPIC_PARTITIONS, ensureTopics } from './client.ts'

/**
 * Bytes per partition in one send. kafkajs puts a send's messages for one partition into one record batch, which
 * the broker refuses above `message.max.bytes` (1 MiB by default); keys spread messages unevenly, so leave room.
 */
export const SEND_BYTES_PER_PARTITION = 640 * 1024
/** Sends in flight at once, so the broker writes one request while the next one is being encoded. */
export const SENDS_IN_FLIGHT = 4
/** A synthetic second is sent in this many slices, so the stream is steady rather than one burst a second. */
const SLICES_PER_SECOND = 10

export interface Published {
  sent: number
  bytes: number
  seconds: number
}

/** Event id as key (so a partition's events are not reordered by a retry) and the JSON object as value. */
export function toMessage(event: WireEvent): Message {
  return { key: event.id, value: JSON.stringify(event) }
}

/** A kafkajs producer for publishing events: the default partitioner (murmur2 of the key, as in Java clients). */
export function eventProducer(kafka: Kafka): Producer {
  return kafka.producer({ allowAutoTopicCreation: false, createPartitioner: Partitioners.DefaultPartitioner })
}

/**
 * Publishes chunks of events to a topic of `partitions` partitions in large sends (`SEND_BYTES_PER_PARTITION` per
 * partition), with `SENDS_IN_FLIGHT` outstanding. Resolves when every send is acknowledged by all in-sync replicas.
 */
export async function publishChunks(
  producer: Producer,
  topic: string,
  partitions: number,
  chunks: Iterable<readonly WireEvent[]>,
  options: { signal?: AbortSignal; onAcknowledged?: (sent: number) => void } = {},
): Promise<Published> {
  const sendBytes = SEND_BYTES_PER_PARTITION * partitions
  const started = performance.now()
  let pendingBytes = 0
  const inFlight = new Set<Promise<void>>()
  let pending: Message[] = []
  let sent = 0
  let bytes = 0
  let failure: unknown
  const flush = async () => {
    const messages = pending
    pending = []
    pendingBytes = 0
    const send: Promise<void> = producer.send({ topic, acks: -1, messages }).then(
      () => {
        inFlight.delete(send)
        sent += messages.length
        options.onAcknowledged?.(sent)
      },
      (error: unknown) => {
        inFlight.delete(send)
        failure ??= error
      },
    )
    inFlight.add(send)
    if (inFlight.size >= SENDS_IN_FLIGHT) await Promise.race(inFlight)
    if (failure) throw failure
  }
  for (const chunk of chunks) {
    if (options.signal?.aborted) break
    for (const event of chunk) {
      const message = toMessage(event)
      const size = (message.value as string).length + event.id.length
      bytes += size
      pendingBytes += size
      pending.push(message)
      if (pendingBytes >= sendBytes) await flush()
    }
  }
  if (pending.length > 0) await flush()
  await Promise.all(inFlight)
  if (failure) throw failure
  return { sent, bytes, seconds: (performance.now() - started) / 1000 }
}

/**
 * A synthetic stream at the current time: `rate` events per second for `seconds` seconds, sent in slices of a
 * tenth of a second on the wall clock. If sends fall behind, the next slice goes out at once (the achieved rate
 * is in the result).
 */
export async function publishSynthetic(
  producer: Producer,
  topic: string,
  options: { rate: number; seconds: number; seed?: number; signal?: AbortSignal },
): Promise<Published> {
  const startMs = Date.now()
  const stream = liveEvents({ startMs, ratePerSecond: options.rate, seed: options.seed ?? startMs % 2 ** 31 })
  const started = performance.now()
  let sent = 0
  let bytes = 0
  let second = 0
  for (const chunk of stream) {
    if (second >= options.seconds || options.signal?.aborted) break
    const sliceSize = Math.ceil(chunk.length / SLICES_PER_SECOND)
    for (let slice = 0; slice < SLICES_PER_SECOND; slice++) {
      await sleep(
        Math.max(0, startMs + second * 1000 + slice * (1000 / SLICES_PER_SECOND) - Date.now()),
        options.signal,
      )
      const messages = chunk.slice(slice * sliceSize, (slice + 1) * sliceSize).map(toMessage)
      if (messages.length === 0) continue
      await producer.send({ topic, acks: -1, messages })
      sent += messages.length
      for (const message of messages) bytes += (message.value as string).length
    }
    second++
  }
  return { sent, bytes, seconds: (performance.now() - started) / 1000 }
}

const USAGE = `usage: produce.ts [--brokers host:port,...] [--topic events] [--partitions 4] <mode> [options]
  scenario  [--scale 0.01] [--seed 1]       the seed story (scale 1 is about 235 million events)
  synthetic [--rate 10000] [--seconds 60]   events at the current time, rate-controlled`

/** Wrong command-line input: reported as one line and exit code 2. */
class UsageError extends Error {}

/** The broker could not be reached: reported as one line and exit code 1, after a few seconds rather than a minute. */
class UnreachableBrokerError extends Error {}

/** A few quick retries: a mistyped or stopped broker is reported in seconds. */
const CLI_RETRY = { initialRetryTime: 300, maxRetryTime: 2_000, retries: 3 }

function parseCommandLine(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        brokers: { type: 'string', default: process.env.KAFKA_BROKERS ?? '127.0.0.1:9092' },
        topic: { type: 'string', default: process.env.KAFKA_TOPIC ?? 'events' },
        partitions: { type: 'string', default: String(DEFAULT_TOPIC_PARTITIONS) },
        scale: { type: 'string', default: '0.01' },
        seed: { type: 'string', default: '1' },
        rate: { type: 'string', default: '10000' },
        seconds: { type: 'string', default: '60' },
        help: { type: 'boolean', default: false },
      },
    })
  } catch (error) {
    // Node's messages name the option; its error codes and stacks are for programmers.
    throw new UsageError((error as Error).message.replace(/\s*\n\s*/g, ' '))
  }
}

async function main(argv: string[], log: Logger): Promise<void> {
  const { values, positionals } = parseCommandLine(argv)
  const mode = positionals[0]
  if (values.help) {
    process.stdout.write(`${USAGE}\n`)
    return
  }
  if (mode !== 'scenario' && mode !== 'synthetic') {
    throw new UsageError(mode === undefined ? 'no mode given' : `unknown mode "${mode}"`)
  }
  if (positionals.length > 1) throw new UsageError(`unexpected argument "${positionals[1]}"`)
  const numbers = {
    partitions: positiveNumber('partitions', values.partitions),
    scale: positiveNumber('scale', values.scale),
    seed: positiveNumber('seed', values.seed),
    rate: positiveNumber('rate', values.rate),
    seconds: positiveNumber('seconds', values.seconds),
  }
  const brokers = values.brokers
    .split(',')
    .map((b) => b.trim())
    .filter(Boolean)
  if (brokers.length === 0) throw new UsageError('--brokers is empty')
  const topic = values.topic
  const kafka = createKafka({ brokers, clientId: 'trendlens-producer' }, log, CLI_RETRY)
  const admin = kafka.admin()
  try {
    await admin.connect()
  } catch (error) {
    throw new UnreachableBrokerError(
      `cannot reach the Kafka broker at ${brokers.join(',')}: ${(error as Error).message}`,
    )
  }
  const partitions = await ensureTopics(admin, [{ topic, partitions: Math.round(numbers.partitions) }]).finally(() =>
    admin.disconnect(),
  )
  const producer = eventProducer(kafka)
  await producer.connect()
  const stop = new AbortController()
  process.once('SIGINT', () => stop.abort())
  try {
    const result =
      mode === 'scenario'
        ? await publishChunks(
            producer,
            topic,
            partitions.get(topic) ?? 1,
            generateScenario({ scale: numbers.scale, seed: numbers.seed }),
            { signal: stop.signal },
          )
        : await publishSynthetic(producer, topic, {
            rate: numbers.rate,
            seconds: numbers.seconds,
            seed: numbers.seed,
            signal: stop.signal,
          })
    process.stdout.write(
      `${JSON.stringify({
        mode,
        topic,
        partitions: partitions.get(topic),
        sent: result.sent,
        megabytes: Number((result.bytes / 1e6).toFixed(1)),
        seconds: Number(result.seconds.toFixed(1)),
        eventsPerSecond: Math.round(result.sent / Math.max(result.seconds, 0.001)),
        ...(mode === 'scenario' ? { scale: numbers.scale, seed: numbers.seed } : { rate: numbers.rate }),
      })}\n`,
    )
  } finally {
    await producer.disconnect()
  }
}

function positiveNumber(name: string, text: string): number {
  const value = Number(text)
  if (!(value > 0) || !Number.isFinite(value)) {
    throw new UsageError(`--${name} must be a positive number, got "${text}"`)
  }
  return value
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  // kafkajs's retry warnings would repeat what the one-line error below says.
  await main(process.argv.slice(2), createLogger('error', { service: 'trendlens-producer' })).catch(
    (error: unknown) => {
      if (error instanceof UsageError) {
        process.stderr.write(`produce: ${error.message}\n${USAGE}\n`)
        process.exit(2)
      }
      process.stderr.write(`produce: ${error instanceof UnreachableBrokerError ? error.message : String(error)}\n`)
      process.exit(1)
    },
  )
}
