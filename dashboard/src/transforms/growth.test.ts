import type { AnnotationList, GrowthReport } from '@trendlens/contract'
import { describe, expect, it } from 'vitest'
import annotationsFixture from './fixtures/annotations.json' with { type: 'json' }
import realGrowth from './fixtures/api-growth-story.json' with { type: 'json' }
import growthFixture from './fixtures/growth.json' with { type: 'json' }
import {
  type GrowthView,
  growthOption,
  growthTable,
  MILESTONE_SERIES_SUFFIX,
  milestoneMarks,
  partialBucket,
  relevantAnnotations,
  valueKey,
} from './growth.ts'
import { DARK, LIGHT } from './palette.ts'

const growth = growthFixture as GrowthReport
const annotations = (annotationsFixture as AnnotationList).rows
const view: GrowthView = { mode: 'cumulative', metric: 'views', tz: 'Asia/Shanghai', lang: 'en', palette: LIGHT }

type Series = {
  name: string
  data: (number | null)[]
  label?: { formatter: (p: { dataIndex: number }) => string }
  labelLayout?: { hideOverlap: boolean }
  markLine?: { data: { xAxis: string; label: { formatter: string } }[] }
}

/** The milestone series of a chart: `[bucket category, value, label]` per milestone, in series order. */
function milestonePins(option: ReturnType<typeof growthOption>, tagIndex: number) {
  const series = (option.series as Series[]).filter((s) => s.name.endsWith(MILESTONE_SERIES_SUFFIX))
  const categories = (option.xAxis as { data: string[] }).data
  const s = series[tagIndex]
  if (!s) return []
  return s.data.flatMap((value, index) =>
    value === null ? [] : [[categories[index], value, s.label?.formatter({ dataIndex: index })] as const],
  )
}

