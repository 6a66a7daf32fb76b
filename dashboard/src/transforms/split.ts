/** IP-region split: API response → stacked share chart with the crossover hours marked, and the crossover list. */
import type { Crossover, RegionSplitReport } from '@trendlens/contract'
import type { BarSeriesOption, LineSeriesOption } from 'echarts/charts'
import { formatCompact, formatPercent, type Lang, regionName, translator } from '../i18n.ts'
import { baseTextStyle, baseTooltip, type ChartOption, timeCategoryAxis } from './options.ts'
import { type Palette, regionColor } from './palette.ts'
import { richTextLiteral } from './text.ts'
import { bucketIndex, type TimeAxis, timeAxis } from './time-axis.ts'

/** Above this many crossovers the dashed lines speak for themselves and labels would overlap. */
const CROSSOVER_LABELS_MAX = 6

export interface SplitView {
  tz: string
  lang: Lang
  palette: Palette
}

interface CrossoverItem {
  t: string
  ts: number
  from: string
  to: string
  /** When it happened, in the chosen zone and language. */
  label: string
  /** `HH:mm` of the local bucket: the hour the lead changed hands. */
  hour: string
  index: number
}

export function splitAxis(response: RegionSplitReport, view: Pick<SplitView, 'tz' | 'lang'>): TimeAxis {
  return timeAxis(response.points, response.granularity, view.tz, view.lang)
}

export function crossoverItems(response: RegionSplitReport, axis: TimeAxis): CrossoverItem[] {
  return response.crossovers.map((crossover: Crossover) => {
    const index = bucketIndex(axis, crossover.ts, response.granularity)
    const match = /T(\d{2}:\d{2})/.exec(crossover.t)
    return {
      ...crossover,
      index,
      hour: match?.[1] ?? '',
      label: index >= 0 ? (axis.tooltipLabels[index] ?? crossover.t) : crossover.t,
    }
  })
}

export function splitOption(response: RegionSplitReport, view: SplitView): ChartOption {
  const { palette, lang } = view
  const t = translator(lang)
  const axis = splitAxis(response, view)
  const crossovers = crossoverItems(response, axis).filter((item) => item.index >= 0)
  const names = response.regions.map((code) => richTextLiteral(regionName(code, lang)))
  // A line needs two filled buckets to draw an area; with fewer (a live range that just began) the shares are drawn
  // as a stacked bar, so one bucket already shows.
  const filled = response.points.filter((point) => point.total > 0).length
  const asBars = filled < 2

  const series: (LineSeriesOption | BarSeriesOption)[] = response.regions.map((code, index) =>
    asBars
      ? {
          type: 'bar',
          name: names[index] as string,
          stack: 'share',
          data: response.points.map((point) => point.shares[code] ?? null),
          color: regionColor(palette, code, index),
          barMaxWidth: 80,
          itemStyle: { opacity: 0.85 },
          emphasis: { focus: 'series' },
        }
      : {
          type: 'line',
          name: names[index] as string,
          stack: 'share',
          // An empty bucket has no shares: a gap, not a zero.
          data: response.points.map((point) => point.shares[code] ?? null),
          color: regionColor(palette, code, index),
          showSymbol: false,
          lineStyle: { width: 1 },
          areaStyle: { opacity: 0.85 },
          emphasis: { focus: 'series' },
        },
  )
  const last = series[series.length - 1]
  if (last && crossovers.length > 0) {
    last.markLine = {
      symbol: 'none',
      silent: true,
      lineStyle: { color: palette.crossover, type: 'dashed', width: 1, opacity: 0.7 },
      // Many crossovers crowd their labels; a few are labelled with the hour, the list below names them all.
      label: { show: crossovers.length <= CROSSOVER_LABELS_MAX, color: palette.text, position: 'end', fontSize: 10 },
      data: crossovers.map((item) => ({
        xAxis: axis.categories[item.index] as string,
        label: { formatter: `${item.hour} ${richTextLiteral(item.to)}` },
      })),
    }
  }

  return {
    backgroundColor: 'transparent',
    textStyle: baseTextStyle(palette),
    animationDuration: 0,
    animationDurationUpdate: 200,
    grid: { left: 8, right: 24, top: 44, bottom: 16, containLabel: true },
    legend: { top: 4, left: 0, icon: 'roundRect', itemWidth: 12, itemHeight: 8, textStyle: { color: palette.text } },
    tooltip: {
      ...baseTooltip(palette),
      trigger: 'axis',
      axisPointer: { type: 'line', lineStyle: { color: palette.axis } },
      formatter: (params: unknown) => {
        const items = Array.isArray(params) ? (params as { dataIndex: number }[]) : [params as { dataIndex: number }]
        const index = items[0]?.dataIndex ?? 0
        const point = response.points[index]
        if (!point) return ''
        const lines = [axis.tooltipLabels[index] ?? '']
        response.regions.forEach((code, regionIndex) => {
          const share = point.shares[code]
          const value = point.values[code] ?? 0
          const shown = share === null || share === undefined ? '–' : formatPercent(share, lang)
          lines.push(`${names[regionIndex]}   ${shown}  (${formatCompact(value, lang)})`)
        })
        if (point.leader) lines.push(`${t('colLeader')}: ${richTextLiteral(regionName(point.leader, lang))}`)
        for (const item of crossovers) {
          if (item.index === index) lines.push(`⇄ ${richTextLiteral(item.from)} → ${richTextLiteral(item.to)}`)
        }
        return lines.join('\n')
      },
    },
    // Bars sit in their bucket's band; lines run from edge to edge.
    xAxis: { ...timeCategoryAxis(axis, palette), boundaryGap: asBars },
    yAxis: {
      type: 'value',
      min: 0,
      max: 1,
      splitLine: { lineStyle: { color: palette.grid } },
      axisLabel: { color: palette.textMuted, formatter: (value: number) => formatPercent(value, lang, 0) },
    },
    series,
  }
}
