/** The trending table: each row's label (a multiple, "new" or "back") and the windows its rates are spread over. */
import type { TrendingReport } from '@trendlens/contract'

/**
 * `multiple`: the recent rate over the tag's own baseline rate. `new`: no event at all before the recent window.
 * `back`: seen before, but none in the baseline, so there is nothing to divide by.
 */
type TrendLabel = { kind: 'multiple'; multiple: number } | { kind: 'new' } | { kind: 'back' }

interface TrendingRowView {
  tag: string
  label: TrendLabel
  recentRate: number
  views: number
}

export interface Span {
  from: number
  to: number
}

interface TrendingView {
  /** The parts of the two windows the data covers: the rates are per hour of these. */
  recent: Span | null
  baseline: Span | null
  rows: TrendingRowView[]
}

export function trendingView(report: TrendingReport): TrendingView {
  const { windowTs, covered } = report
  const recent = { from: Math.max(windowTs.recentFrom, covered.fromTs), to: covered.toTs }
  const baseline = {
    from: Math.max(windowTs.baselineFrom, covered.fromTs),
    to: Math.min(windowTs.baselineTo, covered.toTs),
  }
  return {
    recent: covered.recentHours > 0 ? recent : null,
    baseline: covered.baselineHours > 0 ? baseline : null,
    rows: report.rows.map((row) => ({
      tag: row.tag,
      label:
        row.multiple !== null
          ? { kind: 'multiple', multiple: row.multiple }
          : row.isNew
            ? { kind: 'new' }
            : { kind: 'back' },
      recentRate: row.recentRate,
      views: row.views,
    })),
  }
}
