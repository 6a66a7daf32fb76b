/** Hour-of-day × day heatmap; loaded on demand with its panel, so its modules stay out of the first bundle. */

import type { HeatmapReport } from '@trendlens/contract'
import { HeatmapChart as HeatmapSeries } from 'echarts/charts'
import { GridComponent, TooltipComponent, VisualMapContinuousComponent } from 'echarts/components'
import { use } from 'echarts/core'
import { CanvasRenderer } from 'echarts/renderers'
import { type Ref, useMemo } from 'react'
import { type HeatmapView, heatmapOption } from '../transforms/heatmap.ts'
import { type ChartHandle, EChart } from './echart.tsx'

use([HeatmapSeries, GridComponent, TooltipComponent, VisualMapContinuousComponent, CanvasRenderer])

interface HeatmapChartProps {
  response: HeatmapReport
  view: HeatmapView
  height: number
  label: string
  ref?: Ref<ChartHandle>
}

export function HeatmapChart({ response, view, height, label, ref }: HeatmapChartProps) {
  const option = useMemo(() => heatmapOption(response, view), [response, view])
  const resetKey = [view.lang, view.value, view.palette.theme, response.tz, String(view.narrow)].join('|')
  return <EChart ref={ref} option={option} resetKey={resetKey} height={height} label={label} testId="heatmap-chart" />
}
