/** IP-region split: stacked share areas with the crossover hours as dashed lines and a canvas tooltip. */
import type { RegionSplitReport } from '@trendlens/contract'
import { BarChart, LineChart } from 'echarts/charts'
import { GridComponent, LegendComponent, MarkLineComponent, TooltipComponent } from 'echarts/components'
import { use } from 'echarts/core'
import { CanvasRenderer } from 'echarts/renderers'
import { type Ref, useMemo } from 'react'
import { type SplitView, splitOption } from '../transforms/split.ts'
import { type ChartHandle, EChart } from './echart.tsx'

use([LineChart, BarChart, GridComponent, TooltipComponent, LegendComponent, MarkLineComponent, CanvasRenderer])

interface SplitChartProps {
  response: RegionSplitReport
  view: SplitView
  height: number
  label: string
  ref?: Ref<ChartHandle>
}

export function SplitChart({ response, view, height, label, ref }: SplitChartProps) {
  const option = useMemo(() => splitOption(response, view), [response, view])
  const resetKey = [
    response.points.filter((point) => point.total > 0).length < 2 ? 'bars' : 'lines',
    view.lang,
    view.tz,
    view.palette.theme,
    response.granularity,
    ...response.regions,
  ].join('|')
  return <EChart ref={ref} option={option} resetKey={resetKey} height={height} label={label} testId="split-chart" />
}
