/** Hashtag growth: tags to compare, cumulative or per-bucket curve, milestones, annotations, data table, exports. */
import { type FormEvent, type RefObject, Suspense, useMemo, useRef, useState } from 'react'
import type { Annotation, GrowthResponse } from '../api.ts'
import type { ChartHandle } from '../charts/EChart.tsx'
import { GrowthChart } from '../charts/lazy.ts'
import { pngFileName } from '../exportName.ts'
import type { QueryState } from '../hooks.ts'
import { formatCompact, formatInstant, formatInteger, hashtag } from '../i18n.ts'
import { MAX_TAGS, normaliseTag } from '../state.ts'
import { type GrowthView, growthTable, relevantAnnotations } from '../transforms/growth.ts'
import { bucketIndex } from '../transforms/timeAxis.ts'
import type { ViewProps } from '../view.ts'
import { ChartBoundary } from './ChartBoundary.tsx'
import { type Column, DataTable, type Row } from './DataTable.tsx'
import { Exports } from './Exports.tsx'
import { Panel, QueryBody } from './Panel.tsx'
import { Segmented } from './Segmented.tsx'

export const GROWTH_HEIGHT = 320

interface GrowthPanelProps extends ViewProps {
  growth: QueryState<GrowthResponse>
  annotations: Annotation[]
  suggestions: readonly string[]
}

export function GrowthPanel(props: GrowthPanelProps) {
  const { state, update, t, palette, queries, range, growth, annotations, suggestions } = props
  const chart = useRef<ChartHandle>(null)
  const [showTable, setShowTable] = useState(false)
  const [draft, setDraft] = useState('')
  const what = t('growth')

  const addTag = (event: FormEvent) => {
    event.preventDefault()
    const tag = normaliseTag(draft)
    if (!tag) return
    setDraft('')
    if (state.tags.includes(tag) || state.tags.length >= MAX_TAGS) return
    update({ tags: [...state.tags, tag] })
  }

  const controls = (
    <>
      <ul className="chips" aria-label={t('tags')}>
        {state.tags.map((tag) => (
          <li key={tag} className="chip">
            <span className="chip-text">{hashtag(tag)}</span>
            <button
              type="button"
              className="chip-remove"
              aria-label={t('removeTag', { tag: hashtag(tag) })}
              onClick={() => update({ tags: state.tags.filter((other) => other !== tag) })}
            >
              ×
            </button>
          </li>
        ))}
      </ul>
      <form className="inline-form" onSubmit={addTag}>
        <label className="sr-only" htmlFor="add-tag">
          {t('addTag')}
        </label>
        <input
          id="add-tag"
          type="text"
          list="tag-suggestions"
          value={draft}
          maxLength={65}
          placeholder={state.tags.length >= MAX_TAGS ? t('maxTags') : t('addTagPlaceholder')}
          disabled={state.tags.length >= MAX_TAGS}
          onChange={(event) => setDraft(event.target.value)}
        />
        <datalist id="tag-suggestions">
          {suggestions.map((tag) => (
            <option key={tag} value={tag} />
          ))}
        </datalist>
        <button type="submit" className="button" disabled={state.tags.length >= MAX_TAGS || !draft.trim()}>
          {t('addTag')}
        </button>
      </form>
    </>
  )

  return (
    <Panel
      id="growth"
      title={what}
      className="panel-growth"
      controls={controls}
      actions={
        <>
          <Segmented
            label={t('growthMode')}
            value={state.growthMode}
            options={[
              { value: 'cumulative', label: t('growthCumulative') },
              { value: 'bucket', label: t('growthPerBucket') },
            ]}
            onChange={(growthMode) => update({ growthMode })}
          />
          <Segmented
            label={t('growthMetric')}
            value={state.growthMetric}
            options={[
              { value: 'views', label: t('metricViews') },
              { value: 'discussions', label: t('metricDiscussions') },
            ]}
            onChange={(growthMetric) => update({ growthMetric })}
          />
          <Exports
            dataset="growth"
            params={queries.growth}
            what={what}
            t={t}
            chart={chart}
            background={palette.background}
            pngName={pngFileName('growth', state.tags, range, state.tz, Date.now())}
            table={{ visible: showTable, toggle: () => setShowTable((v) => !v), label: t('showTable') }}
          />
        </>
      }
    >
      {state.tags.length === 0 ? (
        <div className="state-box" style={{ minHeight: GROWTH_HEIGHT }} data-state="empty">
          <div className="state">
            <p className="state-title">{t('emptyTags')}</p>
          </div>
        </div>
      ) : (
        <QueryBody
          query={growth}
          height={GROWTH_HEIGHT}
          what={what}
          t={t}
          isEmpty={(data) =>
            data.series.every((series) =>
              series.points.every((point) => point.cumViews === 0 && point.cumDiscussions === 0),
            )
          }
        >
          {(data) => (
            <GrowthBody {...props} data={data} annotations={annotations} chart={chart} showTable={showTable} />
          )}
        </QueryBody>
      )}
    </Panel>
  )
}

