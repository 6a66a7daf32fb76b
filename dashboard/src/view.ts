/** What every panel receives from the App: the view, a way to change it, and what follows from it. */
import type { Translate } from './i18n.ts'
import type { Queries, Range, ViewState } from './state.ts'
import type { Palette } from './transforms/palette.ts'

export interface ViewProps {
  state: ViewState
  /** Changes the view and records it in the URL (a new history entry). */
  update: (patch: Partial<ViewState>) => void
  t: Translate
  palette: Palette
  queries: Queries
  range: Range
  /** The range reaches the present and updates live: its newest bucket is still filling. */
  live: boolean
}
