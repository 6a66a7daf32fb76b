/**
 * First chart time in Chromium: from navigation to the first chart drawn (`[data-rendered=true]`), each run in a
 * freshly launched browser with an empty cache, against a running product. Used by the benchmarks.
 */
import { createRequire } from 'node:module'

export interface FirstChartRun {
  /** Navigation start to the first chart drawn, ms. */
  firstChartMs: number
  /** Bytes the page transferred until then (compressed sizes, as sent). */
  transferredBytes: number
  requests: number
}

interface PlaywrightPage {
  addInitScript(script: string): Promise<void>
  goto(url: string, options: { waitUntil: 'commit' }): Promise<unknown>
  evaluate<T>(expression: string): Promise<T>
}
interface PlaywrightBrowser {
  newPage(): Promise<PlaywrightPage>
  close(): Promise<void>
}
// playwright-core is the dashboard's test dependency; the benchmarks reach it through that package.
const requireFromDashboard = createRequire(new URL('../dashboard/package.json', import.meta.url))
const { chromium } = requireFromDashboard('playwright-core') as {
  chromium: { launch(options: { executablePath: string; args: string[] }): Promise<PlaywrightBrowser> }
}

const CHROMIUM = '/usr/bin/chromium'
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking']
const TIMEOUT_MS = 60_000
const POLL_MS = 50

/** Records, inside the page, when the first chart says it has drawn. */
const OBSERVE_FIRST_CHART = `
(() => {
  const seen = () => {
    if (window.__firstChartMs === undefined && document.querySelector('[data-rendered=true]')) {
      window.__firstChartMs = performance.now()
    }
  }
  new MutationObserver(seen).observe(document, { subtree: true, childList: true, attributes: true,
    attributeFilter: ['data-rendered'] })
})()
`

export async function firstChart(url: string): Promise<FirstChartRun> {
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS })
  try {
    const page = await browser.newPage()
    await page.addInitScript(OBSERVE_FIRST_CHART)
    await page.goto(url, { waitUntil: 'commit' })
    // Polled from outside the page: the dashboard's Content-Security-Policy forbids evaluating strings inside it.
    const deadline = performance.now() + TIMEOUT_MS
    while ((await page.evaluate<number | null>('window.__firstChartMs ?? null')) === null) {
      if (performance.now() > deadline) throw new Error(`no chart drawn within ${TIMEOUT_MS} ms`)
      await new Promise((done) => setTimeout(done, POLL_MS))
    }
    return await page.evaluate<FirstChartRun>(`(() => {
      const at = window.__firstChartMs
      const entries = [performance.getEntriesByType('navigation')[0], ...performance.getEntriesByType('resource')]
        .filter((e) => e && e.startTime <= at)
      return {
        firstChartMs: at,
        transferredBytes: entries.reduce((sum, e) => sum + (e.transferSize || 0), 0),
        requests: entries.length,
      }
    })()`)
  } finally {
    await browser.close()
  }
}
