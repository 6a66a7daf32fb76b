/**
 * Typed client for the TrendLens API (see api/README.md). Every non-2xx answer becomes an `ApiError` carrying the
 * API's `{code, message, requestId}` body, so the UI can say what went wrong and which request it was.
 */

import { authHeaders, withTokenParam } from './token.ts'

export type Granularity = 'minute' | '15m' | 'hour' | 'day'
export type EventType = 'view' | 'post' | 'comment' | 'ip_region'

export interface Kpis {
  views: number
  discussions: number
  activeUsers: number
  newUsers: number
  /** Null when the period has no events to take a share of. */
  foreignShare: number | null
}

export interface OverviewResponse {
  range: unknown
  current: Kpis
  previous: Kpis
  change: { [K in keyof Kpis]: number | null }
}

export interface GrowthPoint {
  t: string
  ts: number
  views: number
  discussions: number
  cumViews: number
  cumDiscussions: number
}

export interface Milestone {
  metric: 'views' | 'discussions'
  threshold: number
  /** Start of the bucket whose cumulative total first reaches the threshold. */
  t: string
  ts: number
  /** The minute in which it was reached (local time and epoch ms), when the API could tell. */
  minute?: string
  minuteTs?: number
}

export interface GrowthSeries {
  tag: string
  points: GrowthPoint[]
  milestones: Milestone[]
}

export interface GrowthResponse {
  granularity: Granularity
  tz: string
  series: GrowthSeries[]
}

export interface TopRow {
  tag: string
  views: number
  discussions: number
}

export interface TopResponse {
  rows: TopRow[]
}

export interface TrendingRow {
  tag: string
  recentRate: number
  baselineRate: number
  multiple: number | null
  isNew: boolean
  views: number
}

export interface TrendingResponse {
  window: { recentFrom: string; recentTo: string; baselineFrom: string; baselineTo: string }
  rows: TrendingRow[]
}

export interface SplitPoint {
  t: string
  ts: number
  total: number
  values: Record<string, number>
  /** Null in an empty bucket: there is no share of nothing. */
  shares: Record<string, number | null>
  leader: string | null
}

export interface Crossover {
  t: string
  ts: number
  from: string
  to: string
}

export interface SplitResponse {
  granularity: Granularity
  tz: string
  metric: 'users' | 'events'
  regions: string[]
  points: SplitPoint[]
  crossovers: Crossover[]
}

export interface HeatmapCell {
  day: string
  hour: number
  value: number
  /** The region's share of the hour's total; null when the hour is empty. */
  share: number | null
}

export interface HeatmapResponse {
  tz: string
  days: string[]
  hours: number[]
  cells: HeatmapCell[]
}

export interface Annotation {
  id: string
  ts: number
  t: string
  title: string
  body: string
  hashtag: string
}

export interface AnnotationsResponse {
  rows: Annotation[]
}

/** Mirrors `IngestSnapshot` in ingest/src/metrics.ts (only the fields the dashboard reads are required). */
export interface IngestSnapshot {
  mode: string
  received: number
  stored: number
  rejected: number
  deadLettered: number
  storedPerSecond: number
  receivedPerSecond: number
  lastInsertAt: string | null
  lastError: string | null
  totalLag: number
  paused: boolean
}

export interface LiveMinute {
  t: string
  ts: number
  views: number
  discussions: number
  activeUsers: number
  events: number
}

export interface LiveTick {
  at: string
  atTs: number
  /** The newest complete minute. */
  minute: LiveMinute
  /** The minute in progress. */
  current: LiveMinute
  ingest: IngestSnapshot
}

export interface MetaResponse {
  defaultTimeZone: string
  dataRange: { from: string; to: string; events: number } | null
  story: { tag: string; from: string; to: string }
  backend: string
  version: string
}

export type ExportDataset = 'growth' | 'top' | 'trending' | 'regions' | 'heatmap' | 'overview' | 'events'

export type QueryParams = Record<string, string | number | readonly string[] | undefined>

/** An error answer of the API, or a network failure (`code: 'network'`) / unreadable body (`code: 'bad_response'`). */
export class ApiError extends Error {
  override readonly name = 'ApiError'
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly requestId: string | undefined,
    readonly parameter: string | undefined,
  ) {
    super(message)
  }
}

/** The API takes one hashtag per `tag` parameter, commas included; every other list is comma-joined. */
const REPEATED_PARAMS: ReadonlySet<string> = new Set(['tag'])

/** Builds a query string in a stable key order; empty values are left out. */
export function buildQuery(params: QueryParams): string {
  const search = new URLSearchParams()
  for (const key of Object.keys(params).sort()) {
    const value = params[key]
    if (value === undefined) continue
    if (Array.isArray(value) && REPEATED_PARAMS.has(key)) {
      for (const item of value) search.append(key, item)
      continue
    }
    const text = Array.isArray(value) ? value.join(',') : String(value)
    if (text === '') continue
    search.set(key, text)
  }
  const query = search.toString()
  return query ? `?${query}` : ''
}

