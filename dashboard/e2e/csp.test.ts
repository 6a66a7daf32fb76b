/**
 * The built dashboard under the product's own headers, in real Chromium: the Content Security Policy (no inline
 * script) lets the Vite bundle, ECharts' canvas and the live stream work without a single violation, a page on
 * another origin cannot frame the dashboard, and the default view's first requests, named in the page's `Link`
 * header, are each sent once: the app takes the preloaded answers.
 */
import { type Browser, chromium } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Product, startProduct } from './product.ts'

const CHROMIUM = '/usr/bin/chromium'
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-component-update']
const UI_TIMEOUT = 30_000

let product: Product
let browser: Browser

beforeAll(async () => {
  product = await startProduct()
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS })
}, 240_000)

afterAll(async () => {
  await browser?.close()
  await product?.stop()
})

async function poll<T>(probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + UI_TIMEOUT
  for (;;) {
    const value = await probe()
    if (value !== undefined) return value
    if (Date.now() > deadline) throw new Error('timed out waiting for the frame')
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

describe('content security policy', () => {
  it('is sent with the dashboard, which draws its charts and takes live ticks without a violation', async () => {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } })
    const page = await context.newPage()
    const violations: string[] = []
    const errors: string[] = []
    await page.exposeFunction('reportViolation', (text: string) => violations.push(text))
    await page.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (event) => {
        const report = (window as unknown as { reportViolation: (text: string) => void }).reportViolation
        report(`${event.violatedDirective} ${event.blockedURI} ${event.sourceFile}:${event.lineNumber}`)
      })
    })
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text())
    })
    page.on('pageerror', (error) => errors.push(error.message))
    const response = await page.goto(`${product.url}/?tz=Asia/Shanghai`)
    const csp = (await response?.allHeaders())?.['content-security-policy'] ?? ''
    expect(csp).toContain("script-src 'self'")
    expect(csp).toContain("frame-ancestors 'none'")
    // Both charts drew on their canvases and the KPIs hold figures: the bundle, ECharts and the API all ran.
    await page.waitForSelector('[data-testid=growth-chart][data-rendered=true]', { timeout: UI_TIMEOUT })
    await page.waitForSelector('[data-testid=split-chart][data-rendered=true]', { timeout: UI_TIMEOUT })
    await page.waitForFunction(
      () => document.querySelector('[data-testid=kpis]')?.getAttribute('data-state') === 'ready',
      undefined,
      { timeout: UI_TIMEOUT },
    )
    expect(await page.locator('canvas').count()).toBeGreaterThan(0)
    // A chart tooltip is ECharts' own HTML with inline styles: hovering the chart must not trip the policy.
    const chart = page.locator('[data-testid=growth-chart]')
    const box = await chart.boundingBox()
    if (box) await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2)
    // The live stream is open (its EventSource is a same-origin connection the policy allows).
    await page.waitForSelector('[data-testid=live-state][data-connection=open]', { timeout: UI_TIMEOUT })
    expect(violations).toEqual([])
    expect(errors.filter((text) => /Content Security Policy|Refused to/i.test(text))).toEqual([])
    await context.close()
  })

  it('refuses to be framed by a page on another origin', async () => {
    const context = await browser.newContext()
    const page = await context.newPage()
    await page.setContent(`<iframe src="${product.url}/" width="800" height="600"></iframe>`)
    // Chromium replaces a refused frame with its error page; wait until the frame has either loaded or been refused.
    const frame = await poll(async () => {
      const child = page.frames().find((f) => f !== page.mainFrame())
      const url = child?.url() ?? ''
      return url === '' || url === 'about:blank' ? undefined : child
    })
    expect(frame.url()).not.toContain(product.url)
    expect(await frame.locator('#root').count()).toBe(0)
    await context.close()
  })
})

describe('first view', () => {
  it("preloads the default view's first requests with the page, and the app takes those answers", async () => {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } })
    const page = await context.newPage()
    const sent: string[] = []
    page.on('request', (request) => {
      const url = new URL(request.url())
      if (url.pathname.startsWith('/api/')) sent.push(`${url.pathname}${url.search}`)
    })
    const response = await page.goto(`${product.url}/?lang=en`)
    const preloaded = [
      ...((await response?.allHeaders())?.link ?? '').matchAll(/<([^>]+)>; rel=preload; as=fetch/g),
    ].map((match) => match[1] as string)
    expect(preloaded.map((url) => new URL(url, product.url).pathname)).toEqual([
      '/api/hashtags/growth',
      '/api/regions/split',
      '/api/overview',
      '/api/meta',
      '/api/annotations',
    ])
    await page.waitForSelector('[data-testid=growth-chart][data-rendered=true]', { timeout: UI_TIMEOUT })
    await page.waitForSelector('[data-testid=split-chart][data-rendered=true]', { timeout: UI_TIMEOUT })
    await page.waitForFunction(
      () => document.querySelector('[data-testid=kpis]')?.getAttribute('data-state') === 'ready',
      undefined,
      { timeout: UI_TIMEOUT },
    )
    // Each preloaded answer was asked for once: the app's own requests for them did not go out again.
    for (const url of preloaded) {
      expect(
        sent.filter((other) => other === url),
        url,
      ).toHaveLength(1)
    }
    await context.close()
  })
})
