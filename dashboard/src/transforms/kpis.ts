/** Overview KPIs: API response → the five cards, each with its change against the previous period. */
import type { Kpis, OverviewResponse } from '../api.ts'
import { formatChange, formatCompact, formatInteger, formatPercent, type Lang, type MessageKey } from '../i18n.ts'

export type KpiKey = keyof Kpis

export const KPI_ORDER: readonly { key: KpiKey; label: MessageKey }[] = [
  { key: 'views', label: 'kpiViews' },
  { key: 'discussions', label: 'kpiDiscussions' },
  { key: 'activeUsers', label: 'kpiActiveUsers' },
  { key: 'newUsers', label: 'kpiNewUsers' },
  { key: 'foreignShare', label: 'kpiForeignShare' },
]

export interface KpiCard {
  key: KpiKey
  label: MessageKey
  value: number | null
  /** Short form for the card: 1.2万 / 12K, or a percentage for the foreign share. */
  text: string
  /** Full digits for the title attribute and screen readers. */
  exact: string
  change: string | undefined
  direction: 'up' | 'down' | 'flat' | 'none'
}

export function kpiCards(overview: OverviewResponse, lang: Lang): KpiCard[] {
  return KPI_ORDER.map(({ key, label }) => {
    const value = overview.current[key]
    const change = overview.change[key]
    const isShare = key === 'foreignShare'
    return {
      key,
      label,
      value,
      text: value === null ? '–' : isShare ? formatPercent(value, lang) : formatCompact(value, lang),
      exact: value === null ? '–' : isShare ? formatPercent(value, lang, 2) : formatInteger(value, lang),
      change: formatChange(change, lang),
      direction: change === null ? 'none' : change > 0.0005 ? 'up' : change < -0.0005 ? 'down' : 'flat',
    }
  })
}
