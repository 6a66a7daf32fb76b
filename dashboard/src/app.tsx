/**
 * The dashboard: reads /api/meta for its defaults, keeps the whole view in the URL, fetches every panel's data for
 * that view, and refreshes the newest buckets on each live tick while the range reaches the present.
 */

import type { MetaReport } from '@trendlens/contract'
import { lazy, Suspense, useCallback, useEffect, useMemo, useRef, useState } from 'react'
import { ApiError, api, buildQuery, prefetch } from './api.ts'
import { ChartBoundary } from './components/chart-boundary.tsx'
import { Controls } from './components/controls.tsx'
import { FilterNote } from './components/filter-note.tsx'
import { GrowthPanel } from './components/growth-panel.tsx'
import { Header, type LiveMode } from './components/header.tsx'
import { IngestCard, KpiCards } from './components/overview.tsx'
import { SplitPanel } from './components/split-panel.tsx'
import { TagsPanel } from './components/tag-tables.tsx'
import { TokenPrompt } from './components/token-prompt.tsx'
import { useAfterFirstChart } from './first-chart.ts'
import { useLiveStream, useQuery, useTheme } from './hooks.ts'
import { hashtag, preferredLang, translator } from './i18n.ts'
import {
  type Defaults,
  firstViewRequests,
  parseState,
  queries as queriesFor,
  rangeIncludesNow,
  rangeOf,
  STATIC_DEFAULTS,
  STORY_TAGS,
  serializeState,
  type ViewState,
} from './state.ts'
import { canonicalTimeZone, toIsoInZone, wallTimeToInstant } from './time.ts'
import { paletteFor } from './transforms/palette.ts'
import type { ViewProps } from './view.ts'

const HeatmapPanel = lazy(() => import('./components/heatmap-panel.tsx'))

/** The heatmap panel's height while its code loads: header, controls and chart. */
const HEATMAP_PANEL_HEIGHT = 404

/** Top and trending tables move slowly: refresh them every this many live ticks (2 s each). */
const SLOW_REFRESH_TICKS = 5

/** The dashboard's defaults from /api/meta; a bound without an offset is read in the API's default zone. */
function defaultsFromMeta(meta: MetaReport | undefined, languages: readonly string[]): Defaults {
  const lang = preferredLang(languages)
  if (!meta) return { ...STATIC_DEFAULTS, lang }
  const tz = canonicalTimeZone(meta.defaultTimeZone) ?? STATIC_DEFAULTS.tz
  const bound = (value: string, fallback: string) => {
    if (/[zZ]|[+-]\d{2}:?\d{2}$/.test(value) && value.includes('T')) return value
    const ts = wallTimeToInstant(value, tz)
    return ts === undefined ? fallback : toIsoInZone(ts, tz)
  }
  const story = meta.story
    ? { from: bound(meta.story.from, STATIC_DEFAULTS.story.from), to: bound(meta.story.to, STATIC_DEFAULTS.story.to) }
    : STATIC_DEFAULTS.story
  const storyTag = meta.story?.tag
  const tags = storyTag ? [storyTag, ...STORY_TAGS.filter((tag) => tag !== storyTag)] : STORY_TAGS
  return { tz, lang, tags, story }
}

/**
 * Starts the first view's requests before React renders: the URL and the static defaults say what they are, and
 * the chart code is still downloading meanwhile. For the default view the server has named them in the page's
 * `Link` header already, and these requests take the answers the browser preloaded.
 */
export function prefetchFirstView(): void {
  const defaults = defaultsFromMeta(undefined, navigator.languages)
  for (const [path, params] of firstViewRequests(parseState(window.location.search, defaults), defaults)) {
    prefetch(path, params)
  }
}

export function App() {
  const meta = useQuery('meta', (signal) => api.meta(signal))
  // The static defaults (the story) serve until /api/meta answers, so no request waits for it; when the API
  // knows better (another default zone or story window) the view follows.
  const defaults = useMemo(() => defaultsFromMeta(meta.data, navigator.languages), [meta.data])
  const [stable, setStable] = useState(defaults)
  useEffect(() => {
    setStable((previous) => (JSON.stringify(previous) === JSON.stringify(defaults) ? previous : defaults))
  }, [defaults])
  if (meta.error instanceof ApiError && meta.error.status === 401) {
    return <TokenPrompt t={translator(defaults.lang)} reload={() => window.location.reload()} />
  }
  return <Dashboard defaults={stable} />
}

