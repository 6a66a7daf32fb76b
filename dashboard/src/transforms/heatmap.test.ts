import type { HeatmapReport } from '@trendlens/contract'
import { describe, expect, it } from 'vitest'
import heatmapFixture from './fixtures/heatmap.json' with { type: 'json' }
import { heatmapGrid, heatmapOption } from './heatmap.ts'
import { LIGHT } from './palette.ts'

const heatmap = heatmapFixture as HeatmapReport

describe('heatmap transform', () => {
  it('places every cell at its hour and day', () => {
    const grid = heatmapGrid(heatmap, 'share')
    // The first hour is empty (share null): no cell, rather than a misleading 0%.
    expect(grid.data).toHaveLength(71)
    expect(grid.data).not.toContainEqual([0, 0, 0])
    expect(grid.data).toContainEqual([23, 1, 0.62])
    expect(grid.max).toBe(0.62)
    expect(heatmapGrid(heatmap, 'value').max).toBe(620)
  })

  it('labels days and hours as given (already in the chosen zone)', () => {
    const option = heatmapOption(heatmap, { value: 'share', lang: 'zh-CN', palette: LIGHT })
    expect((option.yAxis as { data: string[] }).data).toEqual(['1月13日', '1月14日', '1月15日'])
    expect((option.xAxis as { data: string[] }).data.slice(0, 2)).toEqual(['00:00', '01:00'])
    const visualMap = option.visualMap as { min: number; max: number }
    expect([visualMap.min, visualMap.max]).toEqual([0, 1])
    const tooltip = option.tooltip as { renderMode: string; formatter: (p: unknown) => string }
    expect(tooltip.renderMode).toBe('richText')
    expect(tooltip.formatter({ value: [3, 1, 0.62] })).toBe('1月14日 03:00\n62.0%  (620)')
  })
})
