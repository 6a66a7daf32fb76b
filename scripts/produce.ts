/**
 * Publishes events to Kafka: the seed story, or a rate-controlled synthetic stream at the current time.
 *
 *   pnpm produce [--brokers 127.0.0.1:9092] [--topic events] [--partitions 4] scenario [--scale 0.01] [--seed 1]
 *   pnpm produce [...] synthetic [--rate 10000] [--seconds 60] [--seed 1]
 *
 * Creates the topic if it is missing, keys each message by its user id, waits for all in-sync replicas (acks -1)
 * and prints one JSON line with what it sent. Brokers and topic default to KAFKA_BROKERS and KAFKA_TOPIC.
 */
import { parseArgs } from 'node:util'
import { generateScenario, liveEvents } from '@trendlens/fixtures'
import { createLogger, type Logger } from '@trendlens/ingest'
import {
  createKafka,
  DEFAULT_TOPIC_PARTITIONS,
  ensureTopics,
  eventProducer,
  publishChunks,
  publishPaced,
} from '@trendlens/ingest/kafka'

const USAGE = `usage: pnpm produce [--brokers host:port,...] [--topic events] [--partitions 4] <mode> [options]
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
  const startMs = Date.now()
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
        : await publishPaced(
            producer,
            topic,
            liveEvents({ startMs, ratePerSecond: numbers.rate, seed: numbers.seed }),
            { startMs, seconds: numbers.seconds, signal: stop.signal },
          )
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

// kafkajs's retry warnings would repeat what the one-line error below says.
await main(process.argv.slice(2), createLogger('error', { service: 'trendlens-producer' })).catch((error: unknown) => {
  if (error instanceof UsageError) {
    process.stderr.write(`produce: ${error.message}\n${USAGE}\n`)
    process.exit(2)
  }
  process.stderr.write(`produce: ${error instanceof UnreachableBrokerError ? error.message : String(error)}\n`)
  process.exit(1)
})
