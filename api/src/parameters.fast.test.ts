/**
 * What the API refuses, decided before any figure is read: every bad parameter of every route is a 400 naming it,
 * and every bad annotation body names its field and writes nothing. Runs over the store double, without an engine;
 * hostile input that passes these checks is taken to the real engine in hostile-input.test.ts.
 */

import type { ErrorBody } from '@trendlens/contract'
import { describe, expect, it } from 'vitest'
import { memoryApp } from './test-support.ts'

const { app, store } = memoryApp()

describe('parameters', () => {
  const longRegions = Array.from({ length: 60 }, () => 'US').join(',')
  const bad: [path: string, parameter: string][] = [
    ['/api/overview?from=yesterday', 'from'],
    ['/api/overview?from=2025-02-30', 'from'],
    ['/api/overview?from=', 'from'],
    ['/api/overview?to=2025-01-14T25:00', 'to'],
    ['/api/overview?to=1736744400000', 'to'],
    ['/api/overview?from=2025-01-15&to=2025-01-14', 'from'],
    ['/api/overview?from=2025-01-14&to=2025-01-14', 'from'],
    ['/api/overview?from=1990-01-01&to=2025-01-01', 'from'],
    ['/api/overview?tz=Mars/Olympus_Mons', 'tz'],
    ['/api/overview?tz=%2B08:00', 'tz'],
    ['/api/overview?tz=', 'tz'],
    [`/api/overview?tz=${encodeURIComponent("Asia/Shanghai'; DROP TABLE events_v1; --")}`, 'tz'],
    ['/api/overview?region=XX', 'region'],
    ['/api/overview?region=cn-shanghai', 'region'],
    [`/api/overview?region=${encodeURIComponent("CN') OR 1=1 --")}`, 'region'],
    [
      `/api/overview?region=${longRegions.replaceAll('US', (_m, i: number) => `U${String.fromCharCode(65 + (i % 26))}`)}`,
      'region',
    ],
    ['/api/overview?region=', 'region'],
    ['/api/overview?granularity=hour', 'granularity'],
    ['/api/overview?foo=bar', 'foo'],
    ['/api/overview?tz=UTC&tz=Asia/Shanghai', 'tz'],
    ['/api/hashtags/growth?tags=a&granularity=week', 'granularity'],
    [`/api/hashtags/growth?tags=a&granularity=${encodeURIComponent('hour; DROP TABLE events_v1')}`, 'granularity'],
    ['/api/hashtags/growth', 'tags'],
    ['/api/hashtags/growth?tags=', 'tags'],
    ['/api/hashtags/growth?tags=,,', 'tags'],
    ['/api/hashtags/growth?tags=%23', 'tags'],
    ['/api/hashtags/growth?tags=a,b,c,d,e,f', 'tags'],
    [`/api/hashtags/growth?tags=${'x'.repeat(65)}`, 'tags'],
    ['/api/hashtags/growth?tags=a%00b', 'tags'],
    ['/api/hashtags/growth?tags=a,b,c&tag=d&tag=e&tag=f', 'tags'],
    [`/api/hashtags/growth?tag=${'y'.repeat(70)}`, 'tag'],
    ['/api/hashtags/growth?tags=a&granularity=minute&from=2025-01-01&to=2025-01-10', 'granularity'],
    ['/api/hashtags/growth?tags=a&granularity=15m&from=2024-01-01&to=2025-01-10', 'granularity'],
    ['/api/hashtags/growth?tags=a&from=2000-01-01&to=2025-01-01', 'from'],
    ['/api/hashtags/top?limit=0', 'limit'],
    ['/api/hashtags/top?limit=101', 'limit'],
    ['/api/hashtags/top?limit=abc', 'limit'],
    ['/api/hashtags/top?limit=-1', 'limit'],
    ['/api/hashtags/top?limit=1.5', 'limit'],
    [`/api/hashtags/top?limit=${encodeURIComponent('10; DROP TABLE events_v1')}`, 'limit'],
    ['/api/hashtags/top?by=likes', 'by'],
    [`/api/hashtags/top?by=${encodeURIComponent("views' --")}`, 'by'],
    ['/api/hashtags/trending?recent=2x', 'recent'],
    ['/api/hashtags/trending?recent=0h', 'recent'],
    ['/api/hashtags/trending?from=2025-01-13&to=2025-01-14&recent=2d', 'recent'],
    ['/api/hashtags/trending?from=2025-01-13T00:00&to=2025-01-13T00:15', 'from'],
    ['/api/hashtags/trending?minMultiple=0.5', 'minMultiple'],
    ['/api/hashtags/trending?minMultiple=abc', 'minMultiple'],
    ['/api/hashtags/trending?minRecent=0', 'minRecent'],
    ['/api/regions/split?level=city', 'level'],
    ['/api/regions/split?metric=clicks', 'metric'],
    ['/api/regions/split?top=0', 'top'],
    ['/api/regions/split?top=21', 'top'],
    ['/api/regions/split?type=like', 'type'],
    [`/api/regions/split?type=${encodeURIComponent("view' OR '1'='1")}`, 'type'],
    ['/api/regions/heatmap?from=2024-01-01&to=2025-01-01', 'from'],
    ['/api/regions/heatmap?region=ZZ', 'region'],
    ['/api/regions/heatmap?focus=ZZ', 'focus'],
    ['/api/live?from=-1h', 'from'],
    ['/api/live?tz=Nowhere/Land', 'tz'],
    ['/api/annotations?from=bad', 'from'],
    ['/api/export/nope.csv', 'dataset'],
    ['/api/export/events.csv?type=bogus', 'type'],
    ['/api/export/growth.csv', 'tags'],
  ]

  it.each(bad)('%s → 400 naming %s', async (path, parameter) => {
    const askedBefore = store.asked.length
    const response = await app.request(path)
    const body = (await response.json()) as ErrorBody
    expect(response.status).toBe(400)
    expect(body.code).toBe('invalid_parameter')
    expect(body.parameter).toBe(parameter)
    expect(body.message).toContain(parameter)
    expect(body.requestId).toBe(response.headers.get('X-Request-Id'))
    expect(body.requestId.length).toBeGreaterThan(0)
    // Refused before any figure was asked for: the only question a refusal may ask is the zone list.
    expect(store.asked.slice(askedBefore).filter((name) => name !== 'api_time_zones')).toEqual([])
  })
})

