import { describe, expect, it } from 'vitest'
import { filterStatus, outsideRegionFilter } from './filters.ts'

describe('which filters a panel applies', () => {
  it('lists the filters in use a panel applies, and the others with their reason', () => {
    const both = { regions: ['US'], types: ['comment' as const] }
    expect(filterStatus('split', both)).toEqual({ applied: ['region', 'type'], ignored: [] })
    expect(filterStatus('growth', both)).toEqual({
      applied: ['region'],
      ignored: [{ filter: 'type', reason: 'ignoresTypeGrowth' }],
    })
    expect(filterStatus('heatmap', both)).toEqual({ applied: ['region', 'type'], ignored: [] })
    expect(filterStatus('kpis', { regions: [], types: [] })).toEqual({ applied: [], ignored: [] })
  })
})

describe('a region outside the region filter', () => {
  it('is outside only when no filtered code overlaps it', () => {
    expect(outsideRegionFilter('US', [])).toBe(false)
    expect(outsideRegionFilter('US', ['CN'])).toBe(true)
    expect(outsideRegionFilter('US', ['CN-SH', 'JP'])).toBe(true)
    expect(outsideRegionFilter('US', ['US'])).toBe(false)
    // A country holds its subdivisions, and a subdivision lies in its country.
    expect(outsideRegionFilter('CN', ['CN-SH'])).toBe(false)
    expect(outsideRegionFilter('CN-SH', ['CN'])).toBe(false)
    expect(outsideRegionFilter('CN-SH', ['CN-BJ'])).toBe(true)
    // A code that merely starts with the same letters is another region.
    expect(outsideRegionFilter('C', ['CN'])).toBe(true)
  })
})
