/** CSV exports against the real engine: contents against the raw events, formula safety, file names, caps. */
import type {
  ErrorBody,
  GrowthReport,
  HeatmapReport,
  RegionSplitReport,
  TrendingReport,
  WireEvent,
} from '@trendlens/contract'
import type { Store, StoredEvent } from '@trendlens/sql'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseCsv, restoreCell } from '../csv.ts'
import {
  byCodePoint,
  eventually,
  getJson,
  inRange,
  type Loaded,
  loadSampleStore,
  matchesRegion,
  testApp,
} from '../test-support.ts'

let loaded: Loaded
let events: StoredEvent[]

/** Events sharing one millisecond (so pages split inside a tie) and ids a spreadsheet would run as formulas. */
const TIE_TS = Date.parse('2025-01-14T03:00:00+08:00')
const FORMULA_IDS = ['=1+1', '+cmd', '-2', '@SUM(1)', "'quoted", '=HYPERLINK("http://x","y")']

beforeAll(async () => {
  loaded = await loadSampleStore()
  const extra: WireEvent[] = []
  for (let i = 0; i < 2500; i++) {
    extra.push({
      id: `tie-${String(i).padStart(4, '0')}`,
      type: 'view',
      ts: TIE_TS,
      user_id: 'tie',
      note_id: 'n',
      hashtags: ['tie'],
      region: 'US-NY',
    })
  }
  FORMULA_IDS.forEach((id, i) => {
    extra.push({
      id,
      type: 'post',
      ts: TIE_TS + 1 + i,
      user_id: `@user${i}`,
      note_id: `=note${i}`,
      hashtags: ['=formula'],
      region: 'CN-SH',
    })
  })
  // The sample's hostile tags lack the +, @ and - starts; a few views carry them.
  for (const [i, tag] of ["+cmd|' /C calc'!A0", '@SUM(1,1)', '-2+3'].entries()) {
    extra.push({ id: `hostile-${i}`, type: 'view', ts: TIE_TS + 100, user_id: 'h', note_id: 'n', hashtags: [tag] })
  }
  await loaded.write(extra)
  events = loaded.events
})

afterAll(async () => {
  await loaded?.close()
})

async function csv(app: ReturnType<typeof testApp>, path: string) {
  const response = await app.request(path)
  const text = await response.text()
  return { response, text, records: parseCsv(text) }
}

function disposition(response: Response): string {
  return /filename="([^"]+)"/.exec(response.headers.get('Content-Disposition') ?? '')?.[1] ?? ''
}

