import type { TrendingReport } from '@trendlens/contract'
import { describe, expect, it } from 'vitest'
import { trendingView } from './trending.ts'

const HOUR = 3_600_000
const from = Date.parse('2026-12-01T00:00:00+08:00')
const to = from + 24 * HOUR
const recentFrom = to - 4 * HOUR

function report(covered: TrendingReport['covered'], rows: TrendingReport['rows']): TrendingReport {
  return {
    tz: 'Asia/Shanghai',
    by: 'views',
    window: { recentFrom: '', recentTo: '', baselineFrom: '', baselineTo: '' },
    windowTs: { recentFrom, recentTo: to, baselineFrom: from, baselineTo: recentFrom },
    covered,
    rows,
  }
}

const row = (tag: string, multiple: number | null, isNew: boolean) => ({
  tag,
  recentRate: 30,
  baselineRate: multiple === null ? 0 : 30 / multiple,
  multiple,
  isNew,
  recent: 120,
  baseline: multiple === null ? 0 : 100,
  views: 220,
})

describe('the trending table', () => {
  it('labels each row by its multiple, or new (never seen), or back (seen, none in the baseline)', () => {
    const view = trendingView(
      report({ from: '', to: '', fromTs: from, toTs: to, recentHours: 4, baselineHours: 20 }, [
        row('spike', 12.5, false),
        row('fresh', null, true),
        row('returning', null, false),
      ]),
    )
    expect(view.rows.map((r) => [r.tag, r.label])).toEqual([
      ['spike', { kind: 'multiple', multiple: 12.5 }],
      ['fresh', { kind: 'new' }],
      ['returning', { kind: 'back' }],
    ])
  })

  it('shows the windows as far as the data covers them: from its first hour, up to now', () => {
    const dataFrom = from + 14 * HOUR
    const now = to - 90 * 60_000
    const view = trendingView(
      report({ from: '', to: '', fromTs: dataFrom, toTs: now, recentHours: 2.5, baselineHours: 6 }, [
        row('spike', 3, false),
      ]),
    )
    expect(view.baseline).toEqual({ from: dataFrom, to: recentFrom })
    expect(view.recent).toEqual({ from: recentFrom, to: now })
  })

  it('has no baseline span when the data begins inside the recent window', () => {
    const dataFrom = recentFrom + HOUR
    const view = trendingView(
      report({ from: '', to: '', fromTs: dataFrom, toTs: to, recentHours: 3, baselineHours: 0 }, [
        row('fresh', null, true),
      ]),
    )
    expect(view.baseline).toBeNull()
    expect(view.recent).toEqual({ from: dataFrom, to })
  })
})
