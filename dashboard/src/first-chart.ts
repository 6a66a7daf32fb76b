/**
 * Whether the page's first chart has drawn. The panels below it wait for that, so the first chart's data and drawing
 * get the browser and the server first, and the rest follows a moment later.
 */
import { useEffect, useState, useSyncExternalStore } from 'react'

/** When no chart draws (an error, no data, no tags), how long the panels below wait after the ones above answered. */
const NO_CHART_WAIT_MS = 2_000

let drawn = false
let told = false
const listeners = new Set<() => void>()

/** Called by each chart when it has drawn; only the first call counts. */
export function firstChartDrawn(): void {
  if (told) return
  told = true
  // In a task of its own: the chart's frame reaches the screen before the rest of the page is rendered.
  setTimeout(() => {
    drawn = true
    for (const listener of listeners) listener()
  }, 0)
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener)
  return () => listeners.delete(listener)
}

/**
 * True once the first chart has drawn, or once `aboveAnswered` (the panels holding the first charts have their
 * answers) has held for a moment without a chart drawing. Stays true from then on.
 */
export function useAfterFirstChart(aboveAnswered: boolean): boolean {
  const chartDrawn = useSyncExternalStore(subscribe, () => drawn)
  const [waited, setWaited] = useState(false)
  useEffect(() => {
    if (chartDrawn || waited || !aboveAnswered) return
    const timer = setTimeout(() => setWaited(true), NO_CHART_WAIT_MS)
    return () => clearTimeout(timer)
  }, [chartDrawn, waited, aboveAnswered])
  return chartDrawn || waited
}
