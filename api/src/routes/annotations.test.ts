/**
 * Annotations against the real engine: the story's seeded notes, writes and tombstones, the response cache after a
 * write, writes from the page and from scripts over real HTTP, text of any script. (Refused bodies and origins are
 * checked without an engine, in parameters.fast.test.ts and security.fast.test.ts.)
 */

import type { ErrorBody } from '@trendlens/contract'
import type { Hono } from 'hono'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AppEnv } from '../app.ts'
import { type Listening, listen } from '../server.ts'
import { curl, getJson, type Loaded, loadSampleStore, testApp } from '../test-support.ts'

let loaded: Loaded
let app: Hono<AppEnv>
let server: Listening
let base: string

beforeAll(async () => {
  loaded = await loadSampleStore()
  app = testApp(loaded)
  server = await listen(app, 0, '127.0.0.1')
  base = `http://127.0.0.1:${server.port}`
})

afterAll(async () => {
  await server?.close()
  await loaded?.close()
})

describe('annotations', () => {
  it('are seeded with the story’s S5 and S6, and can be added and deleted', async () => {
    const range = 'from=2025-01-10&to=2025-01-21&tz=Asia/Shanghai'
    const seeded = await getJson<{ rows: { id: string; t: string; hashtag: string }[] }>(
      app,
      `/api/annotations?${range}`,
    )
    expect(seeded.body.rows.map((r) => [r.id, r.t])).toEqual([
      ['S5', '2025-01-13T00:00:00+08:00'],
      ['S6', '2025-01-19T13:00:00+08:00'],
    ])
    const post = await app.request('/api/annotations', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ ts: '2025-01-14T03:00:00+08:00', title: '16M views', hashtag: '#TikTokRefugee' }),
    })
    expect(post.status).toBe(201)
    const created = (await post.json()) as { id: string; ts: number; hashtag: string; t: string }
    expect(created).toMatchObject({ ts: Date.parse('2025-01-13T19:00:00Z'), hashtag: 'tiktokrefugee' })
    const withNew = await getJson<{ rows: { id: string }[] }>(app, `/api/annotations?${range}`)
    expect(withNew.body.rows.map((r) => r.id)).toEqual(['S5', created.id, 'S6'])
    const deleted = await app.request(`/api/annotations/${created.id}`, { method: 'DELETE' })
    expect(deleted.status).toBe(204)
    const again = await app.request(`/api/annotations/${created.id}`, { method: 'DELETE' })
    expect(again.status).toBe(404)
    expect(((await again.json()) as ErrorBody).code).toBe('not_found')
    const after = await getJson<{ rows: { id: string }[] }>(app, `/api/annotations?${range}`)
    expect(after.body.rows.map((r) => r.id)).toEqual(['S5', 'S6'])
  })

  it('are never served stale from the response cache after a write', async () => {
    const cachedApp = testApp(loaded, { responseCacheMs: 60_000 })
    const range = 'from=2025-01-10&to=2025-01-21'
    const before = await getJson<{ rows: { id: string }[] }>(cachedApp, `/api/annotations?${range}`)
    const post = await cachedApp.request('/api/annotations', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ ts: Date.parse('2025-01-15T00:00:00Z'), title: 'cache check' }),
    })
    const created = (await post.json()) as { id: string }
    const after = await getJson<{ rows: { id: string }[] }>(cachedApp, `/api/annotations?${range}`)
    expect(after.body.rows.length).toBe(before.body.rows.length + 1)
    expect((await cachedApp.request(`/api/annotations/${created.id}`, { method: 'DELETE' })).status).toBe(204)
    const deleted = await getJson<{ rows: { id: string }[] }>(cachedApp, `/api/annotations?${range}`)
    expect(deleted.body.rows.map((r) => r.id)).toEqual(before.body.rows.map((r) => r.id))
  })
})

describe('state-changing requests', () => {
  it('accepts a same-origin JSON write from the page, and one from a client that sends no Origin', async () => {
    const fromPage = await curl([
      '-X',
      'POST',
      '-H',
      `Origin: ${base}`,
      '-H',
      'Content-Type: application/json; charset=utf-8',
      '--data',
      JSON.stringify({ ts: 1736794800000, title: 'from the page' }),
      `${base}/api/annotations`,
    ])
    expect(fromPage.status).toBe(201)
    const created = JSON.parse(fromPage.body) as { id: string }
    const removed = await curl(['-X', 'DELETE', '-H', `Origin: ${base}`, `${base}/api/annotations/${created.id}`])
    expect(removed.status).toBe(204)
    const noOrigin = await curl([
      '-X',
      'POST',
      '-H',
      'Content-Type: application/json',
      '--data',
      JSON.stringify({ ts: 1736794800000, title: 'from a script' }),
      `${base}/api/annotations`,
    ])
    expect(noOrigin.status).toBe(201)
    const scripted = JSON.parse(noOrigin.body) as { id: string }
    expect((await curl(['-X', 'DELETE', `${base}/api/annotations/${scripted.id}`])).status).toBe(204)
  })
})

describe('annotation text', () => {
  const post = (body: Record<string, unknown>) =>
    app.request('/api/annotations', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ ts: 1736794800000, ...body }),
    })

  it('keeps ordinary text of any script, emoji sequences included', async () => {
    const title = '  早C晚A · TikTok refugees 👨‍👩‍👧 arrive  '
    const response = await post({ title, body: 'עברית and العربية in one note' })
    expect(response.status).toBe(201)
    const created = (await response.json()) as { id: string; title: string }
    expect(created.title).toBe(title.trim())
    expect((await app.request(`/api/annotations/${created.id}`, { method: 'DELETE' })).status).toBe(204)
  })
})
