/**
 * The service routes against the real engine: health, readiness, meta, the OpenAPI document, the built dashboard,
 * and what an operator scrapes (route labels while the dashboard is served, process metrics, well-formed output,
 * an ingest-only worker's own port).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib'
import type { ErrorBody, MetaReport } from '@trendlens/contract'
import { IngestMetrics, silentLogger } from '@trendlens/ingest'
import type { StoredEvent } from '@trendlens/sql'
import type { Hono } from 'hono'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type AppEnv, createOperationsApp, createStartingApp } from '../app.ts'
import { type Listening, listen, ReplaceableApp } from '../server.ts'
import { getJson, type Loaded, loadSampleStore, TEST_API, testApp } from '../test-support.ts'

let loaded: Loaded
let app: Hono<AppEnv>
let events: StoredEvent[]
let dashboardDir: string

beforeAll(async () => {
  loaded = await loadSampleStore()
  events = loaded.events
  app = testApp(loaded)
  dashboardDir = mkdtempSync(join(tmpdir(), 'trendlens-dashboard-'))
  mkdirSync(join(dashboardDir, 'assets'))
  writeFileSync(join(dashboardDir, 'index.html'), '<!doctype html><div id="root"></div>')
  writeFileSync(join(dashboardDir, 'assets', 'app.js'), 'console.log(1)')
})

afterAll(async () => {
  rmSync(dashboardDir, { recursive: true, force: true })
  await loaded?.close()
})

/** Prometheus samples as {name, labels, value}; fails on any line that is not a comment or a sample. */
function parseMetrics(text: string) {
  const samples: { name: string; labels: Record<string, string>; value: number }[] = []
  const types = new Map<string, string>()
  for (const line of text.split('\n')) {
    if (line === '') continue
    const type = /^# TYPE (\w+) (counter|gauge|histogram|summary)$/.exec(line)
    if (type) {
      types.set(type[1] as string, type[2] as string)
      continue
    }
    if (line.startsWith('# HELP ')) continue
    const sample = /^(\w+)(?:\{(.*)\})? (\S+)$/.exec(line)
    expect(sample, line).not.toBeNull()
    const labels: Record<string, string> = {}
    for (const [, key, value] of (sample?.[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) {
      labels[key as string] = value as string
    }
    samples.push({ name: sample?.[1] as string, labels, value: Number(sample?.[3]) })
  }
  return { samples, types }
}

describe('metrics', () => {
  it('label requests by the route that answered while the dashboard is served', async () => {
    const app = testApp(loaded, { dashboardDir })
    const requests: [path: string, init?: RequestInit][] = [
      ['/api/overview?from=2025-01-13&to=2025-01-14'],
      ['/api/overview?tz=bad'],
      ['/api/hashtags/top?from=2025-01-13&to=2025-01-14'],
      ['/api/annotations/no-such-note', { method: 'DELETE' }],
      ['/'],
      ['/hashtags/tiktokrefugee'],
      ['/assets/app.js'],
      ['/assets/missing.js'],
      ['/api/missing'],
    ]
    for (const [path, init] of requests) {
      const response = await app.request(path, init)
      await response.body?.cancel()
    }
    const { samples } = parseMetrics(await (await app.request('/metrics')).text())
    const requestsByRoute = new Map<string, number>()
    for (const s of samples.filter((s) => s.name === 'trendlens_http_requests_total')) {
      const key = `${s.labels.method} ${s.labels.route} ${s.labels.status}`
      requestsByRoute.set(key, (requestsByRoute.get(key) ?? 0) + s.value)
    }
    expect(Object.fromEntries(requestsByRoute)).toEqual({
      'GET /api/overview 200': 1,
      'GET /api/overview 400': 1,
      'GET /api/hashtags/top 200': 1,
      'DELETE /api/annotations/:id 404': 1,
      'GET static 200': 3,
      'GET unmatched 404': 2,
    })
  })

  it('include the standard process and Node.js metrics, with units in their names', async () => {
    const app = testApp(loaded)
    const { samples, types } = parseMetrics(await (await app.request('/metrics')).text())
    const value = (name: string) => samples.find((s) => s.name === name)?.value
    expect(value('process_cpu_seconds_total')).toBeGreaterThan(0)
    expect(value('process_cpu_user_seconds_total')).toBeGreaterThan(0)
    expect(value('process_resident_memory_bytes')).toBeGreaterThan(10 * 1024 * 1024)
    expect(value('process_start_time_seconds')).toBeGreaterThan(Date.now() / 1000 - 24 * 3600)
    expect(value('process_open_fds')).toBeGreaterThan(0)
    expect(value('nodejs_heap_size_used_bytes')).toBeGreaterThan(0)
    expect(value('nodejs_heap_size_total_bytes')).toBeGreaterThanOrEqual(value('nodejs_heap_size_used_bytes') ?? 0)
    expect(value('nodejs_eventloop_lag_p99_seconds')).toBeGreaterThanOrEqual(0)
    expect(value('nodejs_eventloop_lag_max_seconds')).toBeLessThan(60)
    expect(value('nodejs_active_handles_total')).toBeGreaterThan(0)
    expect(samples.find((s) => s.name === 'nodejs_version_info')?.labels.version).toBe(process.version)
    // Counters end in _total; every other series names its unit (seconds, bytes, messages…) or is a count, flag or state.
    for (const [name, type] of types) {
      if (type === 'counter') expect(name, name).toMatch(/_total$/)
      else
        expect(name, name).toMatch(/_(seconds|bytes|messages|fds|clients|progress|paused|state|info|resources|total)$/)
    }
  })
})

describe('an ingest-only worker', () => {
  it('serves health, readiness with the ingest state, and the ingest and process metrics on its own port', async () => {
    const metrics = new IngestMetrics('kafka')
    const app = createOperationsApp({ store: loaded.store, metrics, log: silentLogger, api: TEST_API })
    const server: Listening = await listen(app, 0, '127.0.0.1')
    const base = `http://127.0.0.1:${server.port}`
    try {
      expect((await fetch(`${base}/healthz`)).status).toBe(200)
      metrics.running()
      metrics.recordStored(1234, 50)
      metrics.lag.set('events/0', 77)
      const ready = await fetch(`${base}/readyz`)
      expect(ready.status).toBe(200)
      expect(await ready.json()).toMatchObject({ status: 'ready', ingest: 'running' })
      const { samples } = parseMetrics(await (await fetch(`${base}/metrics`)).text())
      const value = (name: string, labels: Record<string, string> = {}) =>
        samples.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value
      expect(value('trendlens_ingest_stored_events_total', { mode: 'kafka' })).toBe(1234)
      expect(value('trendlens_ingest_lag_messages', { partition: 'events/0' })).toBe(77)
      expect(value('trendlens_ingest_total_lag_messages')).toBe(77)
      expect(value('process_resident_memory_bytes')).toBeGreaterThan(0)
      // A stopped ingest fails readiness with the reason, so the orchestrator sees the worker that matters.
      metrics.setState('stopped', { code: 'dead_letter_unavailable', detail: 'the dead-letter topic is unreachable' })
      const stopped = await fetch(`${base}/readyz`)
      expect(stopped.status).toBe(503)
      expect(((await stopped.json()) as ErrorBody).code).toBe('ingest_not_ready')
      // Nothing else: no data routes, no dashboard.
      const data = await fetch(`${base}/api/overview`)
      expect(data.status).toBe(404)
      expect(((await data.json()) as ErrorBody).code).toBe('not_found')
    } finally {
      await server.close()
    }
  })

  it('a port bound while the product starts answers a JSON 503 until the role takes it over', async () => {
    const port = new ReplaceableApp(createStartingApp())
    const server = await listen(port, 0, '127.0.0.1')
    const base = `http://127.0.0.1:${server.port}`
    try {
      const starting = await fetch(`${base}/api/meta`)
      expect(starting.status).toBe(503)
      expect(starting.headers.get('retry-after')).toBe('5')
      expect(starting.headers.get('x-content-type-options')).toBe('nosniff')
      expect(((await starting.json()) as ErrorBody).code).toBe('starting')
      const metrics = new IngestMetrics('kafka')
      port.replace(createOperationsApp({ store: loaded.store, metrics, log: silentLogger, api: TEST_API }))
      expect((await fetch(`${base}/healthz`)).status).toBe(200)
    } finally {
      await server.close()
    }
  })
})

describe('service routes', () => {
  it('health, readiness and Prometheus metrics by route and status', async () => {
    expect((await getJson<{ status: string }>(app, '/healthz')).body.status).toBe('ok')
    expect((await getJson<{ status: string }>(app, '/readyz')).body.status).toBe('ready')
    await app.request('/api/overview?from=2025-01-13&to=2025-01-14')
    await app.request('/api/overview?tz=bad')
    loaded.metrics.recordRejected('bad_json')
    const response = await app.request('/metrics')
    expect(response.headers.get('Content-Type')).toContain('text/plain')
    const text = await response.text()
    expect(text).toMatch(/trendlens_http_requests_total\{method="GET",route="\/api\/overview",status="200"\} \d+/)
    expect(text).toMatch(/trendlens_http_requests_total\{method="GET",route="\/api\/overview",status="400"\} \d+/)
    expect(text).toMatch(
      /trendlens_http_request_duration_seconds_bucket\{method="GET",route="\/api\/overview",status="200",le="\+Inf"\} \d+/,
    )
    expect(text).toMatch(/trendlens_ingest_rejected_events_total\{mode="test",reason="bad_json"\} 1/)
    expect(text).toContain('trendlens_ingest_stored_events_total{mode="test"}')
  })

  it('meta gives the data range, the story and the default zone', async () => {
    const { body } = await getJson<MetaReport>(app, '/api/meta')
    expect(body.defaultTimeZone).toBe('Asia/Shanghai')
    expect(body.story?.tag).toBe('tiktokrefugee')
    expect(body.backend).toBe('embedded')
    expect(body.dataRange?.events).toBe(events.length)
    expect(body.dataRange?.fromTs).toBe(Math.min(...events.map((e) => e.ts)))
    expect(body.dataRange?.toTs).toBe(Math.max(...events.map((e) => e.ts)))
  })

  it('meta names no story when the API is not given one (Kafka without the seed)', async () => {
    const { status, body } = await getJson<MetaReport>(testApp(loaded, { story: undefined }), '/api/meta')
    expect(status).toBe(200)
    expect(body.story).toBeNull()
    expect(body.dataRange?.events).toBe(events.length)
  })

  it('serves an OpenAPI 3.1 document built from the parameter schemas', async () => {
    const { body } = await getJson<{
      openapi: string
      paths: Record<string, Record<string, { parameters: { name: string; schema: { enum?: string[] } }[] }>>
    }>(app, '/api/openapi.json')
    expect(body.openapi).toBe('3.1.0')
    for (const path of ['/api/overview', '/api/hashtags/growth', '/api/regions/split', '/api/export/events.csv']) {
      expect(body.paths[path]?.get, path).toBeDefined()
    }
    const growth = body.paths['/api/hashtags/growth']?.get?.parameters ?? []
    expect(growth.map((p) => p.name)).toEqual(
      expect.arrayContaining(['from', 'to', 'tz', 'granularity', 'tags', 'tag']),
    )
    expect(growth.find((p) => p.name === 'granularity')?.schema.enum).toEqual(['minute', '15m', 'hour', 'day'])
    expect(body.paths['/api/annotations']?.post).toBeDefined()
  })

  it('serves the built dashboard with a single-page fallback, precompressed copies and long caching of hashed assets', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'trendlens-dashboard-'))
    try {
      mkdirSync(join(dir, 'assets'))
      writeFileSync(join(dir, 'index.html'), '<!doctype html><div id="root"></div>')
      writeFileSync(join(dir, 'index.html.br'), brotliCompressSync('<!doctype html><div id="root"></div>'))
      writeFileSync(join(dir, 'assets', 'app.js'), 'console.log(1)')
      writeFileSync(join(dir, 'assets', 'app.js.br'), brotliCompressSync('console.log(1)'))
      writeFileSync(join(dir, 'assets', 'app.js.gz'), gzipSync('console.log(1)'))
      const withDashboard = testApp(loaded, { dashboardDir: dir })
      const index = await withDashboard.request('/')
      expect(await index.text()).toContain('id="root"')
      const page = await withDashboard.request('/hashtags/tiktokrefugee')
      expect(page.status).toBe(200)
      expect(await page.text()).toContain('id="root"')
      expect(index.headers.get('Cache-Control')).toBe('no-cache')
      expect(page.headers.get('Cache-Control')).toBe('no-cache')
      const script = await withDashboard.request('/assets/app.js')
      expect(script.headers.get('Content-Type')).toContain('javascript')
      expect(script.headers.get('Cache-Control')).toBe('public, max-age=31536000, immutable')
      expect(await script.text()).toBe('console.log(1)')
      // The build's compressed copies go to browsers that take them, with the same type and caching.
      const brotli = await withDashboard.request('/assets/app.js', { headers: { 'Accept-Encoding': 'gzip, br' } })
      expect(brotli.headers.get('Content-Encoding')).toBe('br')
      expect(brotli.headers.get('Content-Type')).toContain('javascript')
      expect(brotli.headers.get('Cache-Control')).toBe('public, max-age=31536000, immutable')
      expect(brotliDecompressSync(Buffer.from(await brotli.arrayBuffer())).toString()).toBe('console.log(1)')
      const gzip = await withDashboard.request('/assets/app.js', { headers: { 'Accept-Encoding': 'gzip' } })
      expect(gzip.headers.get('Content-Encoding')).toBe('gzip')
      expect(gunzipSync(Buffer.from(await gzip.arrayBuffer())).toString()).toBe('console.log(1)')
      const compressedPage = await withDashboard.request('/hashtags/x', { headers: { 'Accept-Encoding': 'br' } })
      expect(compressedPage.headers.get('Content-Encoding')).toBe('br')
      expect(brotliDecompressSync(Buffer.from(await compressedPage.arrayBuffer())).toString()).toContain('id="root"')
      expect((await withDashboard.request('/assets/missing.js')).status).toBe(404)
      const api = await withDashboard.request('/api/missing')
      expect(api.status).toBe(404)
      expect(((await api.json()) as ErrorBody).code).toBe('not_found')
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it("names the default view's first requests in the page's Link header, for that view and zone only", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'trendlens-dashboard-'))
    try {
      writeFileSync(join(dir, 'index.html'), '<!doctype html><div id="root"></div>')
      const growth = '/api/hashtags/growth?from=2025-01-10&tag=tiktokrefugee&to=2025-01-21&tz=Asia%2FShanghai'
      writeFileSync(
        join(dir, 'first-view.json'),
        JSON.stringify({ timeZone: 'Asia/Shanghai', requests: [growth, '/api/meta', 'https://elsewhere.example/x'] }),
      )
      const preloaded = `<${growth}>; rel=preload; as=fetch; crossorigin, </api/meta>; rel=preload; as=fetch; crossorigin`
      const withDashboard = testApp(loaded, { dashboardDir: dir })
      for (const path of ['/', '/?lang=zh-CN', '/hashtags/tiktokrefugee']) {
        expect((await withDashboard.request(path)).headers.get('Link'), path).toBe(preloaded)
      }
      // Any other choice in the URL asks for other answers; so does another default zone or a required token.
      for (const path of ['/?tz=UTC', '/?lang=en&tag=other', '/?range=24h']) {
        expect((await withDashboard.request(path)).headers.get('Link'), path).toBeNull()
      }
      const otherZone = testApp(loaded, { dashboardDir: dir, api: { defaultTimeZone: 'UTC' } })
      expect((await otherZone.request('/')).headers.get('Link')).toBeNull()
      const withToken = testApp(loaded, { dashboardDir: dir, api: { token: 'secret-token-for-the-test' } })
      expect((await withToken.request('/')).headers.get('Link')).toBeNull()
      // Assets and API answers never carry it.
      expect((await withDashboard.request('/api/meta')).headers.get('Link')).toBeNull()
      // A build without the list preloads nothing.
      rmSync(join(dir, 'first-view.json'))
      expect((await testApp(loaded, { dashboardDir: dir }).request('/')).headers.get('Link')).toBeNull()
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('reports the ingest snapshot', async () => {
    loaded.metrics.recordReceived(5)
    const { status, body } = await getJson<{ received: number; mode: string }>(app, '/api/ingest')
    expect(status).toBe(200)
    expect(body).toMatchObject({ mode: 'test', received: 5 })
  })
})
