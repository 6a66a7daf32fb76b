/**
 * A small read-only hook on `window.__trendlens` for people debugging in the console and for the browser tests:
 * when the first chart finished drawing, and how many charts have drawn.
 */
import type { ECharts } from 'echarts/core'

interface DebugInfo {
  /** `performance.now()` (ms since navigation) when the first chart finished its first render. */
  firstChartMs: number | undefined
  chartsDrawn: number
  liveTicks: number
  /** Each drawn chart by its test id, so a test can measure what ECharts laid out (label boxes, shapes). */
  charts: Record<string, ECharts>
}

declare global {
  interface Window {
    __trendlens?: DebugInfo
  }
}

export function debugInfo(): DebugInfo {
  if (!window.__trendlens) window.__trendlens = { firstChartMs: undefined, chartsDrawn: 0, liveTicks: 0, charts: {} }
  return window.__trendlens
}