interface GrowthBodyProps extends GrowthPanelProps {
  data: GrowthResponse
  chart: RefObject<ChartHandle | null>
  showTable: boolean
}

function GrowthBody({ state, t, palette, data, annotations, chart, showTable }: GrowthBodyProps) {
  const lang = state.lang
  const view: GrowthView = useMemo(
    () => ({ mode: state.growthMode, metric: state.growthMetric, tz: data.tz, lang, palette }),
    [state.growthMode, state.growthMetric, data.tz, lang, palette],
  )
  const table = useMemo(() => growthTable(data, view), [data, view])
  const shownAnnotations = relevantAnnotations(annotations, table.tags).filter(
    (annotation) => bucketIndex(table.axis, annotation.ts, data.granularity) >= 0,
  )
  const milestones = data.series.flatMap((series) =>
    series.milestones
      .filter(
        (milestone) =>
          milestone.metric === state.growthMetric && bucketIndex(table.axis, milestone.ts, data.granularity) >= 0,
      )
      .map((milestone) => ({ tag: series.tag, ...milestone })),
  )

  const metric = state.growthMetric
  const columns: Column[] = [{ key: 't', label: t('colTime') }]
  for (const series of data.series) {
    const perBucket = metric === 'views' ? t('colViews') : t('colDiscussions')
    const cumulative = metric === 'views' ? t('colCumViews') : t('colCumDiscussions')
    columns.push({ key: `${series.tag}:${metric}`, label: `${hashtag(series.tag)} ${perBucket}`, numeric: true })
    columns.push({
      key: `${series.tag}:${metric === 'views' ? 'cumViews' : 'cumDiscussions'}`,
      label: `${hashtag(series.tag)} ${cumulative}`,
      numeric: true,
    })
  }
  const byTs = data.series.map((series) => new Map(series.points.map((point) => [point.ts, point])))
  const rows: Row[] = table.axis.ts.map((ts, index) => ({
    key: String(ts),
    data: { t: table.axis.categories[index] as string, ts: String(ts) },
    cells: [
      { text: table.axis.tooltipLabels[index] ?? '', value: table.axis.categories[index] },
      ...byTs.flatMap((points) => {
        const point = points.get(ts)
        const bucket = point ? (metric === 'views' ? point.views : point.discussions) : undefined
        const cumulative = point ? (metric === 'views' ? point.cumViews : point.cumDiscussions) : undefined
        return [
          bucket === undefined ? { text: '' } : { text: formatInteger(bucket, lang), value: bucket },
          cumulative === undefined ? { text: '' } : { text: formatInteger(cumulative, lang), value: cumulative },
        ]
      }),
    ],
  }))

  return (
    <>
      <ChartBoundary what={t('growth')} t={t} height={GROWTH_HEIGHT}>
        <Suspense fallback={<div className="skeleton" style={{ height: GROWTH_HEIGHT }} />}>
          <GrowthChart
            ref={chart}
            response={data}
            annotations={annotations}
            view={view}
            height={GROWTH_HEIGHT}
            label={`${t('growth')}: ${table.tags.map(hashtag).join(', ')}`}
          />
        </Suspense>
      </ChartBoundary>
      {milestones.length > 0 || shownAnnotations.length > 0 ? (
        <ul className="notes" aria-label={`${t('milestone')} / ${t('annotations')}`}>
          {milestones.map((milestone) => (
            <li key={`${milestone.tag}:${milestone.metric}:${milestone.threshold}`} className="note note-milestone">
              <span aria-hidden="true">▲ </span>
              {hashtag(milestone.tag)} {formatCompact(milestone.threshold, lang)}{' '}
              <time dateTime={milestone.t}>{formatInstant(milestone.ts, data.tz, lang, 'axis')}</time>
            </li>
          ))}
          {shownAnnotations.map((annotation) => (
            <li key={annotation.id} className="note note-annotation">
              <span aria-hidden="true">◆ </span>
              <time dateTime={annotation.t}>{formatInstant(annotation.ts, data.tz, lang, 'axis')}</time>{' '}
              {annotation.title}
              {annotation.body ? <span className="note-body"> · {annotation.body}</span> : null}
            </li>
          ))}
        </ul>
      ) : null}
      <DataTable
        caption={t('dataTable', { what: t('growth') })}
        columns={columns}
        rows={rows}
        visible={showTable}
        testId="growth-table"
      />
    </>
  )
}
