/**
 * GET /api/live against the real engine: the newest minute's figures equal the events written into it; under load,
 * over real HTTP, 200 open streams cost one store query per tick, whatever their zones; the connection cap answers
 * a JSON 503 and frees its slot when a stream closes.
 */

import type { ErrorBody, LiveTick, WireEvent } from '@trendlens/contract'
import type { Store, StoredEvent } from '@trendlens/sql'
import type { Hono } from 'hono'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AppEnv } from '../app.ts'
import { type Listening, listen } from '../server.ts'
import { eventually, isDiscussion, isView, type Loaded, loadSampleStore, testApp } from '../test-support.ts'

const CLIENTS = 200
const ZONES = ['Asia/Shanghai', 'Asia/Kolkata', 'America/New_York', 'Australia/Lord_Howe']
/** Short ticks keep the test brief; sharing works the same at the product's 2 s. */
const TICK_MS = 300

let loaded: Loaded
let app: Hono<AppEnv>
let events: StoredEvent[]
/** Store queries by name, counted on their way to the engine. */
const queries = new Map<string, number>()

/** The real store, with every named query counted before it runs. */
function countingStore(store: Store): Store {
  return new Proxy(store, {
    get(target, property) {
      if (property === 'query' || property === 'queryText') {
        return (name: string, ...rest: unknown[]) => {
          queries.set(name, (queries.get(name) ?? 0) + 1)
          return (target[property] as (...args: unknown[]) => unknown).call(target, name, ...rest)
        }
      }
      const value = Reflect.get(target, property, target)
      return typeof value === 'function' ? value.bind(target) : value
    },
  })
}

beforeAll(async () => {
  loaded = await loadSampleStore()
  events = loaded.events
  app = testApp(loaded)
})

afterAll(async () => {
  await loaded?.close()
})

interface Client {
  status: number
  /** Tick sequence numbers (the SSE ids) as they arrived, with the tick itself. */
  ticks: Map<number, LiveTick>
  zone: string
  close: () => void
  done: Promise<void>
}

async function openClient(base: string, zone: string): Promise<Client> {
  const abort = new AbortController()
  const response = await fetch(`${base}/api/live?tz=${encodeURIComponent(zone)}`, { signal: abort.signal })
  const ticks = new Map<number, LiveTick>()
  const client: Client = {
    status: response.status,
    ticks,
    zone,
    close: () => abort.abort(),
    done: Promise.resolve(),
  }
  if (response.status !== 200 || !response.body) return client
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader()
  client.done = (async () => {
    let buffer = ''
    try {
      for (;;) {
        const { done, value } = await reader.read()
        if (done) return
        buffer += value
        for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
          const block = buffer.slice(0, end)
          buffer = buffer.slice(end + 2)
          const id = /^id: (\d+)$/m.exec(block)?.[1]
          const data = /^data: (.*)$/m.exec(block)?.[1]
          if (/^event: tick$/m.test(block) && id !== undefined && data !== undefined) {
            ticks.set(Number(id), JSON.parse(data) as LiveTick)
          }
        }
      }
    } catch {
      // Closed by the test.
    }
  })()
  return client
}

async function metric(base: string, name: string): Promise<number> {
  const text = await (await fetch(`${base}/metrics`)).text()
  const line = text.split('\n').find((l) => l.startsWith(`${name} `))
  return Number(line?.split(' ')[1])
}

describe('live stream', () => {
  let server: Listening
  let base: string

  beforeAll(async () => {
    const app = testApp(loaded, { store: countingStore(loaded.store), liveIntervalMs: TICK_MS })
    server = await listen(app, 0, '127.0.0.1')
    base = `http://127.0.0.1:${server.port}`
  })

  afterAll(async () => {
    await server?.close()
  })

  it(`serves ${CLIENTS} streams in several zones with one store query per tick`, async () => {
    expect(queries.get('api_live_minutes') ?? 0).toBe(0)
    const clients = await Promise.all(
      Array.from({ length: CLIENTS }, (_, i) => openClient(base, ZONES[i % ZONES.length] as string)),
    )
    expect(clients.map((c) => c.status)).toEqual(clients.map(() => 200))
    expect(await metric(base, 'trendlens_live_clients')).toBe(CLIENTS)

    // Every stream sees several ticks after the last one joined.
    const joined = Math.max(...clients.flatMap((c) => [...c.ticks.keys()]), 0)
    await eventually(
      async () => (clients.every((c) => [...c.ticks.keys()].some((seq) => seq >= joined + 3)) ? true : undefined),
      60_000,
      'three more ticks on every stream',
    )
    const ticksRun = Math.max(...clients.flatMap((c) => [...c.ticks.keys()])) + 1
    const liveQueries = queries.get('api_live_minutes') ?? 0
    // One query per tick; at most one more may be in flight while counting.
    expect(liveQueries).toBeGreaterThanOrEqual(ticksRun)
    expect(liveQueries).toBeLessThanOrEqual(ticksRun + 1)
    // The metric counts the same queries (a tick may start between the two readings).
    const reported = await metric(base, 'trendlens_live_queries_total')
    expect((queries.get('api_live_minutes') ?? 0) - reported).toBeGreaterThanOrEqual(0)
    expect((queries.get('api_live_minutes') ?? 0) - reported).toBeLessThanOrEqual(1)

    // A tick is the same reading for everyone: same instant and figures, each in its stream's own zone.
    const sequence = joined + 2
    const seen = clients.map((c) => c.ticks.get(sequence)).filter((t): t is LiveTick => t !== undefined)
    expect(seen.length).toBeGreaterThan(CLIENTS / 2)
    expect(new Set(seen.map((t) => `${t.atTs} ${t.minute.ts} ${t.minute.events} ${t.current.events}`)).size).toBe(1)
    for (const client of clients) {
      const tick = client.ticks.get(sequence)
      if (!tick) continue
      const offset = client.zone === 'Asia/Kolkata' ? '+05:30' : client.zone === 'Asia/Shanghai' ? '+08:00' : undefined
      if (offset) expect(tick.minute.t.endsWith(offset)).toBe(true)
    }

    for (const client of clients) client.close()
    await Promise.all(clients.map((c) => c.done))
    await eventually(
      async () => ((await metric(base, 'trendlens_live_clients')) === 0 ? true : undefined),
      20_000,
      'every stream to be gone',
    )
  })
})

