/** The ECharts option types of the charts this dashboard draws: only what is registered in charts/echarts.ts. */
import type { BarSeriesOption, HeatmapSeriesOption, LineSeriesOption } from 'echarts/charts'
import type {
  DataZoomComponentOption,
  GridComponentOption,
  LegendComponentOption,
  MarkLineComponentOption,
  MarkPointComponentOption,
  TooltipComponentOption,
  VisualMapComponentOption,
} from 'echarts/components'
import type { ComposeOption } from 'echarts/core'
import type { Palette } from './palette.ts'
import type { TimeAxis } from './time-axis.ts'

export type ChartOption = ComposeOption<
  | LineSeriesOption
  | BarSeriesOption
  | HeatmapSeriesOption
  | GridComponentOption
  | TooltipComponentOption
  | LegendComponentOption
  | MarkLineComponentOption
  | MarkPointComponentOption
  | DataZoomComponentOption
  | VisualMapComponentOption
>

/** Tooltip shared by every chart: drawn on the canvas (`richText`), so no value is ever parsed as HTML. */
export function baseTooltip(palette: Palette): TooltipComponentOption {
  return {
    renderMode: 'richText',
    backgroundColor: palette.tooltipBackground,
    borderColor: palette.tooltipBorder,
    borderWidth: 1,
    padding: [6, 10],
    textStyle: { color: palette.text, fontSize: 12, lineHeight: 18 },
    confine: true,
  }
}

export function baseTextStyle(palette: Palette) {
  return {
    color: palette.text,
    fontFamily:
      'system-ui, -apple-system, "Segoe UI", "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif',
    fontSize: 12,
  }
}

/** The x axis shared by the time-series charts: one category per bucket, labelled where the time axis chose. */
export function timeCategoryAxis(axis: Pick<TimeAxis, 'categories' | 'labels' | 'labelled'>, palette: Palette) {
  return {
    type: 'category' as const,
    boundaryGap: false,
    data: axis.categories,
    axisLine: { lineStyle: { color: palette.axis } },
    axisTick: { show: false },
    axisLabel: {
      color: palette.textMuted,
      hideOverlap: true,
      interval: (index: number) => axis.labelled[index] === true,
      formatter: (_value: string, index: number) => axis.labels[index] ?? '',
    },
  }
}
