/** The seed load's progress as the ingest card shows it: "Loading the story: 42.0% · 1M of 2.4M events · ETA 0:31". */
import type { LoadProgress } from '@trendlens/contract'
import { formatCompact, formatPercent, type Lang, translator } from '../i18n.ts'

/** Seconds as m:ss, or h:mm:ss from an hour (a load at full scale takes over an hour). */
export function formatDuration(totalSeconds: number): string {
  const seconds = Math.max(0, Math.round(totalSeconds))
  const hours = Math.floor(seconds / 3600)
  const minutes = Math.floor((seconds % 3600) / 60)
  const rest = String(seconds % 60).padStart(2, '0')
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${rest}` : `${minutes}:${rest}`
}

export function loadProgressText(load: LoadProgress, lang: Lang): string {
  const t = translator(lang)
  const rows = formatCompact(load.rows, lang)
  if (load.expectedRows === null || load.percent === null) {
    return t('loadProgressUnknown', { rows, rate: formatCompact(load.rowsPerSecond, lang) })
  }
  return t('loadProgress', {
    percent: formatPercent(load.percent / 100, lang),
    rows,
    expected: formatCompact(load.expectedRows, lang),
    eta: load.etaSeconds === null ? '–' : formatDuration(load.etaSeconds),
  })
}