describe('raw events export', () => {
  it('streams every event of the range, in order across engine blocks, times in the zone', async () => {
    const app = testApp(loaded)
    const from = Date.parse('2025-01-13T00:00:00+05:45')
    const to = Date.parse('2025-01-15T00:00:00+05:45')
    const { response, text, records } = await csv(
      app,
      '/api/export/events.csv?from=2025-01-13&to=2025-01-15&tz=Asia/Kathmandu',
    )
    expect(response.status).toBe(200)
    expect(response.headers.get('Content-Type')).toBe('text/csv; charset=utf-8')
    expect(disposition(response)).toBe('trendlens-events-20250113T0000-20250115T0000-Asia_Kathmandu.csv')
    expect(text.startsWith('"t","ts","id","type","user_id","note_id","hashtags","region","country","lang"\r\n')).toBe(
      true,
    )
    expect(text.split('\r\n').every((line) => !line.includes('\n'))).toBe(true)
    const [header, ...rows] = records
    expect(header).toEqual(['t', 'ts', 'id', 'type', 'user_id', 'note_id', 'hashtags', 'region', 'country', 'lang'])
    const expected = events.filter((e) => inRange(e, from, to)).sort((a, b) => a.ts - b.ts || byCodePoint(a.id, b.id))
    expect(expected.length).toBeGreaterThan(10_000)
    expect(rows.length).toBe(expected.length)
    expect(Number(response.headers.get('X-Export-Rows'))).toBe(expected.length)
    rows.forEach((row, i) => {
      const e = expected[i] as StoredEvent
      expect(row.length).toBe(10)
      expect(restoreCell(row[2] ?? '')).toBe(e.id)
      expect(Number(row[1])).toBe(e.ts)
      expect(row[0]?.endsWith('+05:45')).toBe(true)
      expect(Date.parse(row[0] ?? '')).toBe(e.ts)
      expect(row[3]).toBe(e.type)
      expect(JSON.parse(row[6] ?? '')).toEqual(e.hashtags)
      expect([row[7], row[8], row[9]]).toEqual([e.region, e.country, e.lang])
    })
  })

  it('neutralises cells a spreadsheet would run, keeps hostile tags as plain text', async () => {
    const app = testApp(loaded)
    const { records, text } = await csv(
      app,
      '/api/export/events.csv?from=2025-01-14T03:00:00%2B08:00&to=2025-01-14T03:00:01%2B08:00',
    )
    const rows = records.slice(1).filter((row) => row[6] === '["=formula"]')
    expect(rows.map((row) => row[2])).toEqual(FORMULA_IDS.map((id) => `'${id}`))
    expect(rows.map((row) => row[4])).toEqual(FORMULA_IDS.map((_, i) => `'@user${i}`))
    expect(rows.map((row) => row[5])).toEqual(FORMULA_IDS.map((_, i) => `'=note${i}`))
    expect(text).toContain('"\'=HYPERLINK(""http://x"",""y"")"')
    for (const row of records.slice(1)) {
      for (const cell of row) expect(/^[=+\-@\t\r]/.test(cell), cell).toBe(false)
    }
    const hostile = await csv(
      app,
      '/api/export/events.csv?from=2025-01-10&to=2025-01-21&tags=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E',
    )
    const tagged = events.filter((e) => e.hashtags.includes('<img src=x onerror=alert(1)>'))
    expect(hostile.records.length - 1).toBe(tagged.length)
    expect(hostile.text).toContain('<img src=x onerror=alert(1)>')
  })

  it('applies the filters exactly', async () => {
    const app = testApp(loaded)
    const { records } = await csv(
      app,
      '/api/export/events.csv?from=2025-01-13&to=2025-01-16&type=view,comment&region=US,CN-BJ&tags=tiktokrefugee,cattax',
    )
    const from = Date.parse('2025-01-13T00:00:00+08:00')
    const to = Date.parse('2025-01-16T00:00:00+08:00')
    const expected = events.filter(
      (e) =>
        inRange(e, from, to) &&
        (e.type === 'view' || e.type === 'comment') &&
        matchesRegion(e, ['US', 'CN-BJ']) &&
        (e.hashtags.includes('tiktokrefugee') || e.hashtags.includes('cattax')),
    )
    expect(expected.length).toBeGreaterThan(100)
    expect(records.length - 1).toBe(expected.length)
  })

  it('counts the rows of an export before it starts, the same filters exactly', async () => {
    const app = testApp(loaded)
    const query = 'from=2025-01-13&to=2025-01-16&type=view,comment&region=US,CN-BJ&tags=tiktokrefugee,cattax'
    const { status, body } = await getJson<{ rows: number; limit: number }>(app, `/api/export/events/count?${query}`)
    expect(status).toBe(200)
    const { records, response } = await csv(app, `/api/export/events.csv?${query}`)
    expect(body.rows).toBe(records.length - 1)
    expect(response.headers.get('X-Export-Rows')).toBe(String(body.rows))
    expect(body.limit).toBe(10_000_000)
    const bad = await getJson<ErrorBody>(app, '/api/export/events/count?from=yesterday')
    expect(bad.status).toBe(400)
    expect(bad.body.parameter).toBe('from')
  })

  it('starts a CSV with a UTF-8 byte-order mark when asked (bom=1), and only then', async () => {
    const app = testApp(loaded)
    const bom = [0xef, 0xbb, 0xbf]
    for (const path of [
      '/api/export/events.csv?from=2025-01-14T03:00:00%2B08:00&to=2025-01-14T03:00:01%2B08:00',
      '/api/export/top.csv?from=2025-01-13&to=2025-01-16',
    ]) {
      const withBom = new Uint8Array(await (await app.request(`${path}&bom=1`)).arrayBuffer())
      expect([...withBom.slice(0, 3)], path).toEqual(bom)
      const text = new TextDecoder().decode(withBom)
      // The rest is the same file as without the mark (TextDecoder drops the mark it reads).
      const without = await (await app.request(path)).text()
      expect(text).toBe(without)
      expect(without.charCodeAt(0)).toBe('"'.charCodeAt(0))
    }
    const refused = await getJson<ErrorBody>(app, '/api/export/top.csv?bom=yes')
    expect(refused.status).toBe(400)
    expect(refused.body.parameter).toBe('bom')
  })

  it('refuses an export over the row cap with the count, and allows one exactly at the cap', async () => {
    const from = Date.parse('2025-01-13T00:00:00+08:00')
    const to = Date.parse('2025-01-14T00:00:00+08:00')
    const count = events.filter((e) => inRange(e, from, to)).length
    const path = '/api/export/events.csv?from=2025-01-13&to=2025-01-14'
    const refused = await testApp(loaded, { api: { exportMaxRows: count - 1 } }).request(path)
    expect(refused.status).toBe(413)
    const body = (await refused.json()) as ErrorBody
    expect(body.code).toBe('export_too_large')
    expect(body.message).toContain(count.toLocaleString('en-US'))
    expect(body.message).toContain((count - 1).toLocaleString('en-US'))
    const allowed = await csv(testApp(loaded, { api: { exportMaxRows: count } }), path)
    expect(allowed.response.status).toBe(200)
    expect(allowed.records.length - 1).toBe(count)
  })

  it('refuses exports beyond the concurrency cap until one finishes', async () => {
    const app = testApp(loaded, { api: { exportMaxConcurrent: 1 } })
    const first = await app.request('/api/export/events.csv?from=2025-01-10&to=2025-01-21')
    expect(first.status).toBe(200)
    const reader = first.body?.getReader()
    await reader?.read()
    for (const path of ['/api/export/events.csv?from=2025-01-13&to=2025-01-14', '/api/export/top.csv']) {
      const second = await app.request(path)
      expect(second.status, path).toBe(429)
      const body = (await second.json()) as ErrorBody
      expect(body.code).toBe('too_many_exports')
      expect(body.message).toContain('EXPORT_MAX_CONCURRENT')
    }
    await reader?.cancel()
    const next = await eventually(
      async () => {
        const response = await app.request('/api/export/top.csv')
        if (response.status === 429) {
          await response.body?.cancel()
          return undefined
        }
        return response
      },
      5_000,
      'the export slot to be released',
    )
    expect(next.status).toBe(200)
    await next.body?.cancel()
  })
})

