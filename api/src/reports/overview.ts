import type { Services } from '../context.ts'
import type { OverviewQuery } from '../params.ts'
import { quarterScope, type RangeInfo, rangeInfo } from '../scope.ts'
import { cached, relativeChange, share, type Table } from './table.ts'

export interface Kpis {
  views: number
  discussions: number
  activeUsers: number
  newUsers: number
  /** Share of events from a known country other than CN; null when no event in the period has a region. */
  foreignShare: number | null
}

export interface Overview {
  tz: string
  range: RangeInfo
  previousRange: RangeInfo
  current: Kpis
  previous: Kpis
  change: Record<keyof Kpis, number | null>
}

export async function loadOverview(services: Services, query: OverviewQuery, now: number): Promise<Overview> {
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

export function overviewTable(overview: Overview): Table {
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
