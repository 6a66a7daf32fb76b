/** Overview KPIs: API response → the five cards, each with its change against the previous period. */
import type { Kpis, OverviewReport } from '@trendlens/contract'
import {
  formatChange,
  formatCompact,
  formatInteger,
  formatPercent,
  formatPoints,
  type Lang,
  type MessageKey,
  translator,
} from '../i18n.ts'

type KpiKey = keyof Kpis

const KPI_ORDER: readonly { key: KpiKey; label: MessageKey; help: MessageKey }[] = [
  { key: 'views', label: 'kpiViews', help: 'helpViews' },
  { key: 'discussions', label: 'kpiDiscussions', help: 'helpDiscussions' },
  { key: 'activeUsers', label: 'kpiActiveUsers', help: 'helpActiveUsers' },
  { key: 'newUsers', label: 'kpiNewUsers', help: 'helpNewUsers' },
  { key: 'foreignShare', label: 'kpiForeignShare', help: 'helpForeignShare' },
]

interface KpiCard {
  key: KpiKey
  label: MessageKey
  help: MessageKey
  value: number | null
  /** Short form for the card: 1.2万 / 12K, or a percentage for the foreign share. */
  text: string
  /** Full digits for the title attribute and screen readers. */
  exact: string
  change: string | undefined
  /** Whether the change reads "… vs previous period"; a change from zero is said in words of its own. */
  versus: boolean
  direction: 'up' | 'down' | 'flat' | 'none'
}

export function kpiCards(overview: OverviewReport, lang: Lang): KpiCard[] {
  const t = translator(lang)
  return KPI_ORDER.map(({ key, label, help }) => {
    const value = overview.current[key]
    const isShare = key === 'foreignShare'
    // A share moves in percentage points: 15.1% → 50.4% is +35.3 pp, not +234%.
    const previous = overview.previous[key]
    const change = isShare ? (value === null || previous === null ? null : value - previous) : overview.change[key]
    const points = isShare ? formatPoints(value, previous, lang) : undefined
    // A count that was 0 before has no percentage change, but it has a previous period: say so, not "no data".
    if (!isShare && previous === 0 && value !== null) {
      return {
        key,
        label,
        help,
        value,
        text: formatCompact(value, lang),
        exact: formatInteger(value, lang),
        change: t(value > 0 ? 'fromZero' : 'zeroBoth'),
        versus: false,
        direction: value > 0 ? 'up' : 'flat',
      }
    }
    return {
      key,
      label,
      help,
      value,
      text: value === null ? '–' : isShare ? formatPercent(value, lang) : formatCompact(value, lang),
      exact: value === null ? '–' : isShare ? formatPercent(value, lang, 2) : formatInteger(value, lang),
      change: isShare
        ? points === undefined
          ? undefined
          : t('changePoints', { value: points })
        : formatChange(change, lang),
      versus: true,
      direction: change === null ? 'none' : change > 0.0005 ? 'up' : change < -0.0005 ? 'down' : 'flat',
    }
  })
}
