/**
 * Typed client for the TrendLens API, typed from the contract the API itself is typed from: renaming a parameter or
 * a response field there breaks this file's callers at compile time. Every non-2xx answer becomes an `ApiError`
 * carrying the API's `{code, message, requestId}` body, so the UI can say what went wrong and which request it was.
 */
import type {
  AnnotationBody,
  AnnotationList,
  AnnotationsQuery,
  DatedAnnotation,
  ErrorBody,
  ExportDataset,
  GrowthQuery,
  GrowthReport,
  HeatmapQuery,
  HeatmapReport,
  IngestSnapshot,
  MetaReport,
  OverviewQuery,
  OverviewReport,
  RegionSplitReport,
  SplitQuery,
  TopQuery,
  TopTagsReport,
  TrendingQuery,
  TrendingReport,
} from '@trendlens/contract'
import { authHeaders, withTokenParam } from './token.ts'

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

function isErrorBody(body: unknown): body is Pick<ErrorBody, 'code' | 'message'> & Partial<ErrorBody> {
  if (typeof body !== 'object' || body === null) return false
  const record = body as Record<string, unknown>
  return typeof record.code === 'string' && typeof record.message === 'string'
}

type Fetcher = (input: string, init?: RequestInit) => Promise<Response>

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

export const api = {
  createAnnotation: (note: AnnotationBody) => send<DatedAnnotation>('POST', '/api/annotations', note),
  deleteAnnotation: (id: string) => send<undefined>('DELETE', `/api/annotations/${encodeURIComponent(id)}`),
  meta: (signal?: AbortSignal) => getJson<MetaReport>('/api/meta', {}, signal),
  overview: (params: OverviewQuery, signal?: AbortSignal) => getJson<OverviewReport>('/api/overview', params, signal),
  growth: (params: GrowthQuery, signal?: AbortSignal) => getJson<GrowthReport>('/api/hashtags/growth', params, signal),
  top: (params: TopQuery, signal?: AbortSignal) => getJson<TopTagsReport>('/api/hashtags/top', params, signal),
  trending: (params: TrendingQuery, signal?: AbortSignal) =>
    getJson<TrendingReport>('/api/hashtags/trending', params, signal),
  split: (params: SplitQuery, signal?: AbortSignal) => getJson<RegionSplitReport>('/api/regions/split', params, signal),
  heatmap: (params: HeatmapQuery, signal?: AbortSignal) =>
    getJson<HeatmapReport>('/api/regions/heatmap', params, signal),
  annotations: (params: AnnotationsQuery, signal?: AbortSignal) =>
    getJson<AnnotationList>('/api/annotations', params, signal),
  ingest: (signal?: AbortSignal) => getJson<IngestSnapshot>('/api/ingest', {}, signal),
}