describe('annotations', () => {
  it('refuses bad bodies naming the field', async () => {
    const cases: [body: string, field: string][] = [
      ['not json', 'body'],
      [JSON.stringify({ title: 'x' }), 'ts'],
      [JSON.stringify({ ts: 'tomorrow', title: 'x' }), 'ts'],
      [JSON.stringify({ ts: '2025-01-14T03:00:00', title: 'x' }), 'ts'],
      [JSON.stringify({ ts: 1736744400000, title: '' }), 'title'],
      [JSON.stringify({ ts: 1736744400000, title: 'x'.repeat(201) }), 'title'],
      [JSON.stringify({ ts: 1736744400000, title: 'x', hashtag: 'a\u0001' }), 'hashtag'],
      [JSON.stringify({ ts: 1736744400000, title: 'x', extra: 1 }), 'extra'],
      [JSON.stringify({ ts: 1736744400000, title: 'x', body: 'y'.repeat(20_000) }), 'body'],
    ]
    for (const [body, field] of cases) {
      const response = await app.request('/api/annotations', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body,
      })
      const error = (await response.json()) as ErrorBody
      expect(response.status, body.slice(0, 60)).toBeGreaterThanOrEqual(400)
      expect(response.status, body.slice(0, 60)).toBeLessThan(500)
      expect(error.parameter, body.slice(0, 60)).toBe(field)
    }
    expect(store.appended).toEqual([])
  })
})
