/**
 * Shared by the API's test files: a real engine on a fresh directory loaded through the real ingest path, and
 * the expected figures computed from the raw events in plain TypeScript (no SQL, and none of the API's own
 * time helpers: local times come from Intl's formatted parts and offsets). For the fast tests (`*.fast.test.ts`),
 * an in-memory store double: what they check is decided before any figure is read.
 */

import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import type { WireEvent } from '@trendlens/contract'
import { readSample, STORY_ANNOTATION_ROWS, STORY_INFO } from '@trendlens/fixtures'
import { BatchWriter, IngestMetrics, silentLogger, validateEvent } from '@trendlens/ingest'
import {
  type ExactParams,
  migrate,
  type QueryName,
  type QueryParams,
  type QueryRow,
  Store,
  type StoreBackend,
  type StoredEvent,
} from '@trendlens/sql'
import type { Hono } from 'hono'
import { seedAnnotations } from './annotations.ts'
import { type AppDeps, type AppEnv, createApp } from './app.ts'
import type { AppStore } from './context.ts'
import type { ApiOptions } from './settings.ts'

export interface Loaded {
  store: Store
  events: StoredEvent[]
  dataDir: string
  metrics: IngestMetrics
  /** Writes more events through the same ingest path (and adds them to `events`). */
  write: (wire: readonly WireEvent[]) => Promise<StoredEvent[]>
  close: () => Promise<void>
}

export const TEST_API: ApiOptions = {
  defaultTimeZone: 'Asia/Shanghai',
  token: undefined,
  allowedHosts: ['localhost', '127.0.0.1', '[::1]'],
  liveMaxClients: 1_000,
  exportMaxRows: 10_000_000,
  exportMaxConcurrent: 2,
  exportMaxPerClient: 1,
  exportIdleTimeoutMs: 30_000,
  queryTimeoutMs: 30_000,
}

/** Batches as the replay writes them: big enough to load quickly, many enough to exercise unmerged parts. */
const BATCH = 5_000

