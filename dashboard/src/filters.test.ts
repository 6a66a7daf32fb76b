import { describe, expect, it } from 'vitest'
import { filterStatus } from './filters.ts'

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
