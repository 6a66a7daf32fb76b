/**
 * The story week generated at 1% of the article's size, in Chromium against the real product: the figures the
 * story is told with (S1, S2, S3) read the same in the dashboard as the API gives at those instants, and milestone
 * labels never overlap, measured from the chart's own layout. Loading the week (about 2.4M events) takes minutes.
 */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { type Browser, chromium } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Product, ROOT_DIR, startProduct } from './product.ts'

const CHROMIUM = '/usr/bin/chromium'
const STORY_FROM = '2025-01-10T00:00:00+08:00'
const UI_TIMEOUT = 60_000
const PHONE = { width: 390, height: 844 }

let product: Product
let browser: Browser

beforeAll(async () => {
  product = await startProduct({ scenarioScale: 0.01, readyTimeoutMs: 900_000 })
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu'] })
}, 960_000)

afterAll(async () => {
  await browser?.close()
  await product?.stop()
})

async function openStory(search = '', viewport = { width: 1440, height: 900 }) {
  const context = await browser.newContext({ viewport, colorScheme: 'light' })
  const page = await context.newPage()
  await page.goto(`${product.url}/${search}`)
  await page.waitForSelector('[data-testid=growth-chart][data-rendered=true]', { timeout: UI_TIMEOUT })
  await page.waitForSelector('[data-testid=growth-table][data-state=ready]', { state: 'attached', timeout: UI_TIMEOUT })
  return { context, page }
}

/** Cumulative views of a tag by an instant, as the API gives it: the last total of a range ending there. */
async function apiTotalAt(tag: string, instant: string): Promise<number> {
  const answer = await product.json<{ series: { points: { cumViews: number }[] }[] }>(
    `/api/hashtags/growth?tag=${tag}&from=${encodeURIComponent(STORY_FROM)}&to=${encodeURIComponent(instant)}` +
      '&tz=Asia%2FShanghai&granularity=hour',
  )
  const points = answer.series[0]?.points ?? []
  return points[points.length - 1]?.cumViews ?? Number.NaN
}

describe('the story week at 1%', () => {
  it('shows, by the end of each bucket, the cumulative views the API gives at that instant (S1, S2, S3)', async () => {
    const { context, page } = await openStory()
    // S1: about 10,000 at 15:00 on the 13th; S2: 170,000 at 03:00 on the 14th; S3: 852,413 at 20:00 on the 14th.
    for (const [instant, story] of [
      ['2025-01-13T15:00:00+08:00', 10_000],
      ['2025-01-14T03:00:00+08:00', 170_000],
      ['2025-01-14T20:00:00+08:00', 852_413],
    ] as const) {
      const api = await apiTotalAt('tiktokrefugee', instant)
      const shown = await page.evaluate((end) => {
        const table = document.querySelector('[data-testid=growth-table]')
        const headers = [...(table?.querySelectorAll('thead th') ?? [])].map((th) => th.getAttribute('data-key'))
        const row = table?.querySelector(`tr[data-end="${end}"]`)
        return {
          value: row?.children[headers.indexOf('tiktokrefugee:cumViews')]?.getAttribute('data-value'),
          label: row?.children[0]?.textContent,
        }
      }, instant)
      console.log(`#tiktokrefugee by ${instant}: dashboard ${shown.value}, API ${api}, story ${story}`)
      expect(Number(shown.value)).toBe(api)
      // The row is the hour that ends at that instant, and says so.
      expect(shown.label).toMatch(new RegExp(`–${instant.slice(11, 16)}$`))
      expect(Math.abs(api - story) / story).toBeLessThan(0.05)
    }
    await context.close()
  })

  it('gives each milestone the minute it was reached, and its labels on the chart never overlap', async () => {
    const tags = ['tiktokrefugee', 'tiktokban', 'rednote', 'cattax', 'xswl']
    const { context, page } = await openStory(`?${tags.map((tag) => `tag=${tag}`).join('&')}`)
    const api = await product.json<{
      series: { tag: string; milestones: { metric: string; threshold: number; ts: number; minuteTs?: number }[] }[]
    }>(
      `/api/hashtags/growth?${tags.map((tag) => `tag=${tag}`).join('&')}&from=${encodeURIComponent(STORY_FROM)}` +
        '&to=2025-01-21T00:00:00%2B08:00&tz=Asia%2FShanghai&granularity=hour',
    )
    const expected = api.series.flatMap((s) => s.milestones.filter((m) => m.metric === 'views'))
    expect(expected.length).toBeGreaterThanOrEqual(4)
    for (const milestone of expected) {
      expect(milestone.minuteTs).toBeGreaterThanOrEqual(milestone.ts)
      expect(milestone.minuteTs).toBeLessThan(milestone.ts + 3_600_000)
    }
    const listed = await page
      .locator('[data-testid=milestone]')
      .evaluateAll((items) => items.map((item) => Number(item.getAttribute('data-ts'))))
    expect(listed.sort()).toEqual(expected.map((m) => m.minuteTs).sort())

    const boxes = await page.evaluate(
      (labels) => {
        const chart = window.__trendlens?.charts['growth-chart']
        const out: { text: string; x: number; y: number; width: number; height: number }[] = []
        for (const element of chart?.getZr().storage.getDisplayList(true) ?? []) {
          const text = (element.style as { text?: string }).text
          if (element.type !== 'tspan' || text === undefined || !labels.includes(text)) continue
          let hidden = element.ignore || element.invisible
          for (let node = element.parent; node; node = node.parent) {
            if (node.ignore || (node as { invisible?: boolean }).invisible) hidden = true
          }
          if (hidden || (element.style as { opacity?: number }).opacity === 0) continue
          const rect = element.getBoundingRect().clone()
          if (element.transform) rect.applyTransform(element.transform)
          out.push({ text, x: rect.x, y: rect.y, width: rect.width, height: rect.height })
        }
        return out
      },
      ['10K', '100K', '1M', '10M'],
    )
    console.log(`milestone labels drawn: ${boxes.length} of ${expected.length}`)
    expect(boxes.length).toBeGreaterThanOrEqual(2)
    for (const [i, a] of boxes.entries()) {
      for (const b of boxes.slice(i + 1)) {
        const apart = a.x + a.width <= b.x || b.x + b.width <= a.x || a.y + a.height <= b.y || b.y + b.height <= a.y
        expect(apart, `${a.text} at ${a.x},${a.y} and ${b.text} at ${b.x},${b.y}`).toBe(true)
      }
    }
    await context.close()
  })

  it('writes the README screenshots of the story week at the default scale: English, Chinese, phone', async () => {
    for (const [search, file, viewport] of [
      ['?lang=en', 'screenshot-en.png', undefined],
      ['?lang=zh-CN', 'screenshot-zh.png', undefined],
      ['?lang=en', 'screenshot-phone.png', PHONE],
    ] as const) {
      const { context, page } = await openStory(search, viewport)
      for (const chart of ['split-chart', 'heatmap-chart']) {
        await page.waitForSelector(`[data-testid=${chart}][data-rendered=true]`, { timeout: UI_TIMEOUT })
      }
      await page.waitForSelector('[data-testid=kpis][data-state=ready]', { timeout: UI_TIMEOUT })
      const png = await page.screenshot({ fullPage: false })
      writeFileSync(join(ROOT_DIR, 'docs', file), png)
      expect(png.length).toBeGreaterThan(10_000)
      await context.close()
    }
  })
})
