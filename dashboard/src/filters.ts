/**
 * Which of the view's filters each panel applies. A panel either applies a filter or says plainly that it does not
 * and why, so no figure is read as filtered when it is not.
 */
import type { MessageKey } from './i18n.ts'
import type { ViewState } from './state.ts'

export type PanelId = 'kpis' | 'growth' | 'split' | 'heatmap' | 'tags'
export type FilterId = 'region' | 'type'

/** `true`, or the reason the panel does not apply the filter. */
export const PANEL_FILTERS: Record<PanelId, Record<FilterId, true | MessageKey>> = {
  kpis: { region: true, type: 'ignoresTypeKpis' },
  growth: { region: true, type: 'ignoresTypeGrowth' },
  split: { region: true, type: true },
  heatmap: { region: true, type: true },
  tags: { region: true, type: 'ignoresTypeTags' },
}

interface FilterStatus {
  /** Filters in use that this panel applies. */
  applied: FilterId[]
  /** Filters in use that it does not apply, each with its reason. */
  ignored: { filter: FilterId; reason: MessageKey }[]
}

export function filterStatus(panel: PanelId, state: Pick<ViewState, 'regions' | 'types'>): FilterStatus {
  const inUse: FilterId[] = [
    ...(state.regions.length > 0 ? (['region'] as const) : []),
    ...(state.types.length > 0 ? (['type'] as const) : []),
  ]
  const status: FilterStatus = { applied: [], ignored: [] }
  for (const filter of inUse) {
    const rule = PANEL_FILTERS[panel][filter]
    if (rule === true) status.applied.push(filter)
    else status.ignored.push({ filter, reason: rule })
  }
  return status
}

/**
 * Whether a region lies wholly outside the region filter, so that its part of the filtered audience is 0 by
 * construction. Codes are ISO 3166 countries (`CN`) or their subdivisions (`CN-SH`): a country and its own
 * subdivisions overlap.
 */
export function outsideRegionFilter(region: string, filter: readonly string[]): boolean {
  if (filter.length === 0) return false
  return !filter.some((code) => code === region || code.startsWith(`${region}-`) || region.startsWith(`${code}-`))
}