describe('growth transform', () => {
  it('plots cumulative views per tag on one local-time axis', () => {
    const option = growthOption(growth, annotations, view)
    const xAxis = option.xAxis as { data: string[] }
    const series = option.series as Series[]
    expect(xAxis.data[0]).toBe('2025-01-13T12:00:00+08:00')
    expect(xAxis.data).toHaveLength(24)
    expect(series.map((s) => s.name)).toEqual([
      '#tiktokrefugee',
      '#<img src=x onerror=alert(1)>',
      `#tiktokrefugee${MILESTONE_SERIES_SUFFIX}`,
      `#<img src=x onerror=alert(1)>${MILESTONE_SERIES_SUFFIX}`,
    ])
    // The milestone series stay out of the legend.
    expect((option.legend as { data: string[] }).data).toEqual(['#tiktokrefugee', '#<img src=x onerror=alert(1)>'])
    const first = growth.series[0]
    expect(series[0]?.data).toEqual(first?.points.map((p) => p.cumViews))
  })

  it('switches between cumulative and per-bucket values of either metric', () => {
    expect(valueKey({ mode: 'cumulative', metric: 'views' })).toBe('cumViews')
    expect(valueKey({ mode: 'bucket', metric: 'views' })).toBe('views')
    expect(valueKey({ mode: 'cumulative', metric: 'discussions' })).toBe('cumDiscussions')
    const table = growthTable(growth, { ...view, mode: 'bucket', metric: 'discussions' })
    expect(table.values[1]?.[0]).toBe(growth.series[1]?.points[0]?.discussions)
  })

  it('marks each milestone on the curve at its bucket, labelled in the viewer language', () => {
    const pins = milestonePins(growthOption(growth, annotations, view), 0)
    expect(pins.map((p) => p[2])).toEqual(['1M', '10M', '100M'])
    expect(pins[1]?.[0]).toBe('2025-01-14T00:00:00+08:00')
    const at = growth.series[0]?.points.find((p) => p.t === '2025-01-14T00:00:00+08:00')
    expect(pins[1]?.[1]).toBe(at?.cumViews)
    expect(milestonePins(growthOption(growth, annotations, { ...view, lang: 'zh-CN' }), 0).map((p) => p[2])).toEqual([
      '100万',
      '1000万',
      '1亿',
    ])
  })

  it('hides milestone labels that would overlap rather than piling them up', () => {
    const series = (growthOption(growth, annotations, view).series as Series[]).filter((s) =>
      s.name.endsWith(MILESTONE_SERIES_SUFFIX),
    )
    expect(series.length).toBe(2)
    for (const s of series) expect(s.labelLayout).toEqual({ hideOverlap: true })
  })

  it('places a milestone by the minute it was reached when the API gives one', () => {
    const moved: GrowthReport = {
      ...growth,
      series: growth.series.map((s, i) =>
        i === 0
          ? {
              ...s,
              milestones: s.milestones.map((m) =>
                m.threshold === 1_000_000 ? { ...m, minuteTs: Date.parse('2025-01-13T18:37:00+08:00') } : m,
              ),
            }
          : s,
      ),
    }
    const table = growthTable(moved, view)
    const marks = milestoneMarks(moved, table, view).filter((m) => m.milestone.threshold === 1_000_000)
    expect(table.axis.categories[marks[0]?.index ?? -1]).toBe('2025-01-13T18:00:00+08:00')
  })

  it('marks the milestones of the metric shown', () => {
    const pins = milestonePins(growthOption(growth, annotations, { ...view, metric: 'discussions' }), 0)
    expect(pins.map((p) => [p[0], p[2]])).toEqual([['2025-01-13T21:00:00+08:00', '100K']])
  })

  it('marks annotations in range that concern the charted tags, as literal text', () => {
    expect(relevantAnnotations(annotations, ['tiktokrefugee']).map((a) => a.id)).toEqual(['S5', 'S6', 'x'])
    const series = growthOption(growth, annotations, view).series as Series[]
    const lines = series[0]?.markLine?.data ?? []
    // S5 (13 Jan 00:00) and S6 (19 Jan) fall outside this 24-hour fixture; the tag's own note is inside.
    expect(lines.map((l) => l.xAxis)).toEqual(['2025-01-13T20:00:00+08:00'])
    expect(lines[0]?.label.formatter).toBe('<b>{\u200da|brand}</b> post')
    expect(series[1]?.markLine).toBeUndefined()
  })

  it('keeps the tooltip on the canvas and its text literal', () => {
    const option = growthOption(growth, annotations, view)
    const tooltip = option.tooltip as { renderMode: string; formatter: (p: unknown) => string }
    expect(tooltip.renderMode).toBe('richText')
    const text = tooltip.formatter([{ dataIndex: 8 }])
    // A cumulative value is the total by the end of its bucket, and says so.
    expect(text.split('\n').slice(0, 2)).toEqual(['Total by Jan 13, 2025, 21:00', '(Jan 13, 2025, 20:00–21:00)'])
    const perBucket = growthOption(growth, annotations, { ...view, mode: 'bucket' }).tooltip as typeof tooltip
    expect(perBucket.formatter([{ dataIndex: 8 }]).split('\n')[0]).toBe('Jan 13, 2025, 20:00–21:00')
    expect(text).toContain('#<img src=x onerror=alert(1)>')
    expect(text).toContain('◆ <b>{\u200da|brand}</b> post')
  })

  it('labels the axis at round local hours in the chosen zone: bucket ends for totals, starts per bucket', () => {
    const ends = growthOption(growth, [], view).xAxis as {
      axisLabel: { interval: (i: number) => boolean; formatter: (v: string, i: number) => string }
    }
    const shownEnds = Array.from({ length: 24 }, (_, i) => i).filter((i) => ends.axisLabel.interval(i))
    expect(shownEnds.map((i) => ends.axisLabel.formatter('', i))).toEqual([
      '14:00',
      '16:00',
      '18:00',
      '20:00',
      '22:00',
      'Jan 14',
      '02:00',
      '04:00',
      '06:00',
      '08:00',
      '10:00',
      '12:00',
    ])
    const option = growthOption(growth, [], { ...view, mode: 'bucket' })
    const axisLabel = (
      option.xAxis as { axisLabel: { interval: (i: number) => boolean; formatter: (v: string, i: number) => string } }
    ).axisLabel
    const shown = Array.from({ length: 24 }, (_, i) => i).filter((i) => axisLabel.interval(i))
    expect(shown.map((i) => axisLabel.formatter('', i))).toEqual([
      '12:00',
      '14:00',
      '16:00',
      '18:00',
      '20:00',
      '22:00',
      'Jan 14',
      '02:00',
      '04:00',
      '06:00',
      '08:00',
      '10:00',
    ])
  })

  it('follows the theme', () => {
    const light = growthOption(growth, [], view)
    const dark = growthOption(growth, [], { ...view, palette: DARK })
    expect((light.legend as { textStyle: { color: string } }).textStyle.color).toBe(LIGHT.text)
    expect((dark.legend as { textStyle: { color: string } }).textStyle.color).toBe(DARK.text)
  })

  it('adds a zoom slider only to long series', () => {
    expect(growthOption(growth, [], view).dataZoom).toEqual([])
  })
})

