import { describe, expect, it } from 'vitest'
import { fileStamp, pngFileName } from './export-name.ts'

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
    expect(fileStamp(Date.parse('2025-01-13T00:00:00+08:00'), 'America/New_York')).toBe('20250112T1100')
  })
})
