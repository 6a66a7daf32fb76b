/** Hashtag growth: tags to compare, cumulative or per-bucket curve, milestones, annotations, data table, exports. */

import type { DatedAnnotation, GrowthReport } from '@trendlens/contract'
import { MAX_ANNOTATION_TITLE_LENGTH, MAX_HASHTAG_LENGTH, MAX_TAGS, normaliseTag } from '@trendlens/contract'
import { type FormEvent, type RefObject, Suspense, useId, useMemo, useRef, useState } from 'react'
import { api } from '../api.ts'
import type { ChartHandle } from '../charts/echart.tsx'
import { GrowthChart } from '../charts/lazy.ts'
import { pngFileName } from '../export-name.ts'
import type { QueryState } from '../hooks.ts'
import {
  annotationBody,
  annotationTitle,
  formatInstant,
  formatInteger,
  formatMoment,
  hashtag,
  type Translate,
} from '../i18n.ts'
import { pngCaption } from '../png.ts'
import { toIsoInZone, toWallString, wallTimeToInstant } from '../time.ts'
import {
  type GrowthView,
  growthTable,
  milestoneInstant,
  milestoneMarks,
  relevantAnnotations,
} from '../transforms/growth.ts'
import { bucketIndex } from '../transforms/time-axis.ts'
import type { ViewProps } from '../view.ts'
import { ChartBoundary } from './chart-boundary.tsx'
import { type Column, DataTable, type Row } from './data-table.tsx'
import { Exports } from './exports.tsx'
import { FilterNote } from './filter-note.tsx'
import { Panel, QueryBody } from './panel.tsx'
import { Segmented } from './segmented.tsx'

const GROWTH_HEIGHT = 320

interface GrowthPanelProps extends ViewProps {
  growth: QueryState<GrowthReport>
  previous: GrowthReport | undefined
  annotations: DatedAnnotation[]
  onAnnotationsChanged: () => void
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
          // One more than a tag's limit: room for the leading # that normalising strips.
          maxLength={MAX_HASHTAG_LENGTH + 1}
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
      note={<FilterNote panel="growth" state={state} t={t} />}
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
            palette={palette}
            caption={pngCaption(
              `${what}: ${state.tags.map(hashtag).join(', ')}`,
              range,
              state.tz,
              state.lang,
              Date.now(),
            )}
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
  data: GrowthReport
  chart: RefObject<ChartHandle | null>
  showTable: boolean
}

