/**
 * The composition root as a process: the API names the seed story and writes its annotations only when the product
 * runs on the seed data; a Kafka deployment says nothing of the story. ROLE=api keeps the broker out of it (the
 * API role never connects to Kafka), so only the settings decide. A taken port stops the process with one line
 * before the schema is touched; an ingest-only worker serves its health and metrics on its own port.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { createServer, type Server } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { AnnotationList, IngestSnapshot, LoadProgress, MetaReport, RegionSplitReport } from '@trendlens/contract'
import { IN_PROCESS_RANGE, USER_NUMBER_RANGE_SIZE } from '@trendlens/ingest'
import {
  deleteTopic,
  ensureBroker,
  kafkaClient,
  produceEvents,
  recreateTopic,
  scenarioEvents,
  uniqueName,
} from '@trendlens/ingest/testing'
import { migrate, Store } from '@trendlens/sql'
import { userNumberProblems } from '@trendlens/sql/testing'
import { afterEach, describe, expect, it } from 'vitest'

const ROOT = fileURLToPath(new URL('.', import.meta.url))
const STARTUP_TIMEOUT_MS = 90_000
const POLL_MS = 200

interface Running {
  url: string
  /** What the process has logged so far (the last 20,000 characters). */
  output: () => string
  stop: () => Promise<void>
}

const running: Running[] = []

afterEach(async () => {
  await Promise.all(running.splice(0).map((product) => product.stop()))
})

/**
 * Starts `main.ts` on a free port and waits until it listens: on a fresh data folder removed when it stops, or on
 * the one given, which is kept.
 */
async function startProduct(env: Record<string, string>, keptDataDir?: string): Promise<Running> {
  const dataDir = keptDataDir ?? mkdtempSync(join(tmpdir(), 'trendlens-main-'))
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'main.ts'], {
    cwd: ROOT,
    env: { ...process.env, KAFKA_BROKERS: '', PORT: '0', DATA_DIR: dataDir, OPEN_BROWSER: 'false', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000)
  }
  child.stdout?.on('data', keep)
  child.stderr?.on('data', keep)
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const stop = async () => {
    child.kill('SIGTERM')
    await exited
    if (!keptDataDir) rmSync(dataDir, { recursive: true, force: true })
  }
  const product = { url: '', output: () => output, stop }
  running.push(product)
  const deadline = Date.now() + STARTUP_TIMEOUT_MS
  while (Date.now() < deadline) {
    const listening = /"msg":"listening".*?"url":"(http:\/\/[^"]+)"/.exec(output)
    if (listening?.[1]) {
      product.url = listening[1]
      return product
    }
    if (child.exitCode !== null) throw new Error(`main.ts exited with ${child.exitCode}:\n${output}`)
    await new Promise((resolve) => setTimeout(resolve, POLL_MS))
  }
  throw new Error(`main.ts did not listen within ${STARTUP_TIMEOUT_MS} ms:\n${output}`)
}

async function getJson<T>(url: string): Promise<T> {
  const response = await fetch(url)
  expect(response.status).toBe(200)
  return (await response.json()) as T
}

const STORY_WEEK = 'from=2025-01-10&to=2025-01-21'
const HOUR = 3_600_000

/** The fields of the first log line with this message, once the process has written it. */
async function logged(product: Running, message: string): Promise<Record<string, unknown>> {
  const deadline = Date.now() + STARTUP_TIMEOUT_MS
  while (Date.now() < deadline) {
    const line = product
      .output()
      .split('\n')
      .find((text) => text.includes(`"msg":"${message}"`))
    if (line) return JSON.parse(line) as Record<string, unknown>
    await new Promise((resolve) => setTimeout(resolve, POLL_MS))
  }
  throw new Error(`no "${message}" within ${STARTUP_TIMEOUT_MS} ms:\n${product.output()}`)
}

interface Backfill {
  from: number
  to: number
  rows: number
}