/** The store, with every queryStream call's signal recorded (and an optional failure injected at chunk `failAt`). */
function recordingStore(failAt?: number) {
  const signals: AbortSignal[] = []
  const store = new Proxy(loaded.store, {
    get(target, property, receiver) {
      if (property !== 'queryStream') return Reflect.get(target, property, receiver)
      const queryStream: Store['queryStream'] = async function* (name, params, format, options = {}) {
        if (options.signal) signals.push(options.signal)
        let chunks = 0
        for await (const chunk of target.queryStream(name, params, format, options)) {
          if (++chunks === failAt) throw new Error('injected failure')
          yield chunk
        }
      }
      return queryStream
    },
  }) as Store
  return { store, signals }
}

describe('cancellation and failure', () => {
  it('a client that goes away cancels the store query and frees the slot', async () => {
    const { store, signals } = recordingStore()
    const app = testApp({ ...loaded, store }, { api: { exportMaxConcurrent: 1 } })
    const response = await app.request('/api/export/events.csv?from=2025-01-10&to=2025-01-21')
    const reader = response.body?.getReader()
    for (let i = 0; i < 3; i++) await reader?.read()
    const queriesBeforeCancel = signals.length
    expect(queriesBeforeCancel).toBeGreaterThan(0)
    await reader?.cancel()
    await eventually(async () => (signals.at(-1)?.aborted ? true : undefined), 5_000, 'the export query to be aborted')
    expect(signals.length).toBeLessThanOrEqual(queriesBeforeCancel + 1)

    const controller = new AbortController()
    const second = await eventually(
      async () => {
        const r = await app.request('/api/export/events.csv?from=2025-01-10&to=2025-01-21', {
          signal: controller.signal,
        })
        return r.status === 200 ? r : undefined
      },
      5_000,
      'a new export after the cancelled one',
    )
    const secondReader = second.body?.getReader()
    await secondReader?.read()
    await secondReader?.read()
    controller.abort()
    await eventually(async () => (signals.at(-1)?.aborted ? true : undefined), 5_000, 'the aborted request to cancel')
    await secondReader?.cancel().catch(() => undefined)
  })

  it('a store failure mid-stream fails the download instead of ending it short', async () => {
    const { store } = recordingStore(2)
    const app = testApp({ ...loaded, store })
    const response = await app.request('/api/export/events.csv?from=2025-01-10&to=2025-01-21')
    expect(response.status).toBe(200)
    await expect(response.text()).rejects.toThrow('injected failure')
  })
})