describe('live stream connection cap', () => {
  it('answers a JSON 503 beyond LIVE_MAX_CLIENTS and takes a new stream once one closes', async () => {
    const app = testApp(loaded, { api: { liveMaxClients: 3 }, liveIntervalMs: TICK_MS })
    const server = await listen(app, 0, '127.0.0.1')
    const base = `http://127.0.0.1:${server.port}`
    try {
      const open = await Promise.all([0, 1, 2].map(() => openClient(base, 'UTC')))
      expect(open.map((c) => c.status)).toEqual([200, 200, 200])
      const refused = await fetch(`${base}/api/live`)
      expect(refused.status).toBe(503)
      expect(refused.headers.get('Content-Type')).toContain('application/json')
      const body = (await refused.json()) as ErrorBody
      expect(body.code).toBe('too_many_connections')
      expect(body.message).toContain('LIVE_MAX_CLIENTS')
      open[0]?.close()
      const again = await eventually(
        async () => {
          const client = await openClient(base, 'UTC')
          if (client.status === 200) return client
          return undefined
        },
        20_000,
        'a free live slot',
      )
      await eventually(async () => (again.ticks.size > 0 ? true : undefined), 20_000, 'a tick on the new stream')
      for (const client of [...open, again]) client.close()
    } finally {
      await server.close()
    }
  })
})

describe('live', () => {
  async function* sseEvents(body: ReadableStream<Uint8Array>) {
    const reader = body.getReader()
    const decoder = new TextDecoder()
    let buffer = ''
    try {
      while (true) {
        const { done, value } = await reader.read()
        if (done) return
        buffer += decoder.decode(value, { stream: true })
        let end = buffer.indexOf('\n\n')
        while (end >= 0) {
          const block = buffer.slice(0, end)
          buffer = buffer.slice(end + 2)
          const event = /^event: (.*)$/m.exec(block)?.[1] ?? 'message'
          const data = block
            .split('\n')
            .filter((line) => line.startsWith('data: '))
            .map((line) => line.slice(6))
            .join('\n')
          yield { event, data }
          end = buffer.indexOf('\n\n')
        }
      }
    } finally {
      await reader.cancel()
    }
  }

  it('streams a first tick at once, then the newest minute’s figures as events arrive', async () => {
    const response = await app.request('/api/live?tz=Asia/Kolkata')
    expect(response.status).toBe(200)
    expect(response.headers.get('Content-Type')).toContain('text/event-stream')
    if (!response.body) throw new Error('no body')
    const stream = sseEvents(response.body)
    const first = await stream.next()
    expect(first.value?.event).toBe('tick')
    const tick = JSON.parse(first.value?.data ?? '{}') as LiveTick
    expect(tick.ingest.mode).toBe('test')
    expect(tick.minute.ts).toBe(Math.floor(tick.atTs / 60_000) * 60_000 - 60_000)
    expect(tick.minute.t.endsWith('+05:30')).toBe(true)

    // Known events in each of the minutes around now: whichever minute a later tick reports, its figures are known.
    const nowMinute = Math.floor(Date.now() / 60_000) * 60_000
    const expected = new Map<number, { views: number; discussions: number; users: Set<string>; events: number }>()
    const wire: WireEvent[] = []
    for (let m = -1; m <= 3; m++) {
      const minute = nowMinute + m * 60_000
      const figures = { views: 0, discussions: 0, users: new Set<string>(), events: 0 }
      for (let i = 0; i < 3 + m + 1; i++) {
        const type = i % 3 === 2 ? 'comment' : 'view'
        wire.push({
          id: `live-${m}-${i}`,
          type,
          ts: minute + i * 1000,
          user_id: `live-${i % 2}`,
          note_id: 'n',
          region: 'CN',
        })
        if (type === 'view') figures.views++
        else figures.discussions++
        figures.users.add(`live-${i % 2}`)
        figures.events++
      }
      expected.set(minute, figures)
    }
    await loaded.write(wire)
    const written = Date.now()
    const matched = await eventually(
      async () => {
        const next = await stream.next()
        if (next.done || next.value.event !== 'tick') return undefined
        const later = JSON.parse(next.value.data) as LiveTick
        if (later.atTs <= written || !expected.has(later.minute.ts)) return undefined
        return later
      },
      20_000,
      'a tick reporting a minute with known events',
    )
    // Every event stored in that minute counts, these and any other test's (earlier tests write at "now" too).
    const inMinute = events.filter((e) => e.ts >= matched.minute.ts && e.ts < matched.minute.ts + 60_000)
    expect(inMinute.length).toBeGreaterThanOrEqual(expected.get(matched.minute.ts)?.events ?? 0)
    expect(matched.minute).toMatchObject({
      views: inMinute.filter(isView).length,
      discussions: inMinute.filter(isDiscussion).length,
      activeUsers: new Set(inMinute.map((e) => e.user_id)).size,
      events: inMinute.length,
    })
    await stream.return(undefined)
  })
})
