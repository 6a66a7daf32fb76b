/** Hashtag growth: line series with milestone pins, annotation lines, zoom and a canvas tooltip. */

import type { DatedAnnotation, GrowthReport } from '@trendlens/contract'
import { LineChart } from 'echarts/charts'
import {
  DataZoomInsideComponent,
  DataZoomSliderComponent,
  GridComponent,
  LegendComponent,
  MarkLineComponent,
  MarkPointComponent,
  TooltipComponent,
} from 'echarts/components'
import { use } from 'echarts/core'
import { LabelLayout } from 'echarts/features'
import { CanvasRenderer } from 'echarts/renderers'
import { type Ref, useMemo } from 'react'
import { type GrowthView, growthOption } from '../transforms/growth.ts'
import { type ChartHandle, EChart } from './echart.tsx'

use([
  LineChart,
  GridComponent,
  TooltipComponent,
  LegendComponent,
  MarkLineComponent,
  MarkPointComponent,
  DataZoomInsideComponent,
  DataZoomSliderComponent,
  LabelLayout,
  CanvasRenderer,
])

interface GrowthChartProps {
  response: GrowthReport
  annotations: readonly DatedAnnotation[]
  /** The first tag over the previous period, drawn as a dashed comparison line. */
  previous?: GrowthReport | undefined
  view: GrowthView
  height: number
  label: string
  ref?: Ref<ChartHandle>
}

export function GrowthChart({ response, annotations, previous, view, height, label, ref }: GrowthChartProps) {
  const option = useMemo(
    () => growthOption(response, annotations, view, previous),
    [response, annotations, view, previous],
  )
  const resetKey = [
    view.mode,
    view.metric,
    view.lang,
    view.tz,
    view.palette.theme,
    response.granularity,
    previous ? 'previous' : '',
    ...response.series.map((s) => s.tag),
  ].join('|')
  return <EChart ref={ref} option={option} resetKey={resetKey} height={height} label={label} testId="growth-chart" />
}