describe('report exports', () => {
  it('growth: the JSON series as rows, times in the zone, a file name that says what and when', async () => {
    const app = testApp(loaded)
    const query = 'from=2025-01-13&to=2025-01-15&tz=America/New_York&tags=tiktokrefugee,cattax&granularity=hour'
    const { response, records } = await csv(app, `/api/export/growth.csv?${query}`)
    expect(disposition(response)).toBe(
      'trendlens-growth-tiktokrefugee+cattax-20250113T0000-20250115T0000-America_New_York.csv',
    )
    const json = await getJson<GrowthReport>(app, `/api/hashtags/growth?${query}`)
    expect(records[0]).toEqual(['tag', 't', 't_end', 'ts', 'views', 'discussions', 'cum_views', 'cum_discussions'])
    const expected = json.body.series.flatMap((s) =>
      s.points.map((p, i) => [
        s.tag,
        p.t,
        // Each bucket ends where the next begins; the last ends with the range.
        s.points[i + 1]?.t ?? '2025-01-15T00:00:00-05:00',
        String(p.ts),
        String(p.views),
        String(p.discussions),
        String(p.cumViews),
        String(p.cumDiscussions),
      ]),
    )
    expect(records.slice(1)).toEqual(expected)
    expect(records[1]?.[1]?.endsWith('-05:00')).toBe(true)
  })

  it('top: hostile tags stay plain text, formula-like ones are neutralised', async () => {
    const app = testApp(loaded)
    const { response, records, text } = await csv(app, '/api/export/top.csv?from=2025-01-10&to=2025-01-21&limit=100')
    expect(disposition(response)).toBe('trendlens-top-views-20250110T0000-20250121T0000-Asia_Shanghai.csv')
    const tags = records.slice(1).map((row) => row[1] ?? '')
    expect(tags).toContain('<img src=x onerror=alert(1)>')
    expect(tags).toContain('"quoted, tag"')
    expect(tags).toContain(`'=hyperlink("http://x","y")`)
    expect(tags).toContain(`'@sum(1,1)`)
    expect(tags).toContain(`'+cmd|' /c calc'!a0`)
    expect(tags).toContain(`'-2+3`)
    expect(text).toContain('"""quoted, tag"""')
    for (const tag of tags) expect(/^[=+\-@\t\r]/.test(tag), tag).toBe(false)
  })

  it('regions, heatmap, trending and overview have a header and the JSON figures', async () => {
    const app = testApp(loaded)
    const range = 'from=2025-01-14&to=2025-01-16&tz=Asia/Kolkata'
    const regions = await csv(app, `/api/export/regions.csv?${range}&granularity=hour&top=2`)
    const split = await getJson<RegionSplitReport>(app, `/api/regions/split?${range}&granularity=hour&top=2`)
    expect(regions.records[0]).toEqual(['t', 'ts', 'region', 'metric', 'value', 'share', 'total', 'leader'])
    expect(regions.records.length - 1).toBe(split.body.points.length * split.body.regions.length)
    const firstPoint = split.body.points.find((p) => p.total > 0)
    const usRow = regions.records.find((row) => row[1] === String(firstPoint?.ts) && row[2] === 'US')
    expect(Number(usRow?.[4])).toBe(firstPoint?.values.US)
    expect(disposition(regions.response)).toBe(
      'trendlens-regions-country+users-20250114T0000-20250116T0000-Asia_Kolkata.csv',
    )

    const heat = await csv(app, `/api/export/heatmap.csv?${range}&region=US&metric=events`)
    const heatJson = await getJson<HeatmapReport>(app, `/api/regions/heatmap?${range}&region=US&metric=events`)
    expect(heat.records[0]).toEqual(['day', 'hour', 't', 'ts', 'metric', 'value', 'total', 'share'])
    expect(heat.records.slice(1).map((row) => Number(row[5]))).toEqual(heatJson.body.cells.map((c) => c.value))

    const rising = 'from=2025-01-10&to=2025-01-16&tz=Asia/Kolkata&recent=1d&minRecent=1&minMultiple=1'
    const trending = await csv(app, `/api/export/trending.csv?${rising}`)
    const trendingJson = await getJson<TrendingReport>(app, `/api/hashtags/trending?${rising}`)
    expect(trending.records[0]).toEqual([
      'rank',
      'tag',
      'status',
      'recent_rate',
      'baseline_rate',
      'multiple',
      'recent',
      'baseline',
      'views',
      'recent_hours',
      'baseline_hours',
    ])
    expect(trendingJson.body.rows.length).toBeGreaterThan(0)
    const { recentHours, baselineHours } = trendingJson.body.covered
    expect(trending.records.slice(1)).toEqual(
      trendingJson.body.rows.map((row, i) => [
        String(i + 1),
        row.tag,
        row.multiple !== null ? 'rising' : row.isNew ? 'new' : 'back',
        String(row.recentRate),
        String(row.baselineRate),
        row.multiple === null ? '' : String(row.multiple),
        String(row.recent),
        String(row.baseline),
        String(row.views),
        String(recentHours),
        String(baselineHours),
      ]),
    )
    const overview = await csv(app, `/api/export/overview.csv?${range}`)
    expect(overview.records.map((row) => row[0])).toEqual(['period', 'current', 'previous', 'change'])
    const views = events.filter(
      (e) =>
        e.type === 'view' &&
        inRange(e, Date.parse('2025-01-14T00:00:00+05:30'), Date.parse('2025-01-16T00:00:00+05:30')),
    ).length
    expect(Number(overview.records[1]?.[3])).toBe(views)
  })
})
