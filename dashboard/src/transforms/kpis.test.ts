import type { OverviewReport } from '@trendlens/contract'
import { describe, expect, it } from 'vitest'
import overviewFixture from './fixtures/overview.json' with { type: 'json' }
import { kpiCards } from './kpis.ts'

const overview = overviewFixture as OverviewReport

describe('KPI cards', () => {
  it('formats values and changes in English', () => {
    const cards = kpiCards(overview, 'en')
    expect(cards.map((c) => [c.key, c.text, c.change, c.direction])).toEqual([
      ['views', '80M', '+400.0%', 'up'],
      ['discussions', '450K', '0.0%', 'flat'],
      ['activeUsers', '1.2M', '−5.0%', 'down'],
      // 0 before: no percentage, but not "no data" either.
      ['newUsers', '12K', 'from 0 in the previous period', 'up'],
      // A share changes in percentage points: 10.0% → 43.2% is +33.2 pp.
      ['foreignShare', '43.2%', '+33.2 pp', 'up'],
    ])
    expect(cards[2]?.exact).toBe('1,234,567')
  })

  it('says when a count was 0 in both periods, and when the previous share is unknown', () => {
    const quiet: OverviewReport = {
      ...overview,
      current: { ...overview.current, newUsers: 0, foreignShare: 0.2 },
      previous: { ...overview.previous, newUsers: 0, foreignShare: null },
      change: { ...overview.change, newUsers: null, foreignShare: null },
    }
    const cards = kpiCards(quiet, 'en')
    expect(cards.find((c) => c.key === 'newUsers')).toMatchObject({ change: '0 in both periods', direction: 'flat' })
    expect(cards.find((c) => c.key === 'foreignShare')).toMatchObject({ change: undefined, direction: 'none' })
    expect(kpiCards(overview, 'zh-CN').find((c) => c.key === 'newUsers')?.change).toBe('上一周期为 0')
  })

  it('uses 万 and 亿 in Chinese', () => {
    expect(kpiCards(overview, 'zh-CN').map((c) => c.text)).toEqual(['8000万', '45万', '123万', '1.2万', '43.2%'])
  })
})
