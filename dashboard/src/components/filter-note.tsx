/** Under a panel's title: the filters it applies, and those it does not with the reason. */
import { type FilterId, filterStatus, PANEL_FILTERS, type PanelId } from '../filters.ts'
import type { Translate } from '../i18n.ts'
import type { ViewState } from '../state.ts'

export function FilterNote({ panel, state, t }: { panel: PanelId; state: ViewState; t: Translate }) {
  const status = filterStatus(panel, state)
  const honours = (Object.keys(PANEL_FILTERS[panel]) as FilterId[]).filter(
    (filter) => PANEL_FILTERS[panel][filter] === true,
  )
  if (status.applied.length === 0 && status.ignored.length === 0) {
    return <span hidden data-testid={`filters-${panel}`} data-honours={honours.join(',')} />
  }
  const values = (filter: FilterId) => (filter === 'region' ? state.regions.join(', ') : state.types.join(', '))
  return (
    <p
      className="filter-note"
      data-testid={`filters-${panel}`}
      data-honours={honours.join(',')}
      data-applied={status.applied.join(',')}
      data-ignored={status.ignored.map((item) => item.filter).join(',')}
    >
      {status.applied.length > 0 ? (
        <span className="filter-applied">
          {t('filteredBy', {
            filters: status.applied
              .map((filter) => `${t(filter === 'region' ? 'regionFilter' : 'typeFilter')}: ${values(filter)}`)
              .join(' · '),
          })}
        </span>
      ) : null}
      {status.ignored.map((item) => (
        <span key={item.filter} className="filter-ignored" role="note">
          {t(item.reason)}
        </span>
      ))}
    </p>
  )
}
