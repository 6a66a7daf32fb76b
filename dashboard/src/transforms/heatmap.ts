/** Hour-of-day × day heatmap: API response (cells already in the chosen zone) → heatmap option. */
import type { HeatmapReport } from '@trendlens/contract'
import { formatCompact, formatDay, formatPercent, type Lang } from '../i18n.ts'
import { baseTextStyle, baseTooltip, type ChartOption } from './options.ts'
import type { Palette } from './palette.ts'

export interface HeatmapView {
  value: 'share' | 'value'
  lang: Lang
  palette: Palette
  /** A phone-wide chart: hours as two digits every third hour, so the labels stay apart. */
  narrow?: boolean
}

export const hourLabel = (hour: number) => `${String(hour).padStart(2, '0')}:00`

interface HeatmapGrid {
  days: string[]
  hours: number[]
  /** `[hourIndex, dayIndex, shown value]` as ECharts wants them. */
  data: [number, number, number][]
  max: number
}

export function heatmapGrid(response: HeatmapReport, value: HeatmapView['value']): HeatmapGrid {
  const dayIndex = new Map(response.days.map((day, index) => [day, index]))
  const hourIndex = new Map(response.hours.map((hour, index) => [hour, index]))
  const data: [number, number, number][] = []
  let max = 0
  for (const cell of response.cells) {
    const x = hourIndex.get(cell.hour)
    const y = dayIndex.get(cell.day)
    if (x === undefined || y === undefined) continue
    const shown = value === 'share' ? cell.share : cell.value
    // An empty hour has no share; it stays an empty cell.
    if (shown === null) continue
    if (shown > max) max = shown
    data.push([x, y, shown])
  }
  return { days: response.days, hours: response.hours, data, max }
}

export function heatmapOption(response: HeatmapReport, view: HeatmapView): ChartOption {
  const { palette, lang } = view
  const grid = heatmapGrid(response, view.value)
  const counts = new Map(response.cells.map((cell) => [`${cell.day}|${cell.hour}`, cell]))
  const show = (n: number) => (view.value === 'share' ? formatPercent(n, lang, 0) : formatCompact(n, lang))
  return {
    backgroundColor: 'transparent',
    textStyle: baseTextStyle(palette),
    animation: false,
    grid: { left: 8, right: 16, top: 8, bottom: 48, containLabel: true },
    tooltip: {
      ...baseTooltip(palette),
      trigger: 'item',
      formatter: (params: unknown) => {
        const value = (params as { value?: [number, number, number] }).value
        if (!value) return ''
        const day = grid.days[value[1]] ?? ''
        const hour = grid.hours[value[0]] ?? 0
        const cell = counts.get(`${day}|${hour}`)
        const lines = [`${formatDay(day, lang)} ${hourLabel(hour)}`]
        if (cell) {
          const share = cell.share === null ? '–' : formatPercent(cell.share, lang)
          lines.push(`${share}  (${formatCompact(cell.value, lang)})`)
        }
        return lines.join('\n')
      },
    },
    xAxis: {
      type: 'category',
      data: grid.hours.map(hourLabel),
      splitArea: { show: false },
      axisLine: { lineStyle: { color: palette.axis } },
      axisTick: { show: false },
      axisLabel: {
        color: palette.textMuted,
        interval: view.narrow ? 2 : 1,
        hideOverlap: true,
        formatter: (value: string) => (view.narrow ? value.slice(0, 2) : value),
      },
    },
    yAxis: {
      type: 'category',
      data: grid.days.map((day) => formatDay(day, lang)),
      inverse: true,
      axisLine: { lineStyle: { color: palette.axis } },
      axisTick: { show: false },
      axisLabel: { color: palette.textMuted },
    },
    visualMap: {
      type: 'continuous',
      min: 0,
      max: view.value === 'share' ? 1 : Math.max(grid.max, 1),
      calculable: true,
      orient: 'horizontal',
      left: 'center',
      bottom: 0,
      itemHeight: 160,
      itemWidth: 10,
      inRange: { color: [...palette.heat] },
      textStyle: { color: palette.textMuted },
      formatter: (value: unknown) => show(Number(value)),
    },
    series: [
      {
        type: 'heatmap',
        data: grid.data,
        itemStyle: { borderColor: palette.background, borderWidth: 1 },
        emphasis: { itemStyle: { borderColor: palette.text, borderWidth: 1 } },
      },
    ],
  }
}
