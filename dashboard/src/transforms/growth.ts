/**
 * Hashtag growth: API response → line chart option and table. Milestones are a symbol series per tag whose labels
 * ECharts hides where they would overlap (the list under the chart names them all); annotations are markLines.
 * A cumulative value is the total by the end of its bucket, so in cumulative mode the axis reads bucket ends.
 */

import type { DatedAnnotation, GrowthReport, Milestone } from '@trendlens/contract'
import type { LineSeriesOption } from 'echarts/charts'
import { annotationTitle, formatCompact, formatInteger, formatMoment, hashtag, type Lang, translator } from '../i18n.ts'
import { baseTextStyle, baseTooltip, type ChartOption, timeCategoryAxis } from './options.ts'
import type { Palette } from './palette.ts'
import { richTextLiteral } from './text.ts'
import { type Bucket, bucketIndex, type TimeAxis, timeAxis } from './time-axis.ts'

export interface GrowthView {
  mode: 'cumulative' | 'bucket'
  metric: 'views' | 'discussions'
  tz: string
  lang: Lang
  palette: Palette
  /** The present, when the range reaches it: the bucket holding it is still filling and is marked so. */
  now?: number
}

type ValueKey = 'views' | 'discussions' | 'cumViews' | 'cumDiscussions'

export function valueKey(view: Pick<GrowthView, 'mode' | 'metric'>): ValueKey {
  if (view.mode === 'cumulative') return view.metric === 'views' ? 'cumViews' : 'cumDiscussions'
  return view.metric
}

/** Annotations longer than this are cut on the chart; the full title is in the tooltip and the list below. */
const ANNOTATION_LABEL_CHARS = 32
/** Below this many buckets everything fits; above it the chart gets a zoom slider. */
const ZOOM_FROM_BUCKETS = 72
/** Milestone series are named with this suffix, so the legend can leave them out. */
export const MILESTONE_SERIES_SUFFIX = ' ▲'

interface GrowthTable {
  axis: TimeAxis
  tags: string[]
  /** `values[tag][bucket]`, null where the API has no point for that tag. */
  values: (number | null)[][]
  /** The bucket still filling (it holds `now`), or -1. */
  partial: number
}

/** The bucket that holds `now` (still filling), or -1 when every bucket has ended or there is no `now`. */
export function partialBucket(axis: Pick<TimeAxis, 'ts' | 'ends'>, now: number | undefined): number {
  if (now === undefined) return -1
  for (let index = axis.ts.length - 1; index >= 0; index--) {
    if ((axis.ts[index] as number) <= now) return (axis.ends[index] as number) > now ? index : -1
  }
  return -1
}

/** One axis for every compared tag: the union of their buckets in time order. */
export function growthTable(
  response: GrowthReport,
  view: Pick<GrowthView, 'mode' | 'metric' | 'tz' | 'lang' | 'now'>,
): GrowthTable {
  const buckets = new Map<number, Bucket>()
  for (const series of response.series) {
    for (const point of series.points) if (!buckets.has(point.ts)) buckets.set(point.ts, { t: point.t, ts: point.ts })
  }
  const ordered = [...buckets.values()].sort((a, b) => a.ts - b.ts)
  const place = view.mode === 'cumulative' ? 'end' : 'start'
  const axis = timeAxis(ordered, response.granularity, view.tz, view.lang, place)
  const position = new Map(ordered.map((bucket, index) => [bucket.ts, index]))
  const key = valueKey(view)
  const values = response.series.map((series) => {
    const row: (number | null)[] = ordered.map(() => null)
    for (const point of series.points) row[position.get(point.ts) as number] = point[key]
    return row
  })
  return { axis, tags: response.series.map((series) => series.tag), values, partial: partialBucket(axis, view.now) }
}

/** When a milestone was reached: the minute the API found, else its bucket's start. */
export function milestoneInstant(milestone: Milestone): number {
  return milestone.minuteTs ?? milestone.ts
}

/** Annotations that belong on this chart: global ones and those about a charted tag. */
export function relevantAnnotations(
  annotations: readonly DatedAnnotation[],
  tags: readonly string[],
): DatedAnnotation[] {
  return annotations.filter((annotation) => !annotation.hashtag || tags.includes(annotation.hashtag))
}

function shorten(text: string, chars: number): string {
  const glyphs = [...text]
  return glyphs.length <= chars ? text : `${glyphs.slice(0, chars - 1).join('')}…`
}