async function backfillOf(product: Running): Promise<Backfill> {
  const fields = await logged(product, 'live backfill stored')
  expect(fields.rejected).toBe(0)
  return { from: Date.parse(String(fields.from)), to: Date.parse(String(fields.to)), rows: Number(fields.rows) }
}

/** The raw events of [from, to) as (ts, id) pairs, from the product's own CSV export. */
async function exportedEvents(product: Running, from: number, to: number): Promise<{ ts: number; id: string }[]> {
  const range = `from=${new Date(from).toISOString()}&to=${new Date(to).toISOString()}`
  const response = await fetch(`${product.url}/api/export/events.csv?${range}`)
  expect(response.status).toBe(200)
  const [header, ...lines] = (await response.text()).split(/\r?\n/).filter((line) => line.length > 0)
  const columns = (header ?? '').split(',').map((name) => name.replaceAll('"', ''))
  const tsAt = columns.indexOf('ts')
  const idAt = columns.indexOf('id')
  return lines.map((line) => {
    const cells = line.split(',')
    return { ts: Number(cells[tsAt]), id: String(cells[idAt]).replaceAll('"', '') }
  })
}

/** Another process's listener on a free loopback port. */
async function holdPort(): Promise<{ port: number; server: Server }> {
  const server = createServer()
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', resolve)
  })
  const address = server.address()
  if (address === null || typeof address === 'string') throw new Error('no port')
  return { port: address.port, server }
}

/** Runs `main.ts` to its exit; resolves to its exit code and what it wrote. */
function runToExit(env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'main.ts'], {
    cwd: ROOT,
    env: { ...process.env, KAFKA_BROKERS: '', OPEN_BROWSER: 'false', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString()
  })
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString()
  })
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr })))
}

async function pollUntil<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    const value = await probe()
    if (value !== undefined) return value
    await new Promise((resolve) => setTimeout(resolve, POLL_MS))
  }
  throw new Error(`${what} did not happen within ${timeoutMs} ms`)
}

