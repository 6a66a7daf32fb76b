import { describe, expect, it } from 'vitest'
import { downloadName } from './components/raw-export.tsx'
import { pngCaption } from './png.ts'

describe('PNG caption', () => {
  it('names the range in the chosen zone, and the zone', () => {
    const range = { from: '2025-01-10T00:00:00+08:00', to: '2025-01-21T00:00:00+08:00' }
    expect(pngCaption('Hashtag growth: #tiktokrefugee', range, 'Asia/Shanghai', 'en', 0)).toEqual({
      title: 'Hashtag growth: #tiktokrefugee',
      detail: 'Jan 10, 2025, 00:00 – Jan 21, 2025, 00:00 · Asia/Shanghai',
    })
    expect(pngCaption('话题增长', range, 'America/New_York', 'zh-CN', 0).detail).toBe(
      '2025年1月9日 11:00 – 2025年1月20日 11:00 · America/New_York',
    )
  })

  it('resolves a relative range at the moment of the download', () => {
    const now = Date.parse('2025-01-14T12:00:00+08:00')
    expect(pngCaption('x', { from: '-24h', to: 'now' }, 'Asia/Shanghai', 'en', now).detail).toBe(
      'Jan 13, 2025, 12:00 – Jan 14, 2025, 12:00 · Asia/Shanghai',
    )
  })
})

describe('raw export file name', () => {
  it('prefers the UTF-8 name the API gives, so Chinese tags survive', () => {
    const header = `attachment; filename="trendlens-events-_-x.csv"; filename*=UTF-8''trendlens-events-%E7%8C%AB%E7%A8%8E-x.csv`
    expect(downloadName(header)).toBe('trendlens-events-猫税-x.csv')
    expect(downloadName('attachment; filename="plain.csv"')).toBe('plain.csv')
    expect(downloadName(null)).toBe('trendlens-events.csv')
  })
})
