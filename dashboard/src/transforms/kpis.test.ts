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
      ['newUsers', '12K', undefined, 'none'],
      // A share changes in percentage points: 10.0% → 43.2% is +33.2 pp.
      ['foreignShare', '43.2%', '+33.2 pp', 'up'],
    ])
    expect(cards[2]?.exact).toBe('1,234,567')
  })

  it('uses 万 and 亿 in Chinese', () => {
    expect(kpiCards(overview, 'zh-CN').map((c) => c.text)).toEqual(['8000万', '45万', '123万', '1.2万', '43.2%'])
  })
})
