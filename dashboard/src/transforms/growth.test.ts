import { describe, expect, it } from 'vitest'
import type { AnnotationsResponse, GrowthResponse } from '../api.ts'
import annotationsFixture from './fixtures/annotations.json' with { type: 'json' }
import realGrowth from './fixtures/api-growth-story.json' with { type: 'json' }
import growthFixture from './fixtures/growth.json' with { type: 'json' }
import { type GrowthView, growthOption, growthTable, relevantAnnotations, valueKey } from './growth.ts'
import { DARK, LIGHT } from './palette.ts'

const growth = growthFixture as GrowthResponse
const annotations = (annotationsFixture as AnnotationsResponse).rows
const view: GrowthView = { mode: 'cumulative', metric: 'views', tz: 'Asia/Shanghai', lang: 'en', palette: LIGHT }

type Series = {
  name: string
  data: (number | null)[]
  markPoint: { data: { coord: [string, number]; value: number; label: { formatter: string } }[] }
  markLine?: { data: { xAxis: string; label: { formatter: string } }[] }
}

describe('growth transform', () => {
  it('plots cumulative views per tag on one local-time axis', () => {
    const option = growthOption(growth, annotations, view)
    const xAxis = option.xAxis as { data: string[] }
    const series = option.series as Series[]
    expect(xAxis.data[0]).toBe('2025-01-13T12:00:00+08:00')
    expect(xAxis.data).toHaveLength(24)
    expect(series.map((s) => s.name)).toEqual(['#tiktokrefugee', '#<img src=x onerror=alert(1)>'])
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

  it('pins each milestone on the curve at its bucket, labelled in the viewer language', () => {
    const series = growthOption(growth, annotations, view).series as Series[]
    const pins = series[0]?.markPoint.data ?? []
    expect(pins.map((p) => p.label.formatter)).toEqual(['1M', '10M', '100M'])
    expect(pins[1]?.coord[0]).toBe('2025-01-14T00:00:00+08:00')
    const at = growth.series[0]?.points.find((p) => p.t === '2025-01-14T00:00:00+08:00')
    expect(pins[1]?.coord[1]).toBe(at?.cumViews)
    const zh = growthOption(growth, annotations, { ...view, lang: 'zh-CN' }).series as Series[]
    expect(zh[0]?.markPoint.data.map((p) => p.label.formatter)).toEqual(['100万', '1000万', '1亿'])
  })

  it('pins the milestones of the metric shown', () => {
    const series = growthOption(growth, annotations, { ...view, metric: 'discussions' }).series as Series[]
    expect(series[0]?.markPoint.data.map((p) => [p.coord[0], p.label.formatter])).toEqual([
      ['2025-01-13T21:00:00+08:00', '100K'],
    ])
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
    expect(text.split('\n')[0]).toBe('Jan 13, 2025, 20:00 GMT+8')
    expect(text).toContain('#<img src=x onerror=alert(1)>')
    expect(text).toContain('◆ <b>{\u200da|brand}</b> post')
  })

  it('labels the axis at round local hours in the chosen zone', () => {
    const option = growthOption(growth, [], view)
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
  const real = realGrowth as GrowthResponse

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

  it('pins each views milestone at the bucket where the cumulative curve reaches it', () => {
    const series = growthOption(real, [], view).series as Series[]
    for (const [index, s] of real.series.entries()) {
      const pins = series[index]?.markPoint.data ?? []
      const milestones = s.milestones.filter((m) => m.metric === 'views')
      expect(pins.map((p) => p.value)).toEqual(milestones.map((m) => m.threshold))
      for (const pin of pins) {
        const point = s.points.find((p) => p.t === pin.coord[0])
        expect(point?.cumViews).toBeGreaterThanOrEqual(pin.value)
        expect(pin.coord[1]).toBe(point?.cumViews)
      }
    }
  })
})