function Dashboard({ defaults }: { defaults: Defaults }) {
  const [state, setState] = useState<ViewState>(() => parseState(window.location.search, defaults))
  const current = useRef(state)
  current.current = state

  useEffect(() => {
    const onPop = () => setState(parseState(window.location.search, defaults))
    // New defaults (from /api/meta) re-read the URL, which holds every choice the viewer made.
    onPop()
    window.addEventListener('popstate', onPop)
    return () => window.removeEventListener('popstate', onPop)
  }, [defaults])

  const update = useCallback(
    (patch: Partial<ViewState>) => {
      const next = { ...current.current, ...patch }
      const search = serializeState(next, defaults)
      if (search !== window.location.search) {
        window.history.pushState(null, '', `${window.location.pathname}${search}${window.location.hash}`)
      }
      current.current = next
      setState(next)
    },
    [defaults],
  )

  const theme = useTheme()
  const palette = paletteFor(theme.resolved)
  const t = useMemo(() => translator(state.lang), [state.lang])
  const range = useMemo(() => rangeOf(state, defaults), [state, defaults])
  const queries = useMemo(() => queriesFor(state, defaults), [state, defaults])

  useEffect(() => {
    document.documentElement.lang = state.lang
    document.title = `${state.tags.map(hashtag).join(' · ') || t('growth')} — ${t('appName')}`
  }, [state.lang, state.tags, t])

  const [now, setNow] = useState(() => Date.now())
  const live: LiveMode = state.paused ? 'user-paused' : rangeIncludesNow(range, state.tz, now) ? 'live' : 'historical'
  const stream = useLiveStream(!state.paused, state.tz)
  useEffect(() => {
    // A custom range ending a few minutes from now stops being live when the clock passes its end.
    if (stream.ticks > 0) setNow(Date.now())
  }, [stream.ticks])
  const refresh = live === 'live' ? stream.ticks : 0
  const slowRefresh = live === 'live' ? Math.floor(stream.ticks / SLOW_REFRESH_TICKS) : 0

  const overview = useQuery(buildQuery(queries.overview), (s) => api.overview(queries.overview, s), refresh)
  const growth = useQuery(
    state.tags.length > 0 ? buildQuery(queries.growth) : null,
    (s) => api.growth(queries.growth, s),
    refresh,
  )
  const split = useQuery(buildQuery(queries.split), (s) => api.split(queries.split, s), refresh)
  // The first charts (growth, split) are asked for and drawn first; the rest of the page is asked for after that.
  const afterFirstChart = useAfterFirstChart(
    (state.tags.length === 0 || growth.status !== 'loading') && split.status !== 'loading',
  )
  const later = (key: string | null) => (afterFirstChart ? key : null)
  const previousGrowth = useQuery(
    later(queries.previousGrowth ? `previous${buildQuery(queries.previousGrowth)}` : null),
    (s) => api.growth(queries.previousGrowth ?? {}, s),
    slowRefresh,
  )
  const [annotationsRevision, setAnnotationsRevision] = useState(0)
  const annotations = useQuery(`${buildQuery(queries.annotations)}#${annotationsRevision}`, (s) =>
    api.annotations(queries.annotations, s),
  )
  const top = useQuery(later(buildQuery(queries.top)), (s) => api.top(queries.top, s), slowRefresh)
  const trending = useQuery(later(buildQuery(queries.trending)), (s) => api.trending(queries.trending, s), slowRefresh)
  const ingest = useQuery(later('ingest'), (s) => api.ingest(s))

  const view: ViewProps = { state, update, t, palette, queries, range, live: live === 'live' }
  const suggestions = useMemo(() => top.data?.rows.map((row) => row.tag) ?? [], [top.data])
  const annotationRows = useMemo(() => annotations.data?.rows ?? [], [annotations.data])
  const heatmapSkeleton = <div className="panel skeleton" style={{ height: HEATMAP_PANEL_HEIGHT }} />

  return (
    <>
      <a className="skip-link" href="#main">
        {t('skipToContent')}
      </a>
      <Header
        t={t}
        lang={state.lang}
        tz={state.tz}
        live={live}
        connection={stream.status}
        lastTickAt={stream.tick?.at}
        tickError={stream.tickError}
        lastMinuteEvents={stream.tick?.minute.events}
        onToggleLive={() => update({ paused: !state.paused })}
        onGoLive={() => update({ preset: '24h', granularity: 'auto', growthMode: 'bucket', paused: false })}
        onLang={(lang) => update({ lang })}
        theme={theme.choice}
        onTheme={theme.setChoice}
      />
      <main id="main" className="main">
        <Controls {...view} />
        <FilterNote panel="kpis" state={state} t={t} />
        <div className="kpi-row">
          <KpiCards overview={overview} lang={state.lang} t={t} />
          <IngestCard
            ingest={stream.tick?.ingest ?? ingest.data}
            minute={stream.tick?.minute}
            lang={state.lang}
            t={t}
          />
        </div>
        <div className="grid-two">
          <GrowthPanel
            {...view}
            growth={growth}
            previous={previousGrowth.data}
            annotations={annotationRows}
            onAnnotationsChanged={() => setAnnotationsRevision((n) => n + 1)}
            suggestions={suggestions}
          />
          <SplitPanel {...view} split={split} />
        </div>
        <div className="grid-two">
          <TagsPanel {...view} top={top} trending={trending} />
          <ChartBoundary what={t('heatmap')} t={t} height={HEATMAP_PANEL_HEIGHT}>
            <Suspense fallback={heatmapSkeleton}>
              {afterFirstChart ? <HeatmapPanel {...view} refresh={slowRefresh} /> : heatmapSkeleton}
            </Suspense>
          </ChartBoundary>
        </div>
      </main>
    </>
  )
}
