import type { Kpis, OverviewParams, OverviewReport, RangeInfo } from '@trendlens/contract'
import type { Services } from '../context.ts'
import { quarterScope, rangeInfo } from '../scope.ts'
import { cached, relativeChange, share, type Table } from './table.ts'

export async function loadOverview(services: Services, query: OverviewParams, now: number): Promise<OverviewReport> {
  const { zone, range } = await quarterScope(services, query, now)
  const regions = query.region ?? []
  const previousFrom = range.from - (range.to - range.from)
  const params = { previous_from: previousFrom, from: range.from, to: range.to, regions }
  return cached(services, ['overview', params, zone], async (signal) => {
    const { store } = services.deps
    // One statement: active and new users from one snapshot, so a concurrent insert cannot split them.
    const kpiRows = await store.query('api_overview', params, { signal })
    const kpis = (period: 'current' | 'previous'): Kpis => {
      const row = kpiRows.find((r) => r.period === period)
      return {
        views: row?.views ?? 0,
        discussions: row?.discussions ?? 0,
        activeUsers: row?.active_users ?? 0,
        newUsers: row?.new_users ?? 0,
        foreignShare: row ? share(row.foreign_events, row.located_events) : null,
      }
    }
    const current = kpis('current')
    const previous = kpis('previous')
    return {
      tz: zone,
      range: rangeInfo(range, zone),
      previousRange: rangeInfo({ from: previousFrom, to: range.from }, zone),
      current,
      previous,
      change: {
        views: relativeChange(current.views, previous.views),
        discussions: relativeChange(current.discussions, previous.discussions),
        activeUsers: relativeChange(current.activeUsers, previous.activeUsers),
        newUsers: relativeChange(current.newUsers, previous.newUsers),
        foreignShare: relativeChange(current.foreignShare, previous.foreignShare),
      },
    }
  })
}

export function overviewTable(overview: OverviewReport): Table {
  const kpiRow = (period: string, range: RangeInfo | null, kpis: Record<keyof Kpis, number | null>) => [
    period,
    range?.from ?? null,
    range?.to ?? null,
    kpis.views,
    kpis.discussions,
    kpis.activeUsers,
    kpis.newUsers,
    kpis.foreignShare,
  ]
  return {
    header: ['period', 'from', 'to', 'views', 'discussions', 'active_users', 'new_users', 'foreign_share'],
    rows: [
      kpiRow('current', overview.range, overview.current),
      kpiRow('previous', overview.previousRange, overview.previous),
      kpiRow('change', null, overview.change),
    ],
  }
}
