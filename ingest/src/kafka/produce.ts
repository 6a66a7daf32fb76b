/**
 * Publishes events to Kafka, keyed by user id, acknowledged by all in-sync replicas (acks -1): chunks as fast as
 * the broker takes them, or a stream of one chunk per second paced on the wall clock. The producer CLI
 * (`pnpm produce`) feeds them the seed story or the live feed.
 */
import type { WireEvent } from '@trendlens/contract'
import { type Kafka, type Message, Partitioners, type Producer } from 'kafkajs'
import { sleep } from '../retry.ts'

/**
 * Bytes per partition in one send. kafkajs puts a send's messages for one partition into one record batch, which
 * the broker refuses above `message.max.bytes` (1 MiB by default); keys spread messages unevenly, so leave room.
 */
const SEND_BYTES_PER_PARTITION = 640 * 1024
/** Sends in flight at once, so the broker writes one request while the next one is being encoded. */
const SENDS_IN_FLIGHT = 4
/** A synthetic second is sent in this many slices, so the stream is steady rather than one burst a second. */
const SLICES_PER_SECOND = 10

export interface Published {
  sent: number
  bytes: number
  seconds: number
}

/**
 * User id as key and the JSON object as value. All of a user's events land in one partition, so only that partition's
 * worker numbers the user (see user-numbers.ts), and a resent event lands where the original did, as the dedup window
 * requires.
 */
export function toMessage(event: WireEvent): Message {
  return { key: event.user_id, value: JSON.stringify(event) }
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
      const size = (message.value as string).length + event.user_id.length
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
 * A stream of one chunk per second starting at `startMs`, for `seconds` seconds, sent in slices of a tenth of a
 * second on the wall clock. If sends fall behind, the next slice goes out at once (the achieved rate is in the
 * result).
 */
export async function publishPaced(
  producer: Producer,
  topic: string,
  stream: Iterable<readonly WireEvent[]>,
  options: { startMs: number; seconds: number; signal?: AbortSignal },
): Promise<Published> {
  const { startMs } = options
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
