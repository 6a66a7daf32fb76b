/** The ECharts option types of the charts this dashboard draws: only what is registered in charts/echarts.ts. */
import type { HeatmapSeriesOption, LineSeriesOption } from 'echarts/charts'
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

export type ChartOption = ComposeOption<
  | LineSeriesOption
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