describe('growth transform on a real API answer (the sample, story week, hourly)', () => {
  const real = realGrowth as GrowthReport

  it('plots every bucket of the week in Beijing time, cumulative from before the range', () => {
    const option = growthOption(real, [], view)
    const xAxis = option.xAxis as { data: string[] }
    expect(xAxis.data).toHaveLength(11 * 24)
    expect(xAxis.data[0]).toBe('2025-01-10T00:00:00+08:00')
    const series = option.series as Series[]
    const last = real.series[0]?.points.at(-1)
    expect(series[0]?.data.at(-1)).toBe(last?.cumViews)
    expect(option.dataZoom).toHaveLength(2)
  })

  it('marks each views milestone at the bucket where the cumulative curve reaches it', () => {
    const option = growthOption(real, [], view)
    for (const [index, s] of real.series.entries()) {
      const pins = milestonePins(option, index)
      const milestones = s.milestones.filter((m) => m.metric === 'views')
      expect(pins.length).toBe(milestones.length)
      for (const [pin, milestone] of pins.map((p, i) => [p, milestones[i]] as const)) {
        const point = s.points.find((p) => p.t === pin[0])
        expect(point?.cumViews).toBeGreaterThanOrEqual(milestone?.threshold ?? Number.NaN)
        expect(pin[1]).toBe(point?.cumViews)
      }
    }
  })
})

describe('the bucket in progress', () => {
  it('is the one holding now; none once every bucket has ended', () => {
    const table = growthTable(growth, view)
    const start = table.axis.ts[23] as number
    expect(partialBucket(table.axis, start + 60_000)).toBe(23)
    expect(partialBucket(table.axis, (table.axis.ts[5] as number) + 1)).toBe(5)
    expect(partialBucket(table.axis, (table.axis.ends[23] as number) + 1)).toBe(-1)
    expect(partialBucket(table.axis, undefined)).toBe(-1)
  })

  it('is marked on the chart and in the tooltip', () => {
    const now = (growthTable(growth, view).axis.ts[23] as number) + 60_000
    const option = growthOption(growth, [], { ...view, now })
    const lines = (option.series as Series[])[0]?.markLine?.data ?? []
    expect(lines.map((l) => [l.xAxis, l.label.formatter])).toEqual([['2025-01-14T11:00:00+08:00', 'in progress']])
    const tooltip = option.tooltip as { formatter: (p: unknown) => string }
    expect(tooltip.formatter([{ dataIndex: 23 }]).split('\n')[0]).toBe('Total by Jan 14, 2025, 12:00 · in progress')
  })
})

describe('the previous period', () => {
  it('is a dashed line of the first tag, bucket by bucket, only when it is the same tag and granularity', () => {
    const first = growth.series[0]
    if (!first) throw new Error('fixture has no series')
    const previous: GrowthReport = {
      ...growth,
      series: [{ ...first, points: first.points.map((p) => ({ ...p, cumViews: p.cumViews - 1000 })) }],
    }
    const option = growthOption(growth, [], view, previous)
    const line = (option.series as (Series & { lineStyle: { type: string } })[]).find((s) =>
      s.name.endsWith('previous period'),
    )
    expect(line?.lineStyle.type).toBe('dashed')
    expect(line?.data).toEqual(first.points.map((p) => p.cumViews - 1000))
    const other = { ...previous, series: [{ ...first, tag: 'cattax' }] }
    expect((growthOption(growth, [], view, other).series as Series[]).some((s) => s.name.endsWith('period'))).toBe(
      false,
    )
  })
})
