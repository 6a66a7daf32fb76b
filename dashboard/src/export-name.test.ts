import { describe, expect, it } from 'vitest'
import { pngFileName } from './export-name.ts'

describe('PNG file names', () => {
  it('names the dataset, tags, range and zone like the CSV export', () => {
    expect(
      pngFileName(
        'growth',
        ['tiktokrefugee', '<img src=x>'],
        { from: '2025-01-13T00:00:00+08:00', to: '2025-01-15T00:00:00+08:00' },
        'Asia/Shanghai',
        0,
      ),
    ).toBe('trendlens-growth-tiktokrefugee-img_src_x-20250113T0000-20250115T0000-Asia_Shanghai.png')
    expect(
      pngFileName('regions', [], { from: '2025-11-02T01:30', to: '2025-11-02T06:30:00Z' }, 'America/New_York', 0),
    ).toBe('trendlens-regions-20251102T0130-20251102T0130-America_New_York.png')
  })
})
