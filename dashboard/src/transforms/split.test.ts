import type { RegionSplitReport } from '@trendlens/contract'
import { describe, expect, it } from 'vitest'
import realSplit from './fixtures/api-split-story.json' with { type: 'json' }
import realSplitNewYork from './fixtures/api-split-story-new-york.json' with { type: 'json' }
import splitFixture from './fixtures/split.json' with { type: 'json' }
import { LIGHT } from './palette.ts'
import { crossoverItems, splitAxis, splitOption } from './split.ts'

const split = splitFixture as RegionSplitReport
const view = { tz: 'Asia/Shanghai', lang: 'en' as const, palette: LIGHT }

describe('region split transform', () => {
  it('stacks one share series per region, named in the viewer language', () => {
    const option = splitOption(split, view)
    const series = option.series as { name: string; stack: string; data: number[] }[]
    expect(series.map((s) => s.name)).toEqual(['China', 'United States', 'Other'])
    expect(series.every((s) => s.stack === 'share')).toBe(true)
    expect(series[1]?.data[0]).toBe(split.points[0]?.shares.US)
    const zh = splitOption(split, { ...view, lang: 'zh-CN' }).series as { name: string }[]
    expect(zh.map((s) => s.name)).toEqual(['中国', '美国', '其他'])
  })

  it('marks every crossover at its bucket, labelled with the local hour', () => {
    const option = splitOption(split, view)
    const series = option.series as { markLine?: { data: { xAxis: string; label: { formatter: string } }[] } }[]
    const marks = series[series.length - 1]?.markLine?.data ?? []
    expect(marks.map((m) => m.xAxis)).toEqual(['2025-01-13T23:00:00+08:00', '2025-01-14T06:00:00+08:00'])
    expect(marks.map((m) => m.label.formatter)).toEqual(['23:00 US', '06:00 CN'])
  })

  it('lists crossovers with labels in the chosen zone', () => {
    const axis = splitAxis(split, view)
    const items = crossoverItems(split, axis)
    expect(items.map((i) => [i.hour, i.from, i.to, i.label])).toEqual([
      ['23:00', 'CN', 'US', 'Jan 13, 2025, 23:00–24:00'],
      ['06:00', 'US', 'CN', 'Jan 14, 2025, 06:00–07:00'],
    ])
  })

  it('shows shares in the tooltip on the canvas', () => {
    const tooltip = splitOption(split, view).tooltip as { renderMode: string; formatter: (p: unknown) => string }
    expect(tooltip.renderMode).toBe('richText')
    const lines = tooltip.formatter([{ dataIndex: 11 }]).split('\n')
    expect(lines[0]).toBe('Jan 13, 2025, 23:00–24:00')
    expect(lines).toContain('United States   62.0%  (6.9K)')
    expect(lines).toContain('⇄ CN → US')
  })
})

describe('region split on real API answers (the sample, story week)', () => {
  const beijing = realSplit as RegionSplitReport
  const newYork = realSplitNewYork as RegionSplitReport

  it('leaves empty buckets as gaps', () => {
    const series = splitOption(beijing, view).series as { data: (number | null)[] }[]
    const empty = beijing.points.findIndex((p) => p.total === 0)
    expect(empty).toBeGreaterThanOrEqual(0)
    expect(series.every((s) => s.data[empty] === null)).toBe(true)
    expect(splitOption(split, view).series).toBeDefined()
  })

  it('marks the same crossover instants 13 hours apart on the clock in New York', () => {
    const here = crossoverItems(beijing, splitAxis(beijing, view))
    const there = crossoverItems(newYork, splitAxis(newYork, { ...view, tz: 'America/New_York' }))
    expect(here.length).toBeGreaterThan(0)
    expect(there.map((c) => c.ts)).toEqual(here.map((c) => c.ts))
    expect(here.every((c) => c.index >= 0)).toBe(true)
    for (const [i, item] of here.entries()) {
      const hourHere = Number(item.hour.slice(0, 2))
      const hourThere = Number(there[i]?.hour.slice(0, 2))
      expect((hourHere - hourThere + 24) % 24).toBe(13)
    }
    // Each bucket is labelled by the interval it covers on New York's clock.
    expect(there[0]?.label).toMatch(new RegExp(`, ${there[0]?.hour}–\\d{2}:00$`))
  })
})

describe('a split with one filled bucket', () => {
  it('is drawn as one stacked bar in its bucket, since a line needs two points', () => {
    const one: RegionSplitReport = { ...split, points: split.points.slice(11, 12), crossovers: [] }
    const option = splitOption(one, view)
    const series = option.series as { type: string; stack: string; data: (number | null)[] }[]
    expect(series.map((s) => s.type)).toEqual(one.regions.map(() => 'bar'))
    expect(series.every((s) => s.stack === 'share' && s.data.length === 1)).toBe(true)
    expect((option.xAxis as { boundaryGap: boolean }).boundaryGap).toBe(true)
    expect((splitOption(split, view).series as { type: string }[]).every((s) => s.type === 'line')).toBe(true)
  })
})
