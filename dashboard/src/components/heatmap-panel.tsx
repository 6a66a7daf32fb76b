/** Hour-of-day × day heatmap of one region's share; loaded lazily with its chart module. */

import type { HeatmapReport } from '@trendlens/contract'
import { type RefObject, useMemo, useRef, useState } from 'react'
import { api, buildQuery } from '../api.ts'
import type { ChartHandle } from '../charts/echart.tsx'
import { HeatmapChart } from '../charts/heatmap-chart.tsx'
import { pngFileName } from '../export-name.ts'
import { outsideRegionFilter } from '../filters.ts'
import { useNarrow, useQuery } from '../hooks.ts'
import { formatDay, formatInteger, formatPercent, regionName } from '../i18n.ts'
import { pngCaption } from '../png.ts'
import { type HeatmapView, hourLabel } from '../transforms/heatmap.ts'
import type { ViewProps } from '../view.ts'
import { type Column, DataTable, type Row } from './data-table.tsx'
import { Exports } from './exports.tsx'
import { FilterNote } from './filter-note.tsx'
import { Panel, QueryBody } from './panel.tsx'
import { Segmented } from './segmented.tsx'

const HEATMAP_HEIGHT = 300
const HEAT_REGIONS = ['US', 'CN']

export default function HeatmapPanel(props: ViewProps & { refresh: number }) {
  const { state, update, t, palette, queries, range, refresh } = props
  const chart = useRef<ChartHandle>(null)
  const [showTable, setShowTable] = useState(false)
  const params = queries.heatmap
  const heatmap = useQuery(buildQuery(params), (signal) => api.heatmap(params, signal), refresh)
  const what = t('heatmap')
  const regions = HEAT_REGIONS.includes(state.heatRegion) ? HEAT_REGIONS : [...HEAT_REGIONS, state.heatRegion]
  return (
    <Panel
      id="heatmap"
      title={what}
      note={<FilterNote panel="heatmap" state={state} t={t} />}
      subtitle={t('hoursIn', { tz: state.tz })}
      controls={
        <>
          <Segmented
            label={t('heatmapRegion')}
            value={state.heatRegion}
            options={regions.map((code) => ({ value: code, label: regionName(code, state.lang) }))}
            onChange={(heatRegion) => update({ heatRegion })}
          />
          <Segmented
            label={t('heatmapValue')}
            value={state.heatValue}
            options={[
              { value: 'share', label: t('heatmapShare') },
              { value: 'value', label: t('heatmapCount') },
            ]}
            onChange={(heatValue) => update({ heatValue })}
          />
        </>
      }
      actions={
        <Exports
          dataset="heatmap"
          params={params}
          what={what}
          t={t}
          chart={chart}
          palette={palette}
          caption={pngCaption(
            `${what}: ${regionName(state.heatRegion, state.lang)}`,
            range,
            state.tz,
            state.lang,
            Date.now(),
          )}
          pngName={pngFileName('heatmap', [state.heatRegion, state.splitMetric], range, state.tz, Date.now())}
          table={{ visible: showTable, toggle: () => setShowTable((v) => !v), label: t('showTable') }}
        />
      }
    >
      <QueryBody
        query={heatmap}
        height={HEATMAP_HEIGHT}
        what={what}
        t={t}
        isEmpty={(data) => data.cells.every((cell) => cell.value === 0)}
        emptyText={
          outsideRegionFilter(state.heatRegion, state.regions)
            ? t('heatOutsideFilter', { region: regionName(state.heatRegion, state.lang) })
            : undefined
        }
      >
        {(data) => <HeatmapBody {...props} data={data} chart={chart} showTable={showTable} />}
      </QueryBody>
    </Panel>
  )
}

interface HeatmapBodyProps extends ViewProps {
  data: HeatmapReport
  chart: RefObject<ChartHandle | null>
  showTable: boolean
}

function HeatmapBody({ state, t, palette, data, chart, showTable }: HeatmapBodyProps) {
  const lang = state.lang
  const narrow = useNarrow()
  const view: HeatmapView = useMemo(
    () => ({ value: state.heatValue, lang, palette, narrow }),
    [state.heatValue, lang, palette, narrow],
  )
  const columns: Column[] = [
    { key: 'day', label: t('colDay') },
    { key: 'hour', label: t('colHour') },
    { key: 'value', label: t('colValue'), numeric: true },
    { key: 'share', label: t('colShare'), numeric: true },
  ]
  const rows: Row[] = data.cells.map((cell) => ({
    key: `${cell.day}|${cell.hour}`,
    cells: [
      { text: formatDay(cell.day, lang), value: cell.day },
      { text: hourLabel(cell.hour), value: cell.hour },
      { text: formatInteger(cell.value, lang), value: cell.value },
      cell.share === null ? { text: '–' } : { text: formatPercent(cell.share, lang), value: cell.share },
    ],
  }))
  return (
    <>
      <HeatmapChart
        ref={chart}
        response={data}
        view={view}
        height={HEATMAP_HEIGHT}
        label={`${t('heatmap')}: ${regionName(state.heatRegion, lang)}`}
      />
      <DataTable
        caption={t('dataTable', { what: t('heatmap') })}
        columns={columns}
        rows={rows}
        visible={showTable}
        testId="heatmap-table"
      />
    </>
  )
}