interface MilestoneMark {
  tag: string
  seriesIndex: number
  milestone: Milestone
  /** The bucket it falls in. */
  index: number
  /** `10K` / `1万`: what its label on the chart says. */
  label: string
}

/** The milestones of the metric shown that fall on the axis, per tag. */
export function milestoneMarks(response: GrowthReport, table: GrowthTable, view: GrowthView): MilestoneMark[] {
  return response.series.flatMap((series, seriesIndex) =>
    series.milestones
      .filter((milestone) => milestone.metric === view.metric)
      .map((milestone) => ({
        tag: series.tag,
        seriesIndex,
        milestone,
        index: bucketIndex(table.axis, milestoneInstant(milestone), response.granularity),
        label: formatCompact(milestone.threshold, view.lang),
      }))
      .filter((mark) => mark.index >= 0 && table.values[seriesIndex]?.[mark.index] !== null),
  )
}

export function growthOption(
  response: GrowthReport,
  annotations: readonly DatedAnnotation[],
  view: GrowthView,
  previous?: GrowthReport,
): ChartOption {
  const { palette, lang } = view
  const t = translator(lang)
  const table = growthTable(response, view)
  const { axis } = table
  const single = response.series.length === 1
  const key = valueKey(view)
  const shown = relevantAnnotations(annotations, table.tags)
    .map((annotation) => ({ annotation, index: bucketIndex(axis, annotation.ts, response.granularity) }))
    .filter((item) => item.index >= 0)
  const marks = milestoneMarks(response, table, view)

  const milestonesAt = new Map<number, string[]>()
  for (const mark of marks) {
    const list = milestonesAt.get(mark.index) ?? []
    const reached = formatMoment(milestoneInstant(mark.milestone), view.tz, lang)
    list.push(`${hashtag(mark.tag)} ${mark.label} · ${t('reachedAt', { time: reached })}`)
    milestonesAt.set(mark.index, list)
  }

  const names = response.series.map((s) => richTextLiteral(hashtag(s.tag)))
  const lines: LineSeriesOption[] = response.series.map((_s, seriesIndex) => {
    const color = palette.series[seriesIndex % palette.series.length]
    const line: LineSeriesOption = {
      type: 'line',
      name: names[seriesIndex] as string,
      data: table.values[seriesIndex] as (number | null)[],
      color,
      showSymbol: false,
      symbolSize: 5,
      connectNulls: false,
      lineStyle: { width: 2 },
      emphasis: { focus: 'series' },
      areaStyle: single ? { opacity: 0.12 } : undefined,
    }
    if (seriesIndex === 0) {
      const markLines: NonNullable<LineSeriesOption['markLine']>['data'] = shown.map(({ annotation, index }) => ({
        name: richTextLiteral(annotationTitle(annotation, lang)),
        xAxis: axis.categories[index] as string,
        label: { formatter: richTextLiteral(shorten(annotationTitle(annotation, lang), ANNOTATION_LABEL_CHARS)) },
      }))
      if (table.partial >= 0) {
        markLines.push({
          name: t('inProgress'),
          xAxis: axis.categories[table.partial] as string,
          lineStyle: { color: palette.axis, type: 'dotted', width: 1 },
          label: { formatter: t('inProgress'), color: palette.textMuted, position: 'insideStartTop' },
        })
      }
      if (markLines.length > 0) {
        line.markLine = {
          symbol: 'none',
          silent: true,
          lineStyle: { color: palette.annotation, type: 'dashed', width: 1.5 },
          label: { color: palette.annotation, position: 'insideEndTop', fontSize: 11 },
          data: markLines,
        }
      }
    }
    return line
  })

  const milestoneSeries: LineSeriesOption[] = response.series.map((_s, seriesIndex) => {
    const color = palette.series[seriesIndex % palette.series.length]
    const data: (number | null)[] = axis.categories.map(() => null)
    const labels = new Map<number, string>()
    for (const mark of marks) {
      if (mark.seriesIndex !== seriesIndex) continue
      data[mark.index] = table.values[seriesIndex]?.[mark.index] ?? null
      labels.set(mark.index, [labels.get(mark.index), mark.label].filter(Boolean).join(' · '))
    }
    return {
      type: 'line',
      name: `${names[seriesIndex]}${MILESTONE_SERIES_SUFFIX}`,
      data,
      color,
      symbol: 'triangle',
      symbolSize: 9,
      showSymbol: true,
      showAllSymbol: true,
      connectNulls: false,
      lineStyle: { width: 0 },
      silent: true,
      z: 4,
      label: {
        show: true,
        position: 'top',
        distance: 4,
        fontSize: 10,
        fontWeight: 'bold',
        color: palette.text,
        backgroundColor: palette.background,
        borderColor: color,
        borderWidth: 1,
        borderRadius: 3,
        padding: [1, 4],
        formatter: (params: { dataIndex: number }) => labels.get(params.dataIndex) ?? '',
      },
      // Overlapping labels are hidden rather than piled up; every milestone is in the list under the chart.
      labelLayout: { hideOverlap: true },
    }
  })

  const previousSeries: LineSeriesOption[] = []
  const previousValues = previous?.series[0]?.points.map((point) => point[key]) ?? []
  if (
    previous &&
    previousValues.length > 0 &&
    previous.granularity === response.granularity &&
    table.tags[0] === previous.series[0]?.tag
  ) {
    previousSeries.push({
      type: 'line',
      name: `${names[0]} · ${t('previousPeriod')}`,
      data: axis.categories.map((_c, index) => previousValues[index] ?? null),
      color: palette.textMuted,
      showSymbol: false,
      connectNulls: false,
      lineStyle: { width: 1.5, type: 'dashed' },
      z: 1,
    })
  }

  const annotationsAt = new Map<number, string[]>()
  for (const { annotation, index } of shown) {
    const list = annotationsAt.get(index) ?? []
    list.push(annotationTitle(annotation, lang))
    annotationsAt.set(index, list)
  }

  const zoom = axis.categories.length > ZOOM_FROM_BUCKETS
  const cumulative = view.mode === 'cumulative'
  return {
    backgroundColor: 'transparent',
    textStyle: baseTextStyle(palette),
    animationDuration: 0,
    animationDurationUpdate: 200,
    color: [...palette.series],
    grid: { left: 8, right: 24, top: 44, bottom: zoom ? 56 : 16, containLabel: true },
    legend: {
      top: 4,
      left: 0,
      icon: 'roundRect',
      itemWidth: 14,
      itemHeight: 4,
      textStyle: { color: palette.text },
      data: [...names, ...previousSeries.map((s) => s.name as string)],
    },
    tooltip: {
      ...baseTooltip(palette),
      trigger: 'axis',
      axisPointer: { type: 'line', lineStyle: { color: palette.axis } },
      formatter: (params: unknown) => {
        const items = Array.isArray(params) ? (params as { dataIndex: number }[]) : [params as { dataIndex: number }]
        const index = items[0]?.dataIndex ?? 0
        const interval = axis.tooltipLabels[index] ?? ''
        const head = cumulative ? t('cumulativeBy', { time: axis.endLabels[index] ?? '' }) : interval
        const out = [index === table.partial ? `${head} · ${t('inProgress')}` : head]
        if (cumulative) out.push(`(${interval})`)
        table.tags.forEach((tag, seriesIndex) => {
          const value = table.values[seriesIndex]?.[index]
          if (value === null || value === undefined) return
          out.push(`${richTextLiteral(hashtag(tag))}   ${formatCompact(value, lang)}  (${formatInteger(value, lang)})`)
        })
        const before = previousSeries.length > 0 ? previousValues[index] : undefined
        if (before !== undefined) out.push(`${t('previousPeriod')}   ${formatCompact(before, lang)}`)
        for (const text of milestonesAt.get(index) ?? []) out.push(`▲ ${richTextLiteral(text)}`)
        for (const text of annotationsAt.get(index) ?? []) out.push(`◆ ${richTextLiteral(text)}`)
        return out.join('\n')
      },
    },
    xAxis: timeCategoryAxis(axis, palette),
    yAxis: {
      type: 'value',
      splitLine: { lineStyle: { color: palette.grid } },
      axisLabel: { color: palette.textMuted, formatter: (value: number) => formatCompact(value, lang) },
    },
    dataZoom: zoom
      ? [
          { type: 'inside', filterMode: 'none' },
          {
            type: 'slider',
            height: 18,
            bottom: 10,
            filterMode: 'none',
            borderColor: palette.axis,
            textStyle: { color: palette.textMuted },
            labelFormatter: (value: number) => axis.labels[value] ?? '',
          },
        ]
      : [],
    series: [...lines, ...previousSeries, ...milestoneSeries],
  }
}
