/**
 * Hostile input that passes validation reaches the real engine as data: injection attempts in tags are tags, no
 * garbage in any parameter of any route gives a 5xx, and the tables stay intact. (Input the API refuses is checked
 * without an engine, in parameters.fast.test.ts.)
 */

import { type ErrorBody, type GrowthReport, normaliseTag } from '@trendlens/contract'
import type { StoredEvent } from '@trendlens/sql'
import type { Hono } from 'hono'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AppEnv } from './app.ts'
import { getJson, isView, type Loaded, loadSampleStore, testApp } from './test-support.ts'

let loaded: Loaded
let app: Hono<AppEnv>
let events: StoredEvent[]

beforeAll(async () => {
  loaded = await loadSampleStore()
  events = loaded.events
  app = testApp(loaded)
})

afterAll(async () => {
  await loaded?.close()
})

describe('hostile input', () => {
  it('an injection attempt in a tag is just a tag that has no events, and the tables are intact', async () => {
    for (const tag of ["tiktokrefugee') OR 1=1 --", "'; DROP TABLE events_v1; --", '{tags:Array(String)}']) {
      const { status, body } = await getJson<GrowthReport>(
        app,
        `/api/hashtags/growth?from=2025-01-13&to=2025-01-15&granularity=day&tag=${encodeURIComponent(tag)}`,
      )
      expect(status).toBe(200)
      expect(body.series[0]?.tag).toBe(normaliseTag(tag))
      expect(body.series[0]?.points.map((p) => p.cumViews)).toEqual([0, 0])
    }
    const meta = await getJson<{ dataRange: { events: number } }>(app, '/api/meta')
    expect(meta.body.dataRange.events).toBe(events.length)
  })

  it('a hostile tag is found by the tag parameter, commas and all', async () => {
    const tag = '=hyperlink("http://x","y")'
    const { body } = await getJson<GrowthReport>(
      app,
      `/api/hashtags/growth?from=2025-01-10&to=2025-01-21&granularity=day&tag=${encodeURIComponent(tag)}`,
    )
    const expected = events.filter((e) => e.hashtags.includes(tag) && isView(e)).length
    expect(expected).toBeGreaterThan(0)
    expect(body.series[0]?.points.at(-1)?.cumViews).toBe(expected)
  })

  it('no garbage in any parameter of any route gives a 5xx', async () => {
    const routes: Record<string, string[]> = {
      '/api/overview': ['from', 'to', 'tz', 'region'],
      '/api/hashtags/growth': ['from', 'to', 'tz', 'granularity', 'region', 'tags', 'tag'],
      '/api/hashtags/top': ['from', 'tz', 'region', 'by', 'limit'],
      '/api/hashtags/trending': ['to', 'tz', 'by', 'limit', 'recent', 'minMultiple', 'minRecent'],
      '/api/regions/split': ['from', 'tz', 'granularity', 'region', 'type', 'level', 'metric', 'top'],
      '/api/regions/heatmap': ['from', 'tz', 'region', 'focus', 'type', 'metric'],
      '/api/annotations': ['from', 'to', 'tz'],
      '/api/export/top.csv': ['from', 'by', 'limit'],
    }
    const garbage = [
      '',
      ' ',
      "'",
      '"',
      ';',
      '--',
      '\\',
      "'; DROP TABLE events_v1; --",
      "tiktokrefugee') OR 1=1",
      '\u0000',
      '../../etc/passwd',
      '{tz:String}',
      'a'.repeat(3000),
      '-1',
      '1e309',
      'NaN',
      '[]',
      '\u202e',
      '😀',
      '2025-01-13T00:00:00+99:99',
      '-999999d',
    ]
    const seen = new Set<number>()
    for (const [route, params] of Object.entries(routes)) {
      for (const param of params) {
        for (const value of garbage) {
          const query = new URLSearchParams({ [param]: value })
          if (route.includes('growth') && param !== 'tags' && param !== 'tag') query.set('tags', 'tiktokrefugee')
          const response = await app.request(`${route}?${query}`)
          seen.add(response.status)
          expect(response.status, `${route} ${param}=${JSON.stringify(value).slice(0, 40)}`).toBeLessThan(500)
          if (response.status >= 400) {
            const body = (await response.json()) as ErrorBody
            expect(body.parameter, `${route} ${param}=${JSON.stringify(value).slice(0, 40)}`).toBe(param)
          } else await response.body?.cancel()
        }
      }
    }
    expect(seen.has(400)).toBe(true)
    const meta = await getJson<{ dataRange: { events: number } }>(app, '/api/meta')
    expect(meta.body.dataRange.events).toBe(events.length)
  })
})
