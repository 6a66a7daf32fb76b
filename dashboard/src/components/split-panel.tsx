/** IP-region split: stacked shares by bucket, the crossover hours listed and marked, data table, exports. */

import type { RegionSplitReport } from '@trendlens/contract'
import { type RefObject, Suspense, useMemo, useRef, useState } from 'react'
import type { ChartHandle } from '../charts/echart.tsx'
import { SplitChart } from '../charts/lazy.ts'
import { pngFileName } from '../export-name.ts'
import type { QueryState } from '../hooks.ts'
import { formatInstant, formatInteger, formatPercent, regionName } from '../i18n.ts'
import { pngCaption } from '../png.ts'
import { crossoverItems, type SplitView, splitAxis } from '../transforms/split.ts'
import type { ViewProps } from '../view.ts'
import { ChartBoundary } from './chart-boundary.tsx'
import { type Column, DataTable, type Row } from './data-table.tsx'
import { Exports } from './exports.tsx'
import { FilterNote } from './filter-note.tsx'
import { Panel, QueryBody } from './panel.tsx'
import { Segmented } from './segmented.tsx'

const SPLIT_HEIGHT = 296

export function SplitPanel(props: ViewProps & { split: QueryState<RegionSplitReport> }) {
  const { state, update, t, palette, queries, range, split } = props
  const chart = useRef<ChartHandle>(null)
  const [showTable, setShowTable] = useState(false)
  const what = t('split')
  return (
    <Panel
      id="split"
      title={what}
      note={<FilterNote panel="split" state={state} t={t} />}
      subtitle={t('hoursIn', { tz: state.tz })}
      controls={
        <>
          <Segmented
            label={t('splitLevel')}
            value={state.level}
            options={[
              { value: 'country', label: t('levelCountry') },
              { value: 'province', label: t('levelProvince') },
            ]}
            onChange={(level) => update({ level })}
          />
          <Segmented
            label={t('splitMetric')}
            value={state.splitMetric}
            options={[
              { value: 'users', label: t('metricUsers') },
              { value: 'events', label: t('metricEvents') },
            ]}
            onChange={(splitMetric) => update({ splitMetric })}
          />
        </>
      }
      actions={
        <Exports
          dataset="regions"
          params={queries.split}
          what={what}
          t={t}
          chart={chart}
          palette={palette}
          caption={pngCaption(
            `${what}: ${t(state.level === 'country' ? 'levelCountry' : 'levelProvince')}, ${t(state.splitMetric === 'users' ? 'metricUsers' : 'metricEvents')}`,
            range,
            state.tz,
            state.lang,
            Date.now(),
          )}
          pngName={pngFileName('regions', [state.level, state.splitMetric], range, state.tz, Date.now())}
          table={{ visible: showTable, toggle: () => setShowTable((v) => !v), label: t('showTable') }}
        />
      }
    >
      <QueryBody
        query={split}
        height={SPLIT_HEIGHT + 64}
        what={what}
        t={t}
        isEmpty={(data) => data.points.every((point) => point.total === 0)}
      >
        {(data) => <SplitBody {...props} data={data} chart={chart} showTable={showTable} />}
      </QueryBody>
    </Panel>
  )
}

interface SplitBodyProps extends ViewProps {
  data: RegionSplitReport
  chart: RefObject<ChartHandle | null>
  showTable: boolean
}

function SplitBody({ state, t, palette, data, chart, showTable }: SplitBodyProps) {
  const lang = state.lang
  const view: SplitView = useMemo(() => ({ tz: data.tz, lang, palette }), [data.tz, lang, palette])
  const axis = useMemo(() => splitAxis(data, view), [data, view])
  const crossovers = crossoverItems(data, axis)
  const columns: Column[] = [
    { key: 't', label: t('colTime') },
    { key: 'total', label: t('colTotal'), numeric: true },
    ...data.regions.map((code) => ({ key: code, label: `${regionName(code, lang)} ${t('colShare')}`, numeric: true })),
    { key: 'leader', label: t('colLeader') },
  ]
  const rows: Row[] = data.points.map((point, index) => ({
    key: String(point.ts),
    data: { t: point.t, ts: String(point.ts) },
    cells: [
      { text: axis.tooltipLabels[index] ?? point.t, value: point.t },
      { text: formatInteger(point.total, lang), value: point.total },
      ...data.regions.map((code) => {
        const share = point.shares[code]
        return share === null || share === undefined
          ? { text: '–' }
          : { text: formatPercent(share, lang), value: share }
      }),
      { text: point.leader ? regionName(point.leader, lang) : '', value: point.leader ?? '' },
    ],
  }))
  return (
    <>
      <ChartBoundary what={t('split')} t={t} height={SPLIT_HEIGHT}>
        <Suspense fallback={<div className="skeleton" style={{ height: SPLIT_HEIGHT }} />}>
          <SplitChart ref={chart} response={data} view={view} height={SPLIT_HEIGHT} label={t('split')} />
        </Suspense>
      </ChartBoundary>
      <div className="crossovers">
        <h3 className="crossovers-title">{t('crossovers')}</h3>
        {crossovers.length === 0 ? (
          <p className="muted">{t('noCrossovers')}</p>
        ) : (
          <ol className="crossover-list" data-testid="crossovers">
            {crossovers.map((item) => (
              <li key={`${item.ts}:${item.to}`} data-ts={item.ts} data-t={item.t} data-testid="crossover">
                <time dateTime={item.t} title={item.label}>
                  {formatInstant(item.ts, data.tz, lang, 'axis')}
                </time>{' '}
                <span className="crossover-move">
                  {t('crossoverItem', { from: regionName(item.from, lang), to: regionName(item.to, lang) })}
                </span>
              </li>
            ))}
          </ol>
        )}
      </div>
      <DataTable
        caption={t('dataTable', { what: t('split') })}
        columns={columns}
        rows={rows}
        visible={showTable}
        testId="split-table"
      />
    </>
  )
}
