/**
 * Test helpers for the local single-node Kafka broker that `scripts/kafka.sh` runs (KRaft, 127.0.0.1).
 *
 * - `ensureBroker()` starts it if needed (idempotent; the first call on a fresh machine also fetches the
 *   broker's jars with Maven) and returns its bootstrap address. `KAFKA_PORT` / `KAFKA_DIR` are passed through
 *   to the script, so a test run can use its own broker. If `KAFKA_BROKERS` is set (comma-separated), that
 *   cluster is used as is and nothing is started.
 * - `recreateTopic()` gives a test a fresh, empty topic with a known partition count.
 */
import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { type Admin, Kafka, logLevel } from 'kafkajs'

const KAFKA_SH = fileURLToPath(new URL('../../../scripts/kafka.sh', import.meta.url))
const HOST = '127.0.0.1'

export interface BrokerInfo {
  brokers: string[]
}

let started: Promise<BrokerInfo> | undefined

function runScript(
  command: 'start' | 'stop' | 'reset',
  timeoutMs: number,
  env: NodeJS.ProcessEnv = process.env,
): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      'bash',
      [KAFKA_SH, command],
      { env, timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error) {
          reject(new Error(`scripts/kafka.sh ${command} failed: ${error.message}\n${stderr}`))
        } else {
          resolve(`${stdout}${stderr}`)
        }
      },
    )
  })
}

/** Starts the local broker unless it already runs; resolves to its bootstrap address. Memoised per process. */
export function ensureBroker(): Promise<BrokerInfo> {
  const external = process.env.KAFKA_BROKERS?.trim()
  if (external) {
    return Promise.resolve({ brokers: external.split(',').map((b) => b.trim()) })
  }
  started ??= (async () => {
    await runScript('start', 10 * 60_000)
    const brokers = [`${HOST}:${process.env.KAFKA_PORT || '9092'}`]
    await waitForGroupCoordinator(brokers)
    return { brokers }
  })().catch((error: unknown) => {
    started = undefined
    throw error
  })
  return started
}

/**
 * On a fresh broker the first group request creates `__consumer_offsets` and its coordinator needs a moment to
 * load; a consumer joining then crashes once (retriably) and kafkajs logs errors. Wait here, silently, instead.
 */
async function waitForGroupCoordinator(brokers: string[]): Promise<void> {
  const kafka = new Kafka({ clientId: 'trendlens-warmup', brokers, logLevel: logLevel.NOTHING, retry: { retries: 0 } })
  const admin = kafka.admin()
  try {
    await pollUntil(
      'the group coordinator to be ready',
      async () => {
        await admin.connect()
        // kafkajs throws on a group-level error (e.g. COORDINATOR_LOAD_IN_PROGRESS), so success means ready.
        const { groups } = await admin.describeGroups(['trendlens-warmup'])
        return groups.length === 1
      },
      { timeoutMs: 60_000, intervalMs: 200 },
    )
  } finally {
    await admin.disconnect()
  }
}

export interface LocalBroker extends BrokerInfo {
  /** Starts it (formatting its storage the first time) and waits until its group coordinator answers. */
  start(): Promise<void>
  /** SIGTERM (a controlled shutdown), SIGKILL after a bounded wait. */
  stop(): Promise<void>
  /** Stops it and deletes its data. */
  reset(): Promise<void>
}

/**
 * A broker of its own, apart from the shared one: its own state folder and ports, for a test that stops and
 * restarts its broker without disturbing the tests that use the shared one.
 */
export function localBroker(options: { dir: string; port: number; controllerPort: number }): LocalBroker {
  const env = {
    ...process.env,
    KAFKA_DIR: options.dir,
    KAFKA_PORT: String(options.port),
    KAFKA_CONTROLLER_PORT: String(options.controllerPort),
  }
  const brokers = [`${HOST}:${options.port}`]
  return {
    brokers,
    start: async () => {
      await runScript('start', 10 * 60_000, env)
      await waitForGroupCoordinator(brokers)
    },
    stop: async () => {
      await runScript('stop', 2 * 60_000, env)
    },
    reset: async () => {
      await runScript('reset', 2 * 60_000, env)
    },
  }
}

/** Polls `check` until it returns a value other than `undefined`/`false`, or throws after `timeoutMs`. */
export async function pollUntil<T>(
  what: string,
  check: () => Promise<T | undefined | false> | T | undefined | false,
  { timeoutMs = 30_000, intervalMs = 100 }: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs
  let lastError: unknown
  for (;;) {
    try {
      const value = await check()
      if (value !== undefined && value !== false) return value
      lastError = undefined
    } catch (error) {
      lastError = error
    }
    if (Date.now() >= deadline) {
      const cause = lastError instanceof Error ? `: ${lastError.message}` : ''
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${cause}`)
    }
    await new Promise((r) => setTimeout(r, intervalMs))
  }
}

/** A kafkajs client for `brokers` that logs only errors (kafkajs is chatty at INFO). */
export function kafkaClient(brokers: string[], clientId = 'trendlens-test'): Kafka {
  return new Kafka({ clientId, brokers, logLevel: logLevel.ERROR, retry: { retries: 8 } })
}

/**
 * Deletes `topic` if it exists, waits until it is gone, creates it with `partitions` partitions (replication 1)
 * and waits until the metadata shows every partition with a leader.
 */
export async function recreateTopic(
  brokers: string[],
  topic: string,
  partitions: number,
  { timeoutMs = 30_000 }: { timeoutMs?: number } = {},
): Promise<void> {
  const admin: Admin = kafkaClient(brokers, 'trendlens-admin').admin()
  await admin.connect()
  try {
    if ((await admin.listTopics()).includes(topic)) {
      await admin.deleteTopics({ topics: [topic], timeout: timeoutMs })
      await pollUntil(`topic ${topic} to be deleted`, async () => !(await admin.listTopics()).includes(topic), {
        timeoutMs,
      })
    }
    // Right after a delete the broker may still report the topic as existing for a moment: retry the create.
    await pollUntil(
      `topic ${topic} to be created`,
      async () => {
        if ((await admin.listTopics()).includes(topic)) return true
        await admin.createTopics({
          topics: [{ topic, numPartitions: partitions, replicationFactor: 1 }],
          waitForLeaders: true,
          timeout: timeoutMs,
        })
        return true
      },
      { timeoutMs, intervalMs: 250 },
    )
    await pollUntil(
      `metadata of ${topic} to show ${partitions} partitions with leaders`,
      async () => {
        const { topics } = await admin.fetchTopicMetadata({ topics: [topic] })
        const meta = topics.find((t) => t.name === topic)
        return meta?.partitions.length === partitions && meta.partitions.every((p) => p.leader >= 0)
      },
      { timeoutMs },
    )
  } finally {
    await admin.disconnect()
  }
}

/** Deletes `topic` if it exists (best-effort cleanup). */
export async function deleteTopic(brokers: string[], topic: string): Promise<void> {
  const admin = kafkaClient(brokers, 'trendlens-admin').admin()
  await admin.connect()
  try {
    if ((await admin.listTopics()).includes(topic)) await admin.deleteTopics({ topics: [topic] })
  } finally {
    await admin.disconnect()
  }
}
