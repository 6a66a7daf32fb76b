/**
 * The one place that talks to ECharts: init on mount with the canvas renderer, setOption on change, resize with
 * the container, dispose on unmount. Modules are registered by the chart files that import this one.
 */
import { type ECharts, init } from 'echarts/core'
import { type Ref, useEffect, useImperativeHandle, useRef } from 'react'
import { debugInfo } from '../debug.ts'
import { firstChartDrawn } from '../first-chart.ts'
import type { ChartOption } from '../transforms/options.ts'

export interface ChartHandle {
  /** The chart as a PNG data URL, on the given background (the canvas itself is transparent). */
  /** The chart drawn at twice its size, for sharp downloads. */
  toPng(background: string): string | undefined
  /** Shows the tooltip of one bucket, as hovering it would (a list item pointing at its place on the chart). */
  showTip(dataIndex: number): void
  hideTip(): void
}

interface EChartProps {
  option: ChartOption
  /** Changing this replaces the option instead of merging it (series set, mode or theme changed). */
  resetKey: string
  height: number
  label: string
  testId?: string
  ref?: Ref<ChartHandle>
}

export function EChart({ option, resetKey, height, label, testId, ref }: EChartProps) {
  const container = useRef<HTMLDivElement>(null)
  const chart = useRef<ECharts | null>(null)
  const lastKey = useRef<string | null>(null)

  useEffect(() => {
    const element = container.current
    if (!element) return
    const name = testId ?? 'chart'
    performance.mark(`trendlens:${name}:init`)
    const instance = init(element, null, { renderer: 'canvas' })
    chart.current = instance
    lastKey.current = null
    debugInfo().charts[name] = instance
    let drawn = false
    instance.on('finished', () => {
      if (drawn) return
      drawn = true
      performance.mark(`trendlens:${name}:drawn`)
      const debug = debugInfo()
      debug.chartsDrawn++
      if (debug.firstChartMs === undefined) debug.firstChartMs = performance.now()
      element.dataset.rendered = 'true'
      firstChartDrawn()
    })
    const observer = new ResizeObserver(() => instance.resize())
    observer.observe(element)
    return () => {
      observer.disconnect()
      if (debugInfo().charts[name] === instance) delete debugInfo().charts[name]
      instance.dispose()
      chart.current = null
    }
  }, [testId])

  useEffect(() => {
    const instance = chart.current
    if (!instance) return
    const replace = lastKey.current !== resetKey
    instance.setOption(option, { notMerge: replace, lazyUpdate: false })
    lastKey.current = resetKey
  }, [option, resetKey])

  useImperativeHandle(
    ref,
    () => ({
      toPng: (background: string) =>
        chart.current?.getDataURL({ type: 'png', pixelRatio: 2, backgroundColor: background }),
      showTip: (dataIndex: number) => chart.current?.dispatchAction({ type: 'showTip', seriesIndex: 0, dataIndex }),
      hideTip: () => chart.current?.dispatchAction({ type: 'hideTip' }),
    }),
    [],
  )

  return <div ref={container} className="chart" style={{ height }} role="img" aria-label={label} data-testid={testId} />
}
