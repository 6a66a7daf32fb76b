/** CSV (the API's export route with the view's parameters) and PNG (the chart's canvas) downloads. */

import type { ExportDataset } from '@trendlens/contract'
import type { RefObject } from 'react'
import { exportUrl, type QueryParams } from '../api.ts'
import type { ChartHandle } from '../charts/echart.tsx'
import type { Translate } from '../i18n.ts'
import { captionedPng, type PngCaption } from '../png.ts'
import type { Palette } from '../transforms/palette.ts'

/** The chart's pixel ratio in its PNG: sharp on a high-density screen and in print. */
const PNG_PIXEL_RATIO = 2

interface ExportsProps {
  dataset: ExportDataset
  params: QueryParams
  what: string
  t: Translate
  chart?: RefObject<ChartHandle | null>
  pngName?: string
  /** What the PNG's caption says: title, range and zone. */
  caption?: PngCaption
  palette?: Palette
  table?: { visible: boolean; toggle: () => void; label: string }
}

export function Exports({ dataset, params, what, t, chart, pngName, caption, palette, table }: ExportsProps) {
  const downloadPng = async () => {
    const background = palette?.background ?? '#ffffff'
    const chartUrl = chart?.current?.toPng(background)
    if (!chartUrl) return
    const colors = { background, text: palette?.text ?? '#000000', muted: palette?.textMuted ?? '#555555' }
    const url = caption ? await captionedPng(chartUrl, caption, colors, PNG_PIXEL_RATIO) : chartUrl
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
        // With a byte-order mark, Excel opens the UTF-8 file's Chinese text as written.
        href={exportUrl(dataset, { ...params, bom: '1' })}
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
          onClick={() => void downloadPng()}
          aria-label={t('exportPngLabel', { what })}
          data-testid={`export-${dataset}-png`}
        >
          {t('exportPng')}
        </button>
      ) : null}
    </>
  )
}
