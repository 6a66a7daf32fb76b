/**
 * The dashboard in a real browser (Debian's Chromium through playwright-core) against the real product: the API,
 * ingest and embedded ClickHouse in one process replaying the checked-in sample. The product requires an API token,
 * handed to each page in its address fragment, so every test also exercises the dashboard's token handling.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { formatCompact } from '../src/i18n.ts'
import { DASHBOARD_DIR, type Product, ROOT_DIR, startProduct } from './product.ts'

const CHROMIUM = '/usr/bin/chromium'
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-quic',
  '--no-first-run',
  '--disable-component-update',
  '--disable-sync',
]
const VIEWPORT = { width: 1440, height: 900 }
const PHONE = { width: 390, height: 844 }
const STORY_FROM = '2025-01-10T00:00:00+08:00'
const STORY_TO = '2025-01-21T00:00:00+08:00'
const MARKUP_TAG = '<img src=x onerror=alert(1)>'
const UI_TIMEOUT = 20_000
const API_TOKEN = 'e2e-token-0123456789abcdef'

let product: Product
let browser: Browser

beforeAll(async () => {
  product = await startProduct({ apiToken: API_TOKEN })
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS })
}, 240_000)

afterAll(async () => {
  await browser?.close()
  await product?.stop()
})

interface Opened {
  context: BrowserContext
  page: Page
  dialogs: string[]
  errors: string[]
}

/** Opens a page in a fresh browser context, handing it the API token in the address fragment unless told not to. */
async function open(
  path: string,
  options: { withToken?: boolean; viewport?: { width: number; height: number } } = {},
): Promise<Opened> {
  const context = await browser.newContext({
    viewport: options.viewport ?? VIEWPORT,
    colorScheme: 'light',
    acceptDownloads: true,
  })
  const page = await context.newPage()
  const dialogs: string[] = []
  const errors: string[] = []
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message())
    void dialog.dismiss()
  })
  page.on('pageerror', (error) => errors.push(error.message))
  const fragment = options.withToken === false ? '' : `#token=${encodeURIComponent(API_TOKEN)}`
  await page.goto(`${product.url}${path}${fragment}`)
  return { context, page, dialogs, errors }
}

/** The growth and split charts have drawn and their panels hold the answer to the current view. */
async function ready(page: Page): Promise<void> {
  await page.waitForSelector('[data-testid=growth-chart][data-rendered=true]', { timeout: UI_TIMEOUT })
  await page.waitForSelector('[data-testid=split-chart][data-rendered=true]', { timeout: UI_TIMEOUT })
  await page.waitForFunction(
    () =>
      ['panel-growth', 'panel-split'].every(
        (id) => document.querySelector(`[data-testid=${id}] [data-state]`)?.getAttribute('data-state') === 'ready',
      ) && document.querySelector('[data-testid=kpis]')?.getAttribute('data-state') === 'ready',
    undefined,
    { timeout: UI_TIMEOUT },
  )
}

/** Bytes of the entry script and the modules index.html preloads: what the browser needs before the app runs. */
function initialJs(): { raw: number; gzip: number; files: string[] } {
  const html = readFileSync(join(DASHBOARD_DIR, 'dist', 'index.html'), 'utf8')
  const files = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.js)"/g)].map((match) => match[1] as string)
  let raw = 0
  let gzip = 0
  for (const file of files) {
    const bytes = readFileSync(join(DASHBOARD_DIR, 'dist', file))
    raw += bytes.length
    gzip += gzipSync(bytes, { level: 9 }).length
  }
  return { raw, gzip, files }
}

/** The iTXt chunks of a PNG, keyword → UTF-8 text. */
function pngText(png: Buffer): Record<string, string> {
  const found: Record<string, string> = {}
  for (let offset = 8; offset < png.length; ) {
    const length = png.readUInt32BE(offset)
    const type = png.toString('latin1', offset + 4, offset + 8)
    if (type === 'iTXt') {
      const data = png.subarray(offset + 8, offset + 8 + length)
      const keywordEnd = data.indexOf(0)
      // keyword \0, compression flag and method, language \0, translated keyword \0, text
      const languageEnd = data.indexOf(0, keywordEnd + 3)
      const translatedEnd = data.indexOf(0, languageEnd + 1)
      found[data.toString('latin1', 0, keywordEnd)] = data.subarray(translatedEnd + 1).toString('utf8')
    }
    offset += 12 + length
  }
  return found
}

