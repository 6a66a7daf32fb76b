/** CSV (the API's export route with the view's parameters) and PNG (the chart's canvas) downloads. */
import type { RefObject } from 'react'
import { type ExportDataset, exportUrl, type QueryParams } from '../api.ts'
import type { ChartHandle } from '../charts/EChart.tsx'
import type { Translate } from '../i18n.ts'

interface ExportsProps {
  dataset: ExportDataset
  params: QueryParams
  what: string
  t: Translate
  chart?: RefObject<ChartHandle | null>
  pngName?: string
  background?: string
  table?: { visible: boolean; toggle: () => void; label: string }
}

export function Exports({ dataset, params, what, t, chart, pngName, background, table }: ExportsProps) {
  const downloadPng = () => {
    const url = chart?.current?.toPng(background ?? '#ffffff')
    if (!url) return
    const link = document.createElement('a')
    link.href = url
    link.download = pngName ?? `trendlens-${dataset}.png`
    link.click()
  }
  return (
    <>
      {table ? (
        <button type="button" className="button ghost" aria-pressed={table.visible} onClick={table.toggle}>
          {table.label}
        </button>
      ) : null}
      <a
        className="button ghost"
        href={exportUrl(dataset, params)}
        download
        aria-label={t('exportCsvLabel', { what })}
        data-testid={`export-${dataset}-csv`}
      >
        {t('exportCsv')}
      </a>
      {chart ? (
        <button
          type="button"
          className="button ghost"
          onClick={downloadPng}
          aria-label={t('exportPngLabel', { what })}
          data-testid={`export-${dataset}-png`}
        >
          {t('exportPng')}
        </button>
      ) : null}
    </>
  )
}
