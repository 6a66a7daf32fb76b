/** Hashtag growth: API response → line chart option (milestones as markPoints, annotations as markLines) and table. */
import type { LineSeriesOption } from 'echarts/charts'
import type { Annotation, GrowthResponse } from '../api.ts'
import { formatCompact, formatInteger, hashtag, type Lang, translator } from '../i18n.ts'
import { baseTextStyle, baseTooltip, type ChartOption, timeCategoryAxis } from './options.ts'
import type { Palette } from './palette.ts'
import { richTextLiteral } from './text.ts'
import { type Bucket, bucketIndex, type TimeAxis, timeAxis } from './timeAxis.ts'

export interface GrowthView {
  mode: 'cumulative' | 'bucket'
  metric: 'views' | 'discussions'
  tz: string
  lang: Lang
  palette: Palette
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

export interface GrowthTable {
  axis: TimeAxis
  tags: string[]
  /** `values[tag][bucket]`, null where the API has no point for that tag. */
  values: (number | null)[][]
}

/** One axis for every compared tag: the union of their buckets in time order. */
export function growthTable(
  response: GrowthResponse,
  view: Pick<GrowthView, 'mode' | 'metric' | 'tz' | 'lang'>,
): GrowthTable {
  const buckets = new Map<number, Bucket>()
  for (const series of response.series) {
    for (const point of series.points) if (!buckets.has(point.ts)) buckets.set(point.ts, { t: point.t, ts: point.ts })
  }
  const ordered = [...buckets.values()].sort((a, b) => a.ts - b.ts)
  const axis = timeAxis(ordered, response.granularity, view.tz, view.lang)
  const position = new Map(ordered.map((bucket, index) => [bucket.ts, index]))
  const key = valueKey(view)
  const values = response.series.map((series) => {
    const row: (number | null)[] = ordered.map(() => null)
    for (const point of series.points) row[position.get(point.ts) as number] = point[key]
    return row
  })
  return { axis, tags: response.series.map((series) => series.tag), values }
}

/** Annotations that belong on this chart: global ones and those about a charted tag. */
export function relevantAnnotations(annotations: readonly Annotation[], tags: readonly string[]): Annotation[] {
  return annotations.filter((annotation) => !annotation.hashtag || tags.includes(annotation.hashtag))
}

function shorten(text: string, chars: number): string {
  const glyphs = [...text]
  return glyphs.length <= chars ? text : `${glyphs.slice(0, chars - 1).join('')}…`
}

export function growthOption(
  response: GrowthResponse,
  annotations: readonly Annotation[],
  view: GrowthView,
): ChartOption {
  const { palette, lang } = view
  const t = translator(lang)
  const table = growthTable(response, view)
  const { axis } = table
  const single = response.series.length === 1
  const shown = relevantAnnotations(annotations, table.tags)
    .map((annotation) => ({ annotation, index: bucketIndex(axis, annotation.ts, response.granularity) }))
    .filter((item) => item.index >= 0)

  const milestonesAt = new Map<number, string[]>()
  const series: LineSeriesOption[] = response.series.map((s, seriesIndex) => {
    const color = palette.series[seriesIndex % palette.series.length]
    const data = table.values[seriesIndex] as (number | null)[]
    const milestones = s.milestones
      .filter((milestone) => milestone.metric === view.metric)
      .map((milestone) => ({ milestone, index: bucketIndex(axis, milestone.ts, response.granularity) }))
      .filter((item) => item.index >= 0 && data[item.index] !== null)
    for (const { milestone, index } of milestones) {
      const list = milestonesAt.get(index) ?? []
      list.push(`${hashtag(s.tag)} ${formatCompact(milestone.threshold, lang)}`)
      milestonesAt.set(index, list)
    }
    const line: LineSeriesOption = {
      type: 'line',
      name: richTextLiteral(hashtag(s.tag)),
      data,
      color,
      showSymbol: false,
      symbolSize: 5,
      connectNulls: false,
      lineStyle: { width: 2 },
      emphasis: { focus: 'series' },
      areaStyle: single ? { opacity: 0.12 } : undefined,
      markPoint: {
        symbol: 'pin',
        symbolSize: 44,
        label: { color: '#ffffff', fontSize: 10, fontWeight: 'bold' },
        itemStyle: { color },
        data: milestones.map(({ milestone, index }) => ({
          name: t('milestone'),
          coord: [axis.categories[index] as string, data[index] as number],
          value: milestone.threshold,
          label: { formatter: formatCompact(milestone.threshold, lang) },
        })),
      },
    }
    if (seriesIndex === 0 && shown.length > 0) {
      line.markLine = {
        symbol: 'none',
        silent: true,
        lineStyle: { color: palette.annotation, type: 'dashed', width: 1.5 },
        label: { color: palette.annotation, position: 'insideEndTop', fontSize: 11 },
        data: shown.map(({ annotation, index }) => ({
          name: richTextLiteral(annotation.title),
          xAxis: axis.categories[index] as string,
          label: { formatter: richTextLiteral(shorten(annotation.title, ANNOTATION_LABEL_CHARS)) },
        })),
      }
    }
    return line
  })

  const annotationsAt = new Map<number, string[]>()
  for (const { annotation, index } of shown) {
    const list = annotationsAt.get(index) ?? []
    list.push(annotation.title)
    annotationsAt.set(index, list)
  }

  const zoom = axis.categories.length > ZOOM_FROM_BUCKETS
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
    },
    tooltip: {
      ...baseTooltip(palette),
      trigger: 'axis',
      axisPointer: { type: 'line', lineStyle: { color: palette.axis } },
      formatter: (params: unknown) => {
        const items = Array.isArray(params) ? (params as { dataIndex: number }[]) : [params as { dataIndex: number }]
        const index = items[0]?.dataIndex ?? 0
        const lines = [axis.tooltipLabels[index] ?? '']
        table.tags.forEach((tag, seriesIndex) => {
          const value = table.values[seriesIndex]?.[index]
          if (value === null || value === undefined) return
          lines.push(
            `${richTextLiteral(hashtag(tag))}   ${formatCompact(value, lang)}  (${formatInteger(value, lang)})`,
          )
        })
        for (const text of milestonesAt.get(index) ?? []) lines.push(`▲ ${richTextLiteral(text)}`)
        for (const text of annotationsAt.get(index) ?? []) lines.push(`◆ ${richTextLiteral(text)}`)
        return lines.join('\n')
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
    series,
  }
}