const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`

describe('dashboard against the real product', () => {
  it('loads the story view: KPIs, the growth chart and the CN/US split', async () => {
    const { context, page, errors } = await open('/')
    await ready(page)
    const coldMs = await page.evaluate(() => window.__trendlens?.firstChartMs)
    // A second visit: browser cache warm, the API's caches and the engine's query plans warm.
    const second = await context.newPage()
    await second.goto(`${product.url}/`)
    await ready(second)
    const warmMs = await second.evaluate(() => window.__trendlens?.firstChartMs)
    await second.close()
    const js = initialJs()
    console.log(
      `navigation → first chart drawn: ${coldMs?.toFixed(0)} ms (first visit), ${warmMs?.toFixed(0)} ms (second); ` +
        `initial JS ${kib(js.gzip)} gzip (${kib(js.raw)} raw: ${js.files.join(', ')})`,
    )
    expect(js.files.length).toBeGreaterThan(0)
    await expect(page.locator('h1').textContent()).resolves.toBe('TrendLens')
    await expect(page.locator('.chip-text').allTextContents()).resolves.toEqual(['#tiktokrefugee', '#tiktokban'])
    await expect(page.locator('[data-testid=presets] [aria-pressed=true]').getAttribute('data-value')).resolves.toBe(
      'story',
    )
    const overview = await product.json<{ current: { views: number } }>(
      `/api/overview?from=${encodeURIComponent(STORY_FROM)}&to=${encodeURIComponent(STORY_TO)}&tz=Asia%2FShanghai`,
    )
    await expect(page.locator('[data-kpi=views]').getAttribute('data-value')).resolves.toBe(
      String(overview.current.views),
    )
    await expect(page.locator('[data-testid=crossover]').count()).resolves.toBeGreaterThan(0)
    expect(errors).toEqual([])
    await context.close()
  })

  it("shows the API's cumulative views at a chosen hour", async () => {
    const { context, page } = await open('/')
    await ready(page)
    const hour = '2025-01-14T03:00:00+08:00'
    const api = await product.json<{ series: { tag: string; points: { t: string; cumViews: number }[] }[] }>(
      `/api/hashtags/growth?tag=tiktokrefugee&tag=tiktokban&from=${encodeURIComponent(STORY_FROM)}` +
        `&to=${encodeURIComponent(STORY_TO)}&tz=Asia%2FShanghai&granularity=hour`,
    )
    await page.waitForSelector('[data-testid=growth-table][data-state=ready]', { state: 'attached' })
    for (const tag of ['tiktokrefugee', 'tiktokban']) {
      const expected = api.series.find((s) => s.tag === tag)?.points.find((p) => p.t === hour)?.cumViews
      expect(expected).toBeGreaterThan(0)
      const shown = await page.evaluate(
        ({ hour, key }) => {
          const table = document.querySelector('[data-testid=growth-table]')
          const headers = [...(table?.querySelectorAll('thead th') ?? [])].map((th) => th.getAttribute('data-key'))
          const row = table?.querySelector(`tr[data-t="${hour}"]`)
          return row?.children[headers.indexOf(key)]?.getAttribute('data-value')
        },
        { hour, key: `${tag}:cumViews` },
      )
      expect(shown).toBe(String(expected))
    }
    await context.close()
  })

  it('moves the crossover hours with the chosen zone (13 hours between Beijing and New York in January)', async () => {
    const { context, page } = await open('/')
    await ready(page)
    const read = () =>
      page.locator('[data-testid=crossover]').evaluateAll((items) =>
        items.map((item) => ({
          ts: Number(item.getAttribute('data-ts')),
          t: item.getAttribute('data-t') ?? '',
          text: item.querySelector('time')?.textContent ?? '',
        })),
      )
    const beijing = await read()
    expect(beijing.length).toBeGreaterThan(0)
    expect(beijing.every((c) => c.t.endsWith('+08:00'))).toBe(true)

    await page.selectOption('[data-testid=tz-select]', 'America/New_York')
    await page.waitForFunction(
      () => document.querySelector('[data-testid=crossover]')?.getAttribute('data-t')?.endsWith('-05:00') === true,
      undefined,
      { timeout: UI_TIMEOUT },
    )
    await ready(page)
    const newYork = await read()
    expect(page.url()).toContain('tz=America/New_York')
    // Same instants, read 13 hours earlier on the clock.
    expect(newYork.map((c) => c.ts)).toEqual(beijing.map((c) => c.ts))
    for (const [index, crossover] of newYork.entries()) {
      const there = Number(crossover.t.slice(11, 13))
      const here = Number(beijing[index]?.t.slice(11, 13))
      expect((here - there + 24) % 24).toBe(13)
    }
    expect(beijing[0]?.text).not.toBe(newYork[0]?.text)
    await expect(page.locator('#split-title + .panel-subtitle').textContent()).resolves.toBe(
      'Hours in America/New_York',
    )
    await context.close()
  })

  it('switches language: labels, number formats and the URL', async () => {
    const { context, page } = await open('/')
    await ready(page)
    const views = Number(await page.locator('[data-kpi=views]').getAttribute('data-value'))
    await expect(page.locator('#growth-title').textContent()).resolves.toBe('Hashtag growth')
    await expect(page.locator('[data-kpi=views] .kpi-value').textContent()).resolves.toBe(formatCompact(views, 'en'))

    await page.selectOption('[data-testid=lang-select]', 'zh-CN')
    await page.waitForFunction(() => document.documentElement.lang === 'zh-CN')
    await expect(page.locator('#growth-title').textContent()).resolves.toBe('话题增长')
    await expect(page.locator('[data-kpi=views] .kpi-value').textContent()).resolves.toBe(formatCompact(views, 'zh-CN'))
    expect(formatCompact(views, 'zh-CN')).toMatch(/万|亿/)
    await expect(page.locator('[data-testid=presets] [data-value=story]').textContent()).resolves.toBe('事件周')
    expect(page.url()).toContain('lang=zh-CN')
    await context.close()
  })

  it('asks for the API token when it has none or a wrong one, keeps it, and takes it out of the address', async () => {
    const { context, page, errors } = await open('/', { withToken: false })
    const prompt = page.locator('[data-testid=token-prompt]')
    await prompt.waitFor({ timeout: UI_TIMEOUT })
    await page.fill('[data-testid=token-prompt] input', 'not-the-token-at-all')
    await Promise.all([page.waitForNavigation(), page.click('[data-testid=token-prompt] button')])
    await prompt.locator('[role=alert]').waitFor({ timeout: UI_TIMEOUT })
    await page.fill('[data-testid=token-prompt] input', API_TOKEN)
    await Promise.all([page.waitForNavigation(), page.click('[data-testid=token-prompt] button')])
    await ready(page)
    // Handed over in the fragment, the token leaves the address bar at once.
    const handed = await open('/?range=surge')
    await ready(handed.page)
    expect(handed.page.url()).not.toContain('token')
    await handed.context.close()
    expect(errors).toEqual([])
    await context.close()
  })

  it('downloads the growth CSV with the view parameters', async () => {
    const { context, page } = await open('/')
    await ready(page)
    const [download] = await Promise.all([
      page.waitForEvent('download', { timeout: UI_TIMEOUT }),
      page.click('[data-testid=export-growth-csv]'),
    ])
    expect(download.suggestedFilename()).toMatch(/^trendlens-growth-.*Asia_Shanghai\.csv$/)
    const path = await download.path()
    const bytes = readFileSync(path)
    // A UTF-8 byte-order mark first, so Excel reads 猫税 and 小红书 as written.
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
    const lines = bytes.subarray(3).toString('utf8').trimEnd().split(/\r?\n/)
    expect(lines[0]).toBe('"tag","t","t_end","ts","views","discussions","cum_views","cum_discussions"')
    const api = await product.json<{ series: { points: unknown[] }[] }>(
      `/api/hashtags/growth?tag=tiktokrefugee&tag=tiktokban&from=${encodeURIComponent(STORY_FROM)}` +
        `&to=${encodeURIComponent(STORY_TO)}&tz=Asia%2FShanghai&granularity=hour`,
    )
    const points = api.series.reduce((sum, s) => sum + s.points.length, 0)
    expect(points).toBe(2 * 11 * 24)
    expect(lines.length).toBe(1 + points)
    await context.close()
  })

  it('exports raw events from the UI: the row count first, progress while it streams, a BOM', async () => {
    const { context, page } = await open('/?range=surge&region=US&type=view,comment')
    await ready(page)
    await page.click('[data-testid=raw-export-open]')
    const count = page.locator('[data-testid=raw-export-count]')
    await count.waitFor({ timeout: UI_TIMEOUT })
    const announced = Number(await count.getAttribute('data-value'))
    const api = await product.json<{ rows: number }>(
      '/api/export/events/count?from=2025-01-14T00:00:00%2B08:00&to=2025-01-15T00:00:00%2B08:00' +
        '&tz=Asia%2FShanghai&region=US&type=view,comment',
    )
    expect(announced).toBe(api.rows)
    expect(announced).toBeGreaterThan(100)
    const [download] = await Promise.all([
      page.waitForEvent('download', { timeout: UI_TIMEOUT }),
      page.click('[data-testid=raw-export-start]'),
    ])
    expect(download.suggestedFilename()).toMatch(/^trendlens-events-.*Asia_Shanghai\.csv$/)
    const bytes = readFileSync(await download.path())
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
    const lines = bytes.subarray(3).toString('utf8').trimEnd().split('\r\n')
    expect(lines[0]).toBe('"t","ts","id","type","user_id","note_id","hashtags","region","country","lang"')
    expect(lines.length - 1).toBe(announced)
    await expect(page.locator('[data-testid=raw-export-done]').getAttribute('data-rows')).resolves.toBe(
      String(announced),
    )
    await expect(page.locator('[data-testid=raw-export-progress]').getAttribute('data-value')).resolves.toBe(
      String(announced),
    )
    await context.close()
  })

  it('downloads a PNG captioned with its title, range and zone', async () => {
    const { context, page } = await open('/')
    await ready(page)
    const [download] = await Promise.all([
      page.waitForEvent('download', { timeout: UI_TIMEOUT }),
      page.click('[data-testid=export-growth-png]'),
    ])
    const png = readFileSync(await download.path())
    const width = png.readUInt32BE(16)
    const height = png.readUInt32BE(20)
    const chart = await page.locator('[data-testid=growth-chart]').boundingBox()
    if (!chart) throw new Error('no chart box')
    // Drawn at twice the size, with a 48 px caption above the chart.
    expect(width).toBe(Math.round(chart.width) * 2)
    expect(height).toBe(Math.round(chart.height) * 2 + 96)
    // The caption is drawn above the chart: the band holds text-coloured pixels.
    const inked = await page.evaluate(
      async (url) => {
        const image = new Image()
        image.src = url
        await image.decode()
        const canvas = document.createElement('canvas')
        canvas.width = image.width
        canvas.height = 96
        const context = canvas.getContext('2d')
        if (!context) return 0
        context.drawImage(image, 0, 0)
        const { data } = context.getImageData(0, 0, image.width, 96)
        let dark = 0
        for (let i = 0; i < data.length; i += 4) if ((data[i] ?? 255) < 128) dark++
        return dark
      },
      `data:image/png;base64,${png.toString('base64')}`,
    )
    expect(inked).toBeGreaterThan(500)
    // ...and its words are in the file's text chunks, readable by any tool.
    expect(pngText(png)).toEqual({
      Title: 'Hashtag growth: #tiktokrefugee, #tiktokban',
      Description: 'Jan 10, 2025, 00:00 – Jan 21, 2025, 00:00 · Asia/Shanghai',
    })
    await context.close()
  })

  it('restores a view from its URL, and walks back and forward', async () => {
    const search = `?range=surge&tz=America%2FNew_York&lang=zh-CN&tag=${encodeURIComponent('猫税')}&mode=bucket&level=province`
    const { context, page } = await open(`/${search}`)
    await ready(page)
    const pressed = (group: string) =>
      page.locator(`[aria-label="${group}"] [aria-pressed=true]`).first().getAttribute('data-value')
    await expect(page.locator('[data-testid=tz-select]').inputValue()).resolves.toBe('America/New_York')
    await expect(page.locator('[data-testid=lang-select]').inputValue()).resolves.toBe('zh-CN')
    await expect(page.locator('.chip-text').allTextContents()).resolves.toEqual(['#猫税'])
    await expect(pressed('时间范围')).resolves.toBe('surge')
    await expect(pressed('曲线')).resolves.toBe('bucket')
    await expect(pressed('层级')).resolves.toBe('province')
    const surgeFirstRow = await page.locator('[data-testid=growth-table] tbody tr').first().getAttribute('data-t')
    expect(surgeFirstRow).toBe('2025-01-13T11:00:00-05:00')

    await page.click('[data-testid=presets] [data-value=story]')
    await page.waitForURL((url) => !url.search.includes('range=surge'))
    await expect(pressed('时间范围')).resolves.toBe('story')
    await page.goBack()
    await page.waitForURL((url) => url.search.includes('range=surge'))
    await expect(pressed('时间范围')).resolves.toBe('surge')
    await expect(pressed('曲线')).resolves.toBe('bucket')
    await page.goForward()
    await page.waitForURL((url) => !url.search.includes('range=surge'))
    await expect(pressed('时间范围')).resolves.toBe('story')
    await context.close()
  })

  it('shows hashtags and annotation titles written as markup as text', async () => {
    const created = await fetch(`${product.url}/api/annotations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...product.headers },
      body: JSON.stringify({
        ts: '2025-01-14T12:00:00+08:00',
        title: '<img src=y onerror=alert(2)>',
        body: '<script>alert(3)</script>',
        hashtag: MARKUP_TAG,
      }),
    })
    expect(created.status).toBe(201)
    const { context, page, dialogs, errors } = await open(`/?tag=${encodeURIComponent(MARKUP_TAG)}&tag=tiktokrefugee`)
    await ready(page)
    await expect(page.locator('.chip-text').first().textContent()).resolves.toBe(`#${MARKUP_TAG}`)
    await expect(page.locator('.note-annotation', { hasText: '<img src=y onerror=alert(2)>' }).count()).resolves.toBe(1)
    // The tooltip is drawn on the canvas: hover across the chart to open it on several buckets.
    const box = await page.locator('[data-testid=growth-chart]').boundingBox()
    if (!box) throw new Error('the growth chart has no box')
    for (const x of [0.3, 0.5, 0.7]) {
      await page.mouse.move(box.x + box.width * x, box.y + box.height / 2)
      await page.waitForTimeout(150)
    }
    await page.click('[data-testid=tab-trending]')
    await page.waitForSelector('[data-testid=trending-table]')
    await expect(page.locator('[data-testid=trending-table]').textContent()).resolves.toContain(
      '<script>alert("tag")</script>',
    )
    expect(await page.locator('img').count()).toBe(0)
    expect(await page.locator('main script, main img').count()).toBe(0)
    expect(dialogs).toEqual([])
    expect(errors).toEqual([])
    await context.close()
  })

  it('updates KPIs and ingest health live, and pauses on request', async () => {
    const { context, page } = await open('/?range=1h')
    await ready(page)
    await page.waitForSelector('[data-testid=live-state][data-live=live][data-connection=open]', {
      timeout: UI_TIMEOUT,
    })
    const storedBefore = await page.locator('[data-testid=ingest-stored]').getAttribute('data-value')
    const eventsBefore = await page.locator('[data-kpi=views]').getAttribute('data-value')
    const started = Date.now()
    await page.waitForFunction(
      (before) => document.querySelector('[data-testid=ingest-stored]')?.getAttribute('data-value') !== before,
      storedBefore,
      { timeout: UI_TIMEOUT },
    )
    const ingestMs = Date.now() - started
    await page.waitForFunction(
      (before) => document.querySelector('[data-kpi=views]')?.getAttribute('data-value') !== before,
      eventsBefore,
      { timeout: UI_TIMEOUT },
    )
    console.log(`live: ingest health moved after ${ingestMs} ms, the views KPI after ${Date.now() - started} ms`)

    await page.click('[data-testid=live-toggle]')
    await page.waitForSelector('[data-testid=live-state][data-live=user-paused]')
    expect(page.url()).toContain('live=off')
    await context.close()
  })

  it('fits a phone: no sideways scroll at 390×844, every range control reachable, tables whole', async () => {
    const { context, page, errors } = await open('/', { viewport: PHONE })
    await ready(page)
    await page.waitForSelector('[data-testid=heatmap-chart][data-rendered=true]', { timeout: UI_TIMEOUT })
    const width = await page.evaluate(() => document.documentElement.scrollWidth)
    expect(width).toBeLessThanOrEqual(PHONE.width)
    for (const selector of [
      'text=Go live (last 24h)',
      '[data-testid=presets] [data-value="7d"]',
      '[data-testid=presets] [data-value=custom]',
    ]) {
      const box = await page.locator(selector).boundingBox()
      if (!box) throw new Error(`${selector} has no box`)
      expect(box.x).toBeGreaterThanOrEqual(0)
      expect(box.x + box.width, selector).toBeLessThanOrEqual(PHONE.width)
    }
    // The top table fits its panel: no column is cut off.
    const table = await page.locator('[data-testid=top-table]').evaluate((element) => ({
      table: element.getBoundingClientRect().width,
      box: (element.parentElement as HTMLElement).clientWidth,
    }))
    expect(table.table).toBeLessThanOrEqual(table.box + 0.5)
    // Every control stays usable: Custom opens its form, Last 7d applies.
    await page.click('[data-testid=presets] [data-value=custom]')
    await page.waitForSelector('[data-testid=custom-range]')
    await page.click('[data-testid=presets] [data-value="7d"]')
    await page.waitForURL((url) => url.search.includes('range=7d'))
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width)
    expect(errors).toEqual([])
    await context.close()
  })

  it('adds a tag clicked in the top table to the comparison, and takes it out again', async () => {
    const { context, page } = await open('/')
    await ready(page)
    const tag = await page.locator('[data-testid=top-table] tbody tr').nth(2).getAttribute('data-tag')
    if (!tag) throw new Error('no third tag')
    await page.click(`[data-testid=top-table] tr[data-tag="${tag}"] [data-testid=tag-button]`)
    await expect
      .poll(() => page.locator('.chip-text').allTextContents(), { timeout: UI_TIMEOUT })
      .toEqual(['#tiktokrefugee', '#tiktokban', `#${tag}`])
    await page.click(`[data-testid=top-table] tr[data-tag="${tag}"] [data-testid=tag-button]`)
    await expect
      .poll(() => page.locator('.chip-text').allTextContents(), { timeout: UI_TIMEOUT })
      .toEqual(['#tiktokrefugee', '#tiktokban'])
    await context.close()
  })

  it('shows every crossover without a scroll box, and the foreign share change in percentage points', async () => {
    const { context, page } = await open('/')
    await ready(page)
    const api = await product.json<{ crossovers: unknown[] }>(
      `/api/regions/split?from=${encodeURIComponent(STORY_FROM)}&to=${encodeURIComponent(STORY_TO)}` +
        '&tz=Asia%2FShanghai&granularity=hour&level=country&metric=users&top=2',
    )
    await expect(page.locator('[data-testid=crossover]').count()).resolves.toBe(api.crossovers.length)
    const list = await page
      .locator('[data-testid=crossovers]')
      .evaluate((element) => ({ scroll: element.scrollHeight, client: element.clientHeight }))
    expect(list.scroll).toBeLessThanOrEqual(list.client)
    const surge = await open('/?range=surge')
    await ready(surge.page)
    const overview = await product.json<{ current: { foreignShare: number }; previous: { foreignShare: number } }>(
      `/api/overview?from=2025-01-14T00:00:00%2B08:00&to=2025-01-15T00:00:00%2B08:00&tz=Asia%2FShanghai`,
    )
    const points = (overview.current.foreignShare - overview.previous.foreignShare) * 100
    const change = await surge.page.locator('[data-kpi=foreignShare] .kpi-change').textContent()
    expect(change).toContain(`${points > 0 ? '+' : '−'}${Math.abs(points).toFixed(1)} pp`)
    await surge.context.close()
    await context.close()
  })

  it('explains every metric in both languages', async () => {
    for (const lang of ['en', 'zh-CN']) {
      const { context, page } = await open(`/?lang=${lang}`)
      await ready(page)
      await page.click('[data-testid=tab-trending]')
      await page.waitForSelector('[data-testid=trending-table]')
      const helps = await page.locator('.help').evaluateAll((items) =>
        items.map((item) => ({
          label: item.querySelector('button')?.getAttribute('aria-label') ?? '',
          text: item.querySelector('[role=tooltip]')?.textContent ?? '',
        })),
      )
      // Five KPIs, lag, DLQ, events in the last minute, IP heartbeats, growth × and recent/h.
      expect(helps.length).toBeGreaterThanOrEqual(11)
      for (const help of helps) expect(help.text.length).toBeGreaterThan(10)
      if (lang === 'zh-CN') expect(helps.every((help) => /[\u4e00-\u9fff]/.test(help.text))).toBe(true)
      // The text shows on hover.
      const first = page.locator('.help').first()
      await first.hover()
      await expect(first.locator('[role=tooltip]').isVisible()).resolves.toBe(true)
      await context.close()
    }
  })

  it('opens a live range on per-minute values that move within 10 s, the bucket in progress marked', async () => {
    const { context, page } = await open('/?range=1h')
    await ready(page)
    const pressed = (group: string) =>
      page.locator(`[aria-label="${group}"] [aria-pressed=true]`).first().getAttribute('data-value')
    await expect(pressed('Curve')).resolves.toBe('bucket')
    const rows = page.locator('[data-testid=growth-table] tbody tr')
    const [first, second] = await Promise.all([
      rows.nth(0).getAttribute('data-ts'),
      rows.nth(1).getAttribute('data-ts'),
    ])
    expect(Number(second) - Number(first)).toBe(60_000)
    const partial = '[data-testid=growth-table] tr[data-partial=true]'
    await page.waitForSelector(partial, { state: 'attached', timeout: UI_TIMEOUT })
    await page.waitForSelector('[data-testid=growth-partial]', { timeout: UI_TIMEOUT })
    const read = () =>
      page.evaluate((selector) => {
        const row = document.querySelector(selector)
        const values = [...(row?.querySelectorAll('[data-value]') ?? [])].map((cell) => cell.getAttribute('data-value'))
        return `${row?.getAttribute('data-t')}|${values.join(',')}`
      }, partial)
    const before = await read()
    const started = Date.now()
    await page.waitForFunction(
      ({ selector, before }) => {
        const row = document.querySelector(selector)
        const values = [...(row?.querySelectorAll('[data-value]') ?? [])].map((cell) => cell.getAttribute('data-value'))
        return row !== null && `${row.getAttribute('data-t')}|${values.join(',')}` !== before
      },
      { selector: partial, before },
      { timeout: 10_000 },
    )
    console.log(`live: the bucket in progress changed after ${Date.now() - started} ms`)
    // The newest bucket is the one marked in progress, and it holds the present.
    const marked = await page.locator(partial).getAttribute('data-ts')
    const last = await rows.last().getAttribute('data-ts')
    expect(marked).toBe(last)
    expect(Date.now() - Number(marked)).toBeLessThan(2 * 60_000)
    const lastMinute = page.locator('[data-testid=events-last-minute]')
    await expect
      .poll(async () => Number(await lastMinute.getAttribute('data-value')), { timeout: UI_TIMEOUT })
      .toBeGreaterThan(0)
    await context.close()
  })

  it('draws the region split from a single bucket', async () => {
    const hour = Math.floor(Date.now() / 3_600_000) * 3_600_000
    const from = new Date(hour).toISOString()
    const to = new Date(hour + 3_600_000).toISOString()
    const { context, page } = await open(`/?range=custom&from=${from}&to=${to}&gran=hour`)
    await ready(page)
    const layout = await page.evaluate(() => {
      const chart = window.__trendlens?.charts['split-chart'] as unknown as {
        getModel(): {
          getSeries(): {
            subType: string
            getData(): { count(): number; getItemLayout(i: number): { height: number } }
          }[]
        }
      }
      return chart
        .getModel()
        .getSeries()
        .map((series) => ({
          type: series.subType,
          buckets: series.getData().count(),
          height: Math.abs(series.getData().getItemLayout(0)?.height ?? 0),
        }))
    })
    expect(layout.length).toBeGreaterThanOrEqual(2)
    expect(layout.every((series) => series.type === 'bar' && series.buckets === 1)).toBe(true)
    // The stacked shares fill the bucket's bar: every filled region drew a box of some height.
    expect(layout.reduce((sum, series) => sum + series.height, 0)).toBeGreaterThan(100)
    await context.close()
  })

  it('applies each filter to every panel that claims it, and the others say they do not and why', async () => {
    const panels = ['kpis', 'growth', 'split', 'heatmap', 'tags'] as const
    const tables: Record<(typeof panels)[number], string> = {
      kpis: '[data-testid=kpis]',
      growth: '[data-testid=growth-table]',
      split: '[data-testid=split-table]',
      heatmap: '[data-testid=heatmap-table]',
      tags: '[data-testid=top-table]',
    }
    /** Every figure a panel shows, as one string: what changes when a filter applies to it. */
    const figures = async (page: Page) => {
      await ready(page)
      await page.waitForSelector('[data-testid=heatmap-table][data-state=ready]', {
        state: 'attached',
        timeout: UI_TIMEOUT,
      })
      await page.waitForSelector('[data-testid=top-table]', { timeout: UI_TIMEOUT })
      return page.evaluate(
        (selectors) =>
          Object.fromEntries(
            Object.entries(selectors).map(([panel, selector]) => [
              panel,
              [...(document.querySelector(selector)?.querySelectorAll('[data-value]') ?? [])]
                .map((cell) => cell.getAttribute('data-value'))
                .join(','),
            ]),
          ),
        tables,
      )
    }
    const plain = await open('/?range=surge')
    const unfiltered = await figures(plain.page)
    const claims = (filter: string) =>
      Promise.all(
        panels.map(async (panel) =>
          ((await plain.page.locator(`[data-testid=filters-${panel}]`).getAttribute('data-honours')) ?? '')
            .split(',')
            .includes(filter),
        ),
      )
    expect(await claims('region')).toEqual(panels.map(() => true))
    await plain.context.close()
    for (const [filter, query] of [
      ['region', 'region=US'],
      ['type', 'type=comment'],
    ] as const) {
      const { context, page } = await open(`/?range=surge&${query}`)
      const filtered = await figures(page)
      for (const panel of panels) {
        const note = page.locator(`[data-testid=filters-${panel}]`)
        const honours = ((await note.getAttribute('data-honours')) ?? '').split(',')
        expect(unfiltered[panel]?.length, panel).toBeGreaterThan(0)
        if (honours.includes(filter)) {
          expect(filtered[panel], `${panel} claims ${filter}`).not.toBe(unfiltered[panel])
          await expect(note.getAttribute('data-applied')).resolves.toContain(filter)
        } else {
          await expect(note.getAttribute('data-ignored')).resolves.toContain(filter)
          await expect(note.locator('[role=note]').textContent()).resolves.toMatch(/^Not filtered by/)
        }
      }
      await context.close()
    }
  })

  it('says so when the heatmap region lies outside the region filter, instead of "no data"', async () => {
    const { context, page } = await open('/?range=surge&region=CN&heat=US')
    await ready(page)
    const message = page.locator('[data-testid=panel-heatmap] .state-title')
    await message.waitFor({ timeout: UI_TIMEOUT })
    await expect(message.textContent()).resolves.toMatch(/^United States is outside the region filter/)
    await context.close()
  })

  it('writes the screenshot of the live view', async () => {
    // The last 24 hours, filled in at start: the split crosses over between Beijing's day and night.
    const live = await open('/?range=24h&lang=en')
    await ready(live.page)
    await live.page.waitForSelector('[data-testid=growth-partial]', { timeout: UI_TIMEOUT })
    await live.page.waitForSelector('[data-testid=crossover]', { timeout: UI_TIMEOUT })
    await live.page.waitForSelector('[data-testid=heatmap-chart][data-rendered=true]', { timeout: UI_TIMEOUT })
    await live.page.waitForFunction(() => (window.__trendlens?.liveTicks ?? 0) >= 3, undefined, { timeout: UI_TIMEOUT })
    const livePng = await live.page.screenshot({ fullPage: false })
    writeFileSync(join(ROOT_DIR, 'docs', 'screenshot-live.png'), livePng)
    expect(livePng.length).toBeGreaterThan(10_000)
    await live.context.close()
  })
})