describe('main.ts', () => {
  it('with Kafka and no seed, the API says nothing of the story and writes none of its annotations', async () => {
    const product = await startProduct({ ROLE: 'api', KAFKA_BROKERS: '127.0.0.1:9092' })
    const meta = await getJson<MetaReport>(`${product.url}/api/meta`)
    expect(meta.story).toBeNull()
    const annotations = await getJson<AnnotationList>(`${product.url}/api/annotations?${STORY_WEEK}`)
    expect(annotations.rows).toEqual([])
  })

  it('on the seed data, the API names the story and its annotations are written once', async () => {
    const product = await startProduct({ ROLE: 'api', SEED_SOURCE: 'sample', LIVE_RATE: '0' })
    const meta = await getJson<MetaReport>(`${product.url}/api/meta`)
    expect(meta.story).toMatchObject({ tag: 'tiktokrefugee', from: '2025-01-10T00:00:00+08:00' })
    const annotations = await getJson<AnnotationList>(`${product.url}/api/annotations?${STORY_WEEK}`)
    expect(annotations.rows.map((row) => row.id).sort()).toEqual(['S5', 'S6'])
  })

  it('a port held by another process stops it with one line and exit code 3, before any migration', async () => {
    const held = await holdPort()
    const folder = mkdtempSync(join(tmpdir(), 'trendlens-port-'))
    const dataDir = join(folder, 'chdb')
    try {
      for (const role of ['all', 'api', 'ingest']) {
        const result = await runToExit({ ROLE: role, HOST: '127.0.0.1', PORT: String(held.port), DATA_DIR: dataDir })
        expect(result.code).toBe(3)
        expect(result.stderr).toBe(
          `port ${held.port} on 127.0.0.1 is already in use; stop the other process or set PORT to a free port\n`,
        )
        expect(result.stdout).not.toContain('schema ready')
      }
      // The engine's folder was never opened; a store opened on it now finds every migration still to apply.
      expect(existsSync(dataDir)).toBe(false)
      const store = Store.open({ dataPath: dataDir, requestTimeoutMs: 60_000 })
      try {
        const migration = await migrate(store)
        expect(migration.skipped).toEqual([])
        expect(migration.applied.length).toBeGreaterThan(0)
      } finally {
        await store.close()
      }
    } finally {
      held.server.close()
      rmSync(folder, { recursive: true, force: true })
    }
  })

  it('ROLE=ingest serves /healthz, /readyz and /metrics of its consumer on its own port', async () => {
    const { brokers } = await ensureBroker()
    const topic = uniqueName('main-ingest')
    await recreateTopic(brokers, topic, 2)
    try {
      const worker = await startProduct({
        ROLE: 'ingest',
        KAFKA_BROKERS: brokers.join(','),
        KAFKA_TOPIC: topic,
        KAFKA_DLQ_TOPIC: `${topic}.dlq`,
        KAFKA_GROUP: uniqueName('main-ingest-group'),
        INGEST_BATCH_AGE_MS: '100',
      })
      expect((await getJson<{ status: string }>(`${worker.url}/healthz`)).status).toBe('ok')
      const ready = await pollUntil('the worker to be ready with its consumer running', async () => {
        const response = await fetch(`${worker.url}/readyz`)
        const body = (await response.json()) as { status?: string; ingest?: string }
        return response.status === 200 && body.ingest === 'running' ? body : undefined
      })
      expect(ready).toMatchObject({ status: 'ready', backend: 'embedded', ingest: 'running' })

      const events = scenarioEvents(0.00002, 5, 'main-ingest-')
      expect(events.length).toBeGreaterThan(100)
      await produceEvents(kafkaClient(brokers), topic, 2, events)
      // The worker's own figures: every event stored, and the lag it measures from the broker back to zero.
      const metrics = await pollUntil('the worker to store the events and report no lag', async () => {
        const text = await (await fetch(`${worker.url}/metrics`)).text()
        const stored = /^trendlens_ingest_stored_events_total\{mode="kafka"\} (\d+)$/m.exec(text)?.[1]
        const lag = /^trendlens_ingest_total_lag_messages (\d+)$/m.exec(text)?.[1]
        return Number(stored) === events.length && lag === '0' ? text : undefined
      })
      expect(metrics).toMatch(/^process_resident_memory_bytes \d+/m)
      // Only operations: the API's routes are the API role's.
      expect((await fetch(`${worker.url}/api/meta`)).status).toBe(404)
    } finally {
      await deleteTopic(brokers, topic).catch(() => {})
      await deleteTopic(brokers, `${topic}.dlq`).catch(() => {})
    }
  })
  it('the live feed fills in the last 24 hours at start, China by Beijing day and the US by night, once', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'trendlens-main-kept-'))
    try {
      const env = { SEED_SOURCE: 'sample', LIVE_RATE: '2' }
      const first = await startProduct(env, dataDir)
      const backfill = await backfillOf(first)
      expect(backfill.to - backfill.from).toBe(24 * HOUR)
      expect(Date.now() - backfill.to).toBeLessThan(STARTUP_TIMEOUT_MS)
      const range = `from=${new Date(backfill.from).toISOString()}&to=${new Date(backfill.to).toISOString()}`
      const count = await getJson<{ rows: number }>(`${first.url}/api/export/events/count?${range}`)
      expect(count.rows).toBe(backfill.rows)
      expect(backfill.rows).toBeGreaterThan(2 * 86_400 * 0.95)

      const split = await getJson<RegionSplitReport>(
        `${first.url}/api/regions/split?${range}&tz=Asia/Shanghai&granularity=hour&level=country&metric=events`,
      )
      const whole = split.points.filter((point) => point.ts >= backfill.from && point.ts + HOUR <= backfill.to)
      expect(whole.length).toBeGreaterThanOrEqual(23)
      for (const point of whole) {
        const beijingHour = Number(point.t.slice(11, 13))
        if (beijingHour >= 10 && beijingHour <= 20) expect(point.leader, point.t).toBe('CN')
        if (beijingHour >= 1 && beijingHour <= 5) expect(point.leader, point.t).toBe('US')
      }
      expect(split.crossovers.length).toBeGreaterThan(0)
      for (const crossover of split.crossovers) {
        expect(crossover.ts).toBeGreaterThanOrEqual(backfill.from)
        expect(crossover.ts).toBeLessThan(backfill.to)
      }
      await first.stop()

      const second = await startProduct(env, dataDir)
      const gap = await backfillOf(second)
      // Only the time since the first run's newest stored event, not another day (the same instant as the backfill's
      // end when the first run stopped before its first live insert, LIVE_INSERT_SECONDS after start).
      expect(gap.from).toBeGreaterThanOrEqual(backfill.to)
      expect(gap.to - gap.from).toBeLessThan(STARTUP_TIMEOUT_MS)
      const events = await exportedEvents(second, backfill.from, gap.to)
      expect(new Set(events.map((event) => event.id)).size).toBe(events.length)
      expect(events.filter((event) => event.ts < backfill.to).length).toBe(backfill.rows)
      // The gap's events are the second run's alone: no second is stored by both runs.
      const gapPrefix = `l${gap.from.toString(36)}-`
      for (const event of events) expect(event.ts >= gap.from, event.id).toBe(event.id.startsWith(gapPrefix))
      expect(events.filter((event) => event.ts >= gap.from).length).toBe(gap.rows)
      await second.stop()

      // The sample's replay and the live feed, in both runs, numbered their users through one numbering per process:
      // every stored user has one number of their own, in the in-process range.
      const store = Store.open({ dataPath: dataDir, requestTimeoutMs: 60_000 })
      try {
        expect(await userNumberProblems(store)).toEqual([])
        const [inProcess] = await store.queryOnWriter('ingest_user_numbers_last', { range: IN_PROCESS_RANGE })
        expect(inProcess?.last_no).toBeGreaterThan(IN_PROCESS_RANGE * USER_NUMBER_RANGE_SIZE)
      } finally {
        await store.close()
      }
    } finally {
      await Promise.all(running.splice(0).map((product) => product.stop()))
      rmSync(dataDir, { recursive: true, force: true })
    }
  }, 300_000)

  it('while the seed story loads, /api/ingest gives its progress (rows, share, rate, time left); none once loaded', async () => {
    const scale = 0.001
    const product = await startProduct({ ROLE: 'all', SEED_SCALE: String(scale), LIVE_RATE: '0' })
    const seen: LoadProgress[] = []
    const done = await pollUntil(
      'the seed load to end',
      async () => {
        const ingest = await getJson<IngestSnapshot>(`${product.url}/api/ingest`)
        if (ingest.load) seen.push(ingest.load)
        return ingest.load === null && ingest.stored > 0 ? ingest : undefined
      },
      180_000,
    )
    expect(seen.length).toBeGreaterThanOrEqual(2)
    const expectedRows = Math.round(scale * 246_000_000)
    for (const load of seen) {
      expect(load).toMatchObject({ source: `seed:scale=${scale}:seed=1`, expectedRows })
      expect(load.percent).toBe(Number(Math.min(99.9, (100 * load.rows) / expectedRows).toFixed(1)))
      if (load.rows > 0) expect(load.rowsPerSecond).toBeGreaterThan(0)
      if (load.rows > 0) expect(load.etaSeconds).toBeGreaterThanOrEqual(0)
    }
    const rows = seen.map((load) => load.rows)
    expect(rows).toEqual([...rows].sort((a, b) => a - b))
    expect(rows.at(-1)).toBeGreaterThan(rows[0] as number)
    expect(rows.at(-1)).toBeLessThanOrEqual(done.stored)
  })
})