/** A fresh store loaded through the ingest path with `initial` (the checked-in sample unless told otherwise). */
export async function loadSampleStore(initial: readonly WireEvent[] = readSample()): Promise<Loaded> {
  const dataDir = mkdtempSync(join(tmpdir(), 'trendlens-api-test-'))
  const store = Store.open({ dataPath: dataDir, requestTimeoutMs: 60_000 })
  await migrate(store)
  await seedAnnotations(store, STORY_ANNOTATION_ROWS)
  const writer = new BatchWriter(store)
  const events: StoredEvent[] = []
  let offset = 0
  const write = async (wire: readonly WireEvent[]) => {
    const stored: StoredEvent[] = []
    for (let i = 0; i < wire.length; i += BATCH) {
      const batch = wire.slice(i, i + BATCH).map((raw) => {
        const checked = validateEvent(raw, Date.now())
        if (!checked.ok) throw new Error(`fixture event refused: ${checked.message}`)
        return checked.event
      })
      await writer.write({
        source: 'test',
        partition: 0,
        firstOffset: offset,
        lastOffset: offset + batch.length - 1,
        events: batch,
      })
      offset += batch.length
      stored.push(...batch)
    }
    events.push(...stored)
    return stored
  }
  await write(initial)
  return {
    store,
    events,
    dataDir,
    metrics: new IngestMetrics('test'),
    write,
    close: async () => {
      await store.close()
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

export function testApp(
  loaded: { store: AppStore; metrics: IngestMetrics },
  overrides: Omit<Partial<AppDeps>, 'api'> & { api?: Partial<ApiOptions> } = {},
): Hono<AppEnv> {
  const { api, ...rest } = overrides
  return createApp({
    store: loaded.store,
    metrics: loaded.metrics,
    log: silentLogger,
    api: { ...TEST_API, ...api },
    responseCacheMs: 0,
    story: STORY_INFO,
    ...rest,
  })
}

// ---- the store double -----------------------------------------------------------------------------------------

/** Canned rows per named query, typed by the query catalogue. */
export type Answers = { [Name in QueryName]?: (params: QueryParams<Name>) => QueryRow<Name>[] }

/** Zone names as Intl knows them, for `api_time_zones`: the engine's list has more, never fewer of these. */
const ZONE_ROWS = [...new Set([...Intl.supportedValuesOf('timeZone'), 'UTC'])].map((time_zone) => ({ time_zone }))

/**
 * The store without an engine: every named query answers its canned rows (no rows unless given; time zones as
 * Intl knows them), the export stream is empty, and every question and write is recorded so a test can say that
 * a refused request reached nothing.
 */
export class MemoryStore implements AppStore {
  readonly backend: StoreBackend = 'embedded'
  /** The named queries asked, in order. */
  readonly asked: QueryName[] = []
  /** The rows appended, table by table, in order. */
  readonly appended: { table: string; rows: readonly object[] }[] = []
  /** What `ping` answers: false plays a store that cannot be reached. */
  reachable = true

  private readonly answers: Answers

  constructor(answers: Answers = {}) {
    this.answers = { api_time_zones: () => ZONE_ROWS, ...answers }
  }

  async ping(): Promise<boolean> {
    return this.reachable
  }

  async query<Name extends QueryName, Given extends QueryParams<Name>>(
    name: Name,
    params: ExactParams<Name, Given>,
  ): Promise<QueryRow<Name>[]> {
    this.asked.push(name)
    const answer: Answers[Name] = this.answers[name]
    return answer ? answer(params) : []
  }

  async *queryStream<Name extends QueryName, Given extends QueryParams<Name>>(
    name: Name,
    _params: ExactParams<Name, Given>,
  ): AsyncGenerator<Uint8Array> {
    this.asked.push(name)
    yield* []
  }

  async appendRows(table: 'ingest_ledger_v1' | 'annotations_v1', rows: readonly object[]): Promise<void> {
    this.appended.push({ table, rows })
  }
}

/** An app over a store double (a fresh one unless given), and the double. */
export function memoryApp(
  overrides: Parameters<typeof testApp>[1] = {},
  store = new MemoryStore(),
): { app: Hono<AppEnv>; store: MemoryStore } {
  return { app: testApp({ store, metrics: new IngestMetrics('test') }, overrides), store }
}

export async function getJson<T>(
  app: Hono<AppEnv>,
  path: string,
  init?: RequestInit,
): Promise<{ status: number; body: T }> {
  const response = await app.request(path, init)
  const text = await response.text()
  let body: T
  try {
    body = JSON.parse(text) as T
  } catch {
    throw new Error(`${path}: status ${response.status}, not JSON: ${text.slice(0, 200)}`)
  }
  return { status: response.status, body }
}

const run = promisify(execFile)

export interface CurlResult {
  status: number
  headers: Record<string, string>
  body: string
}

/** One request with the curl binary: what any client, not just fetch, gets back. */
export async function curl(args: string[]): Promise<CurlResult> {
  const { stdout } = await run('curl', ['-sS', '-i', '--max-time', '20', ...args], { maxBuffer: 16 * 1024 * 1024 })
  const split = stdout.indexOf('\r\n\r\n')
  const head = stdout.slice(0, split).split('\r\n')
  const status = Number(/^HTTP\/[\d.]+ (\d{3})/.exec(head[0] ?? '')?.[1])
  const headers: Record<string, string> = {}
  for (const line of head.slice(1)) {
    const colon = line.indexOf(':')
    headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim()
  }
  return { status, headers, body: stdout.slice(split + 4) }
}

// ---- independent local time ------------------------------------------------------------------------------------

const formatters = new Map<string, Intl.DateTimeFormat>()

/** Local wall-clock parts and the UTC offset ("+05:45") of an instant, straight from Intl. */
export function localParts(ms: number, zone: string) {
  let formatter = formatters.get(zone)
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-CA', {
      timeZone: zone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
      timeZoneName: 'longOffset',
    })
    formatters.set(zone, formatter)
  }
  const parts: Record<string, string> = {}
  for (const part of formatter.formatToParts(ms)) parts[part.type] = part.value
  const name = parts.timeZoneName ?? 'GMT'
  const offset = name === 'GMT' ? '+00:00' : name.slice(3)
  return {
    date: `${parts.year}-${parts.month}-${parts.day}`,
    hour: parts.hour ?? '00',
    minute: parts.minute ?? '00',
    offset,
  }
}

export type Unit = 'minute' | '15m' | 'hour' | 'day'

/**
 * The label of the bucket an event falls in, as the API should print it: `2025-01-14T03:00:00+08:00`. For days
 * only the date is compared (a DST day's midnight offset is not the event's).
 */
export function bucketLabel(ms: number, zone: string, unit: Unit): string {
  const p = localParts(ms, zone)
  if (unit === 'day') return p.date
  const minute =
    unit === 'minute'
      ? p.minute
      : unit === '15m'
        ? String(Math.floor(Number(p.minute) / 15) * 15).padStart(2, '0')
        : '00'
  return `${p.date}T${p.hour}:${minute}:00${p.offset}`
}

/** A point's label in the same form as bucketLabel. */
export function pointLabel(t: string, unit: Unit): string {
  return unit === 'day' ? t.slice(0, 10) : t
}

