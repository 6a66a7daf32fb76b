/**
 * Shared by the API's test files: a real engine on a fresh directory loaded through the real ingest path, and
 * the expected figures computed from the raw events in plain TypeScript (no SQL, and none of the API's own
 * time helpers: local times come from Intl's formatted parts and offsets).
 */

import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { WireEvent } from '@trendlens/contract'
import { readSample, STORY_ANNOTATION_ROWS, STORY_INFO } from '@trendlens/fixtures'
import { BatchWriter, IngestMetrics, silentLogger, validateEvent } from '@trendlens/ingest'
import { migrate, Store, type StoredEvent } from '@trendlens/sql'
import type { Hono } from 'hono'
import { seedAnnotations } from './annotations.ts'
import { type AppDeps, type AppEnv, createApp } from './app.ts'
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

export async function loadSampleStore(): Promise<Loaded> {
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
  await write(readSample())
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
  loaded: Loaded,
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
