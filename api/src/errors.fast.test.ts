/**
 * The one error body on every failure path, over the store double (no engine): unknown routes and methods, store
 * failures (a 503 when the store is down, a 500 whose details stay in the log), readiness without a store.
 */

import type { ErrorBody } from '@trendlens/contract'
import { createLogger } from '@trendlens/ingest'
import { StoreError } from '@trendlens/sql'
import { describe, expect, it } from 'vitest'
import { MemoryStore, memoryApp } from './test-support.ts'

const RANGE = 'from=2025-01-13&to=2025-01-15&tz=Asia/Shanghai'

/** A logger whose lines the test reads. */
function recordingLog() {
  const lines: Record<string, unknown>[] = []
  return { lines, log: createLogger('debug', {}, (line) => lines.push(JSON.parse(line) as Record<string, unknown>)) }
}

describe('service routes', () => {
  it('answers unknown routes with the error shape', async () => {
    const { app } = memoryApp()
    const response = await app.request('/api/nothing-here')
    expect(response.status).toBe(404)
    const body = (await response.json()) as ErrorBody
    expect(body.code).toBe('not_found')
    expect(body.requestId).toBe(response.headers.get('X-Request-Id'))
    const echoed = await app.request('/healthz', { headers: { 'X-Request-Id': 'abc-123' } })
    expect(echoed.headers.get('X-Request-Id')).toBe('abc-123')
  })
})

describe('errors', () => {
  it('a method a route does not serve gets the error body and reaches no store', async () => {
    const { app, store } = memoryApp()
    for (const [method, path] of [
      ['DELETE', `/api/overview?${RANGE}`],
      ['POST', '/api/hashtags/growth?tags=a'],
      ['PUT', '/api/annotations'],
      ['PATCH', '/api/annotations/S5'],
    ] as const) {
      const response = await app.request(path, {
        method,
        headers: { 'Content-Type': 'application/json' },
        body: method === 'DELETE' ? null : '{}',
      })
      const body = (await response.json()) as ErrorBody
      expect(response.status, `${method} ${path}`).toBe(404)
      expect(body.code, `${method} ${path}`).toBe('not_found')
      expect(body.message).toContain(`${method} `)
      expect(body.requestId).toBe(response.headers.get('X-Request-Id'))
    }
    expect(store.asked).toEqual([])
    expect(store.appended).toEqual([])
  })

  it('a store that cannot be reached is a 503 store_unavailable with the error body', async () => {
    const down = new MemoryStore({
      api_overview: () => {
        throw new StoreError('unavailable', 'connect ECONNREFUSED 127.0.0.1:8123')
      },
    })
    const { app } = memoryApp({}, down)
    const response = await app.request(`/api/overview?${RANGE}`)
    const body = (await response.json()) as ErrorBody
    expect(response.status).toBe(503)
    expect(body).toEqual({
      code: 'store_unavailable',
      message: 'the analytics store is not reachable; try again shortly',
      requestId: response.headers.get('X-Request-Id'),
    })
  })

  it('an unexpected failure is a 500 that tells nothing but the request id, which names it in the log', async () => {
    const broken = new MemoryStore({
      api_tag_top_all: () => {
        throw new Error('secret detail: table tag_totals_15m_v1 is corrupt')
      },
    })
    const { lines, log } = recordingLog()
    const { app } = memoryApp({ log }, broken)
    const response = await app.request(`/api/hashtags/top?${RANGE}`)
    const text = await response.text()
    expect(response.status).toBe(500)
    expect(response.headers.get('Content-Type')).toContain('application/json')
    expect(text).not.toContain('secret')
    const body = JSON.parse(text) as ErrorBody
    expect(body.code).toBe('internal')
    expect(body.requestId).toBe(response.headers.get('X-Request-Id'))
    const logged = lines.find((line) => line.level === 'error' && line.requestId === body.requestId)
    expect(logged).toMatchObject({ msg: 'request failed', path: '/api/hashtags/top', status: 500 })
    expect(String(logged?.error)).toContain('secret detail')
  })

  it('readiness fails with store_unavailable while the store does not answer, and recovers with it', async () => {
    const { app, store } = memoryApp()
    expect((await app.request('/readyz')).status).toBe(200)
    store.reachable = false
    const down = await app.request('/readyz')
    expect(down.status).toBe(503)
    expect(((await down.json()) as ErrorBody).code).toBe('store_unavailable')
    expect((await app.request('/healthz')).status).toBe(200)
    store.reachable = true
    expect((await app.request('/readyz')).status).toBe(200)
  })
})