// ---- independent figures ---------------------------------------------------------------------------------------

export const isView = (e: StoredEvent) => e.type === 'view'
export const isDiscussion = (e: StoredEvent) => e.type === 'post' || e.type === 'comment'

export function inRange(e: StoredEvent, from: number, to: number): boolean {
  return e.ts >= from && e.ts < to
}

export function matchesRegion(e: StoredEvent, regions: readonly string[]): boolean {
  return regions.length === 0 || regions.includes(e.region) || regions.includes(e.country)
}

export function countBy<K>(items: Iterable<StoredEvent>, key: (e: StoredEvent) => K | undefined): Map<K, number> {
  const counts = new Map<K, number>()
  for (const item of items) {
    const k = key(item)
    if (k !== undefined) counts.set(k, (counts.get(k) ?? 0) + 1)
  }
  return counts
}

export function distinctUsersBy<K>(
  items: Iterable<StoredEvent>,
  key: (e: StoredEvent) => K | undefined,
): Map<K, number> {
  const sets = new Map<K, Set<string>>()
  for (const item of items) {
    const k = key(item)
    if (k === undefined) continue
    let set = sets.get(k)
    if (!set) {
      set = new Set()
      sets.set(k, set)
    }
    set.add(item.user_id)
  }
  return new Map([...sets].map(([k, set]) => [k, set.size]))
}

/** Orders text by Unicode code point, as the engine orders UTF-8 bytes. */
export function byCodePoint(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'))
}

/** Polls `check` until it returns a value, or fails after `timeoutMs`. */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (let delay = 20; ; delay = Math.min(delay * 2, 500)) {
    const value = await check()
    if (value !== undefined) return value
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, delay))
  }
}

// ---- shared data and oracles of the figure tests --------------------------------------------------------------

/** The zones the figures are checked in, with their offset in January 2025 (the sample's month). */
export const ZONES: [zone: string, januaryOffset: string][] = [
  ['Asia/Shanghai', '+08:00'],
  ['America/New_York', '-05:00'],
  ['Asia/Kolkata', '+05:30'],
  ['Asia/Kathmandu', '+05:45'],
  ['UTC', 'Z'],
]

export const DST_TAG = 'dsttest'

/**
 * Events every 20 minutes around New York's and Lord Howe's 2025 DST changes, tagged so they stay out of the
 * sample's figures.
 */
export function dstEvents(): WireEvent[] {
  const wire: WireEvent[] = []
  const spans = [
    [Date.parse('2025-03-08T00:00:00-05:00'), Date.parse('2025-03-10T12:00:00-04:00')],
    [Date.parse('2025-11-01T00:00:00-04:00'), Date.parse('2025-11-03T12:00:00-05:00')],
    // Lord Howe: 02:00 +11:00 becomes 01:30 +10:30 on 2025-04-06.
    [Date.parse('2025-04-05T00:00:00+11:00'), Date.parse('2025-04-07T12:00:00+10:30')],
  ] as const
  let n = 0
  for (const [start, end] of spans) {
    for (let ts = start; ts < end; ts += 20 * 60_000) {
      const type = (['view', 'view', 'comment', 'post'] as const)[n % 4] ?? 'view'
      wire.push({
        id: `dst-${n}`,
        type,
        ts: ts + (n % 7) * 1000,
        user_id: `dst-user-${n % 5}`,
        note_id: 'dst-note',
        hashtags: [DST_TAG],
        region: n % 3 === 0 ? 'US-NY' : 'CN-SH',
      })
      n++
    }
  }
  return wire
}

/** A range from local midnight to local midnight at a fixed offset. */
export function localRange(fromDate: string, toDate: string, offset: string) {
  return { from: Date.parse(`${fromDate}T00:00:00${offset}`), to: Date.parse(`${toDate}T00:00:00${offset}`) }
}

/** Expected non-zero values per bucket label. */
export function perBucket(
  list: StoredEvent[],
  zone: string,
  unit: Unit,
  value: (e: StoredEvent) => number,
): Map<string, number> {
  const sums = new Map<string, number>()
  for (const e of list) {
    const v = value(e)
    if (v === 0) continue
    const label = bucketLabel(e.ts, zone, unit)
    sums.set(label, (sums.get(label) ?? 0) + v)
  }
  return sums
}

/** Actual non-zero values per bucket label. */
export function nonZero(points: { t: string }[], unit: Unit, value: (p: never) => number): Map<string, number> {
  const found = new Map<string, number>()
  for (const point of points) {
    const v = value(point as never)
    if (v !== 0) found.set(pointLabel(point.t, unit), (found.get(pointLabel(point.t, unit)) ?? 0) + v)
  }
  return found
}