export function apiUrl(path: string, params: QueryParams = {}): string {
  return `${path}${buildQuery(params)}`
}

export function exportUrl(dataset: ExportDataset, params: QueryParams): string {
  return withTokenParam(apiUrl(`/api/export/${dataset}.csv`, params))
}

/** Reads an API error body; anything else still becomes an ApiError with the HTTP status in words. */
export async function errorFromResponse(response: Response): Promise<ApiError> {
  let body: unknown
  try {
    body = await response.json()
  } catch {
    body = undefined
  }
  if (isErrorBody(body)) {
    return new ApiError(response.status, body.code, body.message, body.requestId, body.parameter)
  }
  const requestId = response.headers.get('x-request-id') ?? undefined
  return new ApiError(
    response.status,
    `http_${response.status}`,
    response.statusText || 'Request failed',
    requestId,
    undefined,
  )
}

function isErrorBody(body: unknown): body is { code: string; message: string; requestId?: string; parameter?: string } {
  if (typeof body !== 'object' || body === null) return false
  const record = body as Record<string, unknown>
  return typeof record.code === 'string' && typeof record.message === 'string'
}

export type Fetcher = (input: string, init?: RequestInit) => Promise<Response>

const JSON_HEADERS = { accept: 'application/json' }

/** Requests started before React's first render, each taken once by the first `getJson` for the same URL. */
const prefetched = new Map<string, Promise<Response>>()

/** Starts a request now (while the app's code still loads) so that the panel asking for it later finds it running. */
export function prefetch(path: string, params: QueryParams): void {
  const url = apiUrl(path, params)
  if (prefetched.has(url)) return
  const request = fetch(url, { headers: { ...JSON_HEADERS, ...authHeaders() } })
  // A failed prefetch is not an error yet: the panel that takes it reports it.
  request.catch(() => undefined)
  prefetched.set(url, request)
}

export async function getJson<T>(
  path: string,
  params: QueryParams,
  signal?: AbortSignal,
  fetcher: Fetcher = (input, init) => fetch(input, init),
): Promise<T> {
  const url = apiUrl(path, params)
  let response: Response
  try {
    const early = prefetched.get(url)
    prefetched.delete(url)
    response = await (early ?? fetcher(url, { signal, headers: { ...JSON_HEADERS, ...authHeaders() } }))
  } catch (error) {
    if (signal?.aborted) throw error
    throw new ApiError(0, 'network', error instanceof Error ? error.message : String(error), undefined, undefined)
  }
  if (!response.ok) throw await errorFromResponse(response)
  try {
    return (await response.json()) as T
  } catch (error) {
    throw new ApiError(
      response.status,
      'bad_response',
      error instanceof Error ? error.message : 'unreadable response',
      response.headers.get('x-request-id') ?? undefined,
      undefined,
    )
  }
}

/** Sends a JSON body (or none) with the token; an error answer becomes an ApiError like every GET. */
async function send<T>(method: 'POST' | 'DELETE', path: string, body?: unknown): Promise<T | undefined> {
  let response: Response
  try {
    response = await fetch(path, {
      method,
      headers: {
        ...JSON_HEADERS,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...authHeaders(),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
  } catch (error) {
    throw new ApiError(0, 'network', error instanceof Error ? error.message : String(error), undefined, undefined)
  }
  if (!response.ok) throw await errorFromResponse(response)
  return response.status === 204 ? undefined : ((await response.json()) as T)
}

export interface NewAnnotation {
  ts: string
  title: string
  body?: string
  hashtag?: string
}

export const api = {
  createAnnotation: (note: NewAnnotation) => send<Annotation>('POST', '/api/annotations', note),
  deleteAnnotation: (id: string) => send<undefined>('DELETE', `/api/annotations/${encodeURIComponent(id)}`),
  meta: (signal?: AbortSignal) => getJson<MetaResponse>('/api/meta', {}, signal),
  overview: (params: QueryParams, signal?: AbortSignal) => getJson<OverviewResponse>('/api/overview', params, signal),
  growth: (params: QueryParams, signal?: AbortSignal) =>
    getJson<GrowthResponse>('/api/hashtags/growth', params, signal),
  top: (params: QueryParams, signal?: AbortSignal) => getJson<TopResponse>('/api/hashtags/top', params, signal),
  trending: (params: QueryParams, signal?: AbortSignal) =>
    getJson<TrendingResponse>('/api/hashtags/trending', params, signal),
  split: (params: QueryParams, signal?: AbortSignal) => getJson<SplitResponse>('/api/regions/split', params, signal),
  heatmap: (params: QueryParams, signal?: AbortSignal) =>
    getJson<HeatmapResponse>('/api/regions/heatmap', params, signal),
  annotations: (params: QueryParams, signal?: AbortSignal) =>
    getJson<AnnotationsResponse>('/api/annotations', params, signal),
  ingest: (signal?: AbortSignal) => getJson<IngestSnapshot>('/api/ingest', {}, signal),
}