function GrowthBody(props: GrowthBodyProps) {
  const { state, t, palette, data, annotations, previous, chart, showTable, live } = props
  const lang = state.lang
  // The bucket holding the present is still filling; `now` is read when an answer arrives.
  const answeredAt = useMemo(() => (data ? Date.now() : 0), [data])
  const now = live ? answeredAt : undefined
  const view: GrowthView = useMemo(
    () => ({ mode: state.growthMode, metric: state.growthMetric, tz: data.tz, lang, palette, now }),
    [state.growthMode, state.growthMetric, data.tz, lang, palette, now],
  )
  const table = useMemo(() => growthTable(data, view), [data, view])
  const shownAnnotations = relevantAnnotations(annotations, table.tags).filter(
    (annotation) => bucketIndex(table.axis, annotation.ts, data.granularity) >= 0,
  )
  const marks = milestoneMarks(data, table, view)

  const metric = state.growthMetric
  const columns: Column[] = [{ key: 't', label: t('bucketInterval') }]
  for (const series of data.series) {
    const perBucket = metric === 'views' ? t('colViews') : t('colDiscussions')
    const cumulative = metric === 'views' ? t('colCumViews') : t('colCumDiscussions')
    columns.push({ key: `${series.tag}:${metric}`, label: `${hashtag(series.tag)} ${perBucket}`, numeric: true })
    columns.push({
      key: `${series.tag}:${metric === 'views' ? 'cumViews' : 'cumDiscussions'}`,
      label: `${hashtag(series.tag)} ${cumulative} (${t('cumulativeByShort')})`,
      numeric: true,
    })
  }
  const byTs = data.series.map((series) => new Map(series.points.map((point) => [point.ts, point])))
  const rows: Row[] = table.axis.ts.map((ts, index) => ({
    key: String(ts),
    data: {
      t: table.axis.categories[index] as string,
      ts: String(ts),
      end: toIsoInZone(table.axis.ends[index] as number, data.tz),
      ...(index === table.partial ? { partial: 'true' } : {}),
    },
    cells: [
      {
        text:
          index === table.partial
            ? `${table.axis.tooltipLabels[index] ?? ''} (${t('inProgress')})`
            : (table.axis.tooltipLabels[index] ?? ''),
        value: table.axis.categories[index],
      },
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
  const partialT = table.partial >= 0 ? table.axis.categories[table.partial] : undefined

  return (
    <>
      <ChartBoundary what={t('growth')} t={t} height={GROWTH_HEIGHT}>
        <Suspense fallback={<div className="skeleton" style={{ height: GROWTH_HEIGHT }} />}>
          <GrowthChart
            ref={chart}
            response={data}
            annotations={annotations}
            previous={previous}
            view={view}
            height={GROWTH_HEIGHT}
            label={`${t('growth')}: ${table.tags.map(hashtag).join(', ')}`}
          />
        </Suspense>
      </ChartBoundary>
      {partialT ? (
        <p className="muted small" data-testid="growth-partial" data-t={partialT}>
          {t('partialBucket', { interval: table.axis.tooltipLabels[table.partial] ?? '' })}
        </p>
      ) : null}
      <ul className="notes" aria-label={`${t('milestone')} / ${t('annotations')}`} data-testid="growth-notes">
        {marks.map((mark) => {
          const reached = milestoneInstant(mark.milestone)
          return (
            <li
              key={`${mark.tag}:${mark.milestone.metric}:${mark.milestone.threshold}`}
              className="note note-milestone"
              data-testid="milestone"
              data-threshold={mark.milestone.threshold}
              data-ts={reached}
            >
              <button
                type="button"
                className="link note-link"
                onMouseEnter={() => chart.current?.showTip(mark.index)}
                onFocus={() => chart.current?.showTip(mark.index)}
                onMouseLeave={() => chart.current?.hideTip()}
                onBlur={() => chart.current?.hideTip()}
              >
                <span aria-hidden="true">▲ </span>
                {hashtag(mark.tag)} {mark.label}{' '}
                <time dateTime={toIsoInZone(reached, data.tz)}>{formatMoment(reached, data.tz, lang)}</time>
              </button>
            </li>
          )
        })}
        {shownAnnotations.map((annotation) => {
          const body = annotationBody(annotation)
          return (
            <li key={annotation.id} className="note note-annotation" data-testid="annotation" data-id={annotation.id}>
              <span aria-hidden="true">◆ </span>
              <time dateTime={annotation.t}>{formatInstant(annotation.ts, data.tz, lang, 'axis')}</time>{' '}
              {annotationTitle(annotation, lang)}
              {body ? <span className="note-body"> · {body}</span> : null}{' '}
              <DeleteAnnotation id={annotation.id} t={t} onDeleted={props.onAnnotationsChanged} />
            </li>
          )
        })}
      </ul>
      <AddAnnotation {...props} />
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

function DeleteAnnotation({ id, t, onDeleted }: { id: string; t: Translate; onDeleted: () => void }) {
  const [error, setError] = useState<string | undefined>()
  return (
    <>
      <button
        type="button"
        className="icon-button"
        aria-label={t('annotationDelete')}
        title={t('annotationDelete')}
        data-testid="annotation-delete"
        onClick={() => {
          setError(undefined)
          api.deleteAnnotation(id).then(onDeleted, (failure: unknown) => setError(String(failure)))
        }}
      >
        ×
      </button>
      {error ? (
        <span className="field-error" role="alert">
          {error}
        </span>
      ) : null}
    </>
  )
}

/** A note on the chart: when (in the chosen zone), what, and optionally which charted tag it is about. */
function AddAnnotation({ state, t, onAnnotationsChanged }: GrowthBodyProps) {
  const [open, setOpen] = useState(false)
  const [when, setWhen] = useState('')
  const [title, setTitle] = useState('')
  const [tag, setTag] = useState('')
  const [error, setError] = useState<string | undefined>()
  const [busy, setBusy] = useState(false)
  const errorId = useId()
  if (!open) {
    return (
      <button
        type="button"
        className="button ghost small-button"
        onClick={() => {
          setWhen(toWallString(Date.now(), state.tz))
          setOpen(true)
        }}
        data-testid="annotation-add"
      >
        {t('annotationAdd')}
      </button>
    )
  }
  const submit = (event: FormEvent) => {
    event.preventDefault()
    const ts = wallTimeToInstant(when, state.tz)
    if (ts === undefined || !title.trim()) {
      setError(t('annotationInvalid'))
      return
    }
    setBusy(true)
    setError(undefined)
    api
      .createAnnotation({ ts: toIsoInZone(ts, state.tz), title: title.trim(), ...(tag ? { hashtag: tag } : {}) })
      .then(
        () => {
          setOpen(false)
          setTitle('')
          onAnnotationsChanged()
        },
        (failure: unknown) => setError(failure instanceof Error ? failure.message : String(failure)),
      )
      .finally(() => setBusy(false))
  }
  return (
    <form className="inline-form annotation-form" onSubmit={submit} data-testid="annotation-form">
      <label className="sr-only" htmlFor="annotation-when">
        {t('annotationWhen')}
      </label>
      <input
        id="annotation-when"
        type="datetime-local"
        value={when}
        onChange={(event) => setWhen(event.target.value)}
        required
      />
      <label className="sr-only" htmlFor="annotation-title">
        {t('annotationTitle')}
      </label>
      <input
        id="annotation-title"
        type="text"
        value={title}
        maxLength={MAX_ANNOTATION_TITLE_LENGTH}
        placeholder={t('annotationTitle')}
        onChange={(event) => setTitle(event.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? errorId : undefined}
        required
      />
      <label className="sr-only" htmlFor="annotation-tag">
        {t('colTag')}
      </label>
      <select id="annotation-tag" value={tag} onChange={(event) => setTag(event.target.value)}>
        <option value="">{t('annotationAllTags')}</option>
        {state.tags.map((item) => (
          <option key={item} value={item}>
            {hashtag(item)}
          </option>
        ))}
      </select>
      <span className="muted small">{state.tz}</span>
      <button type="submit" className="button" disabled={busy}>
        {t('annotationSave')}
      </button>
      <button type="button" className="button ghost" onClick={() => setOpen(false)}>
        {t('cancel')}
      </button>
      {error ? (
        <span id={errorId} className="field-error" role="alert">
          {error}
        </span>
      ) : null}
    </form>
  )
}
