import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { serveStatic } from '@hono/node-server/serve-static'
import type { OpenAPIHono } from '@hono/zod-openapi'
import { type Context, Hono } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { requestId } from 'hono/request-id'
import { matchedRoutes } from 'hono/route'
import { type AppDeps, type AppEnv, ExportSlots, type Services, ZoneNames } from './context.ts'
import { ApiError, toApiError } from './errors.ts'
import { LiveHub } from './live-hub.ts'
import { type OpenApiDocument, openApiDocument, router } from './openapi.ts'
import { RequestMetrics } from './request-metrics.ts'
import { ResponseCache } from './response-cache.ts'
import { annotationRoutes } from './routes/annotations.ts'
import { documentRoutes } from './routes/docs.ts'
import { exportRoutes } from './routes/export.ts'
import { hashtagRoutes } from './routes/hashtags.ts'
import { LIVE_INTERVAL_MS, liveRoutes } from './routes/live.ts'
import { overviewRoutes } from './routes/overview.ts'
import { regionRoutes } from './routes/regions.ts'
import { healthRoutes, metaRoutes } from './routes/system.ts'
import { requireKnownHost, requireSameOriginJson, requireToken, securityHeaders } from './security.ts'

export type { AppDeps, AppEnv } from './context.ts'

/** Dashboards poll the same questions; one second of reuse absorbs bursts without visibly stale charts. */
const DEFAULT_RESPONSE_CACHE_MS = 1_000
/** Annotation bodies are a few hundred bytes; anything near this is not an annotation. */
const MAX_BODY_BYTES = 16 * 1024
/** Request ids from clients are echoed into logs and headers, so they are kept short. */
const MAX_REQUEST_ID_LENGTH = 128
/** Schema migrations take seconds; clients polling a starting product need not come back sooner. */
const STARTING_RETRY_AFTER_SECONDS = 5

export function createApp(deps: AppDeps): OpenAPIHono<AppEnv> {
  const services: Services = {
    deps,
    cache: new ResponseCache(deps.responseCacheMs ?? DEFAULT_RESPONSE_CACHE_MS, (key, error) =>
      deps.log.warn('refreshing a cached report failed', {
        key,
        error: error instanceof Error ? error.message : String(error),
      }),
    ),
    requests: new RequestMetrics(),
    exports: new ExportSlots(deps.api.exportMaxConcurrent, deps.api.exportMaxPerClient),
    zones: new ZoneNames(deps.store),
    live: new LiveHub(deps, deps.liveIntervalMs ?? LIVE_INTERVAL_MS, deps.api.liveMaxClients),
    annotationsRevision: { value: 0 },
  }
  const app = router()

  app.use(requestId({ limitLength: MAX_REQUEST_ID_LENGTH }))
  app.use(async (c, next) => {
    const started = performance.now()
    const timeout = AbortSignal.timeout(deps.api.queryTimeoutMs)
    c.set('timeout', timeout)
    c.set('signal', AbortSignal.any([c.req.raw.signal, timeout]))
    await next()
    const seconds = (performance.now() - started) / 1000
    services.requests.observe(c.req.method, routeLabel(c), c.res.status, seconds)
  })
  app.use(securityHeaders())
  app.use(requireKnownHost(deps.api.allowedHosts))
  app.use(requireSameOriginJson())
  if (deps.api.token !== undefined) app.use('/api/*', requireToken(deps.api.token))

  app.route('/', healthRoutes(services))
  if (deps.routes === 'operations') return withErrorHandlers(app, deps)
  app.route('/api/overview', overviewRoutes(services))
  app.route('/api/hashtags', hashtagRoutes(services))
  app.route('/api/regions', regionRoutes(services))
  app.route('/api', liveRoutes(services))
  app.route('/api/export', exportRoutes(services))
  app.use('/api/annotations', bodyLimit({ maxSize: MAX_BODY_BYTES, onError: tooLarge }))
  app.route('/api/annotations', annotationRoutes(services))
  app.route('/api/meta', metaRoutes(services))
  // Made on first request, when every route is registered, so the document lists them all.
  let document: OpenApiDocument | undefined
  const tokenRequired = deps.api.token !== undefined
  app.route(
    '/api',
    documentRoutes(() => (document ??= openApiDocument(app, { tokenRequired }))),
  )

  if (deps.dashboardDir !== undefined) {
    // With a token the app's requests carry it and the page's could not, so nothing is preloaded for them.
    const preload = deps.api.token === undefined ? firstViewPreload(deps.dashboardDir, deps.api.defaultTimeZone) : ''
    serveDashboard(app, deps.dashboardDir, preload)
  }
  return withErrorHandlers(app, deps)
}

/**
 * What an ingest-only worker serves on its port: `/healthz`, `/readyz` (store and ingest state) and `/metrics`
 * (the ingest's and the process's), so the lag of every worker is seen, not only the API's.
 */
export function createOperationsApp(deps: Omit<AppDeps, 'routes' | 'dashboardDir'>): OpenAPIHono<AppEnv> {
  return createApp({ ...deps, routes: 'operations' })
}

/** What the port answers while the product starts (the schema is applied): a JSON 503 with the security headers. */
export function createStartingApp(): Hono<AppEnv> {
  return new Hono<AppEnv>()
    .use(requestId({ limitLength: MAX_REQUEST_ID_LENGTH }))
    .use(securityHeaders())
    .all('*', (c) => {
      const error = new ApiError(503, 'starting', 'the product is starting; try again in a few seconds')
      return c.json(error.body(c.get('requestId')), 503, { 'Retry-After': String(STARTING_RETRY_AFTER_SECONDS) })
    })
}

/** The one error body for unknown routes and thrown errors. */
function withErrorHandlers(app: OpenAPIHono<AppEnv>, deps: AppDeps): OpenAPIHono<AppEnv> {
  app.notFound((c) => {
    const error = new ApiError(404, 'not_found', `no route for ${c.req.method} ${c.req.path}`)
    return c.json(error.body(c.get('requestId')), 404)
  })
  app.onError((error, c) => {
    const apiError = toApiError(error, c.get('timeout')?.aborted ?? false)
    const requestId = c.get('requestId')
    if (apiError.status >= 500) {
      deps.log.error('request failed', {
        requestId,
        method: c.req.method,
        path: c.req.path,
        status: apiError.status,
        error: error instanceof Error ? (error.stack ?? error.message) : String(error),
      })
    } else {
      deps.log.debug('request refused', { requestId, path: c.req.path, status: apiError.status, code: apiError.code })
    }
    if (apiError.code === 'unauthorized') c.header('WWW-Authenticate', 'Bearer')
    return c.json(apiError.body(requestId), apiError.status)
  })
  return app
}

/**
 * The route pattern that answered (`/api/hashtags/growth`), so metrics are not split by query string or id. The
 * dashboard's catch-all handlers match every path, so they never name an API route; what they serve is `static`.
 */
function routeLabel(c: Context<AppEnv>): string {
  const endpoint = matchedRoutes(c).find((route) => route.method !== 'ALL' && !isCatchAll(route.path))
  if (endpoint) return endpoint.path
  return c.res.status === 404 || isApiPath(c.req.path) ? 'unmatched' : 'static'
}

function isCatchAll(path: string): boolean {
  return path === '*' || path === '/*'
}

function tooLarge(c: Context<AppEnv>) {
  const error = new ApiError(413, 'invalid_body', `the body is larger than ${MAX_BODY_BYTES} bytes`, 'body')
  return c.json(error.body(c.get('requestId')), 413)
}

/** Built assets are named by their content hash, so a URL's bytes never change: browsers keep them a year. */
const HASHED_ASSET_CACHE = 'public, max-age=31536000, immutable'
/** index.html names the current assets, so browsers check it on every load. */
const PAGE_CACHE = 'no-cache'
/** Written by the dashboard's build beside index.html. */
const FIRST_VIEW_FILE = 'first-view.json'

/**
 * The built dashboard: files as they are (the build's brotli or gzip copy when the browser takes it), and
 * index.html for any other page path so the single-page app can route it. Paths with a file extension that do not
 * exist stay 404s (a missing script should not get HTML).
 */
function serveDashboard(app: OpenAPIHono<AppEnv>, root: string, firstViewLink: string): void {
  const files = serveStatic<AppEnv>({ root, precompressed: true })
  const index = serveStatic<AppEnv>({ root, path: 'index.html', precompressed: true })
  // The header goes on before the file is read (a response's headers are fixed once it is made) and comes off
  // again when there is no such file.
  const withCaching = (serve: typeof files, policy: string) => (c: Context<AppEnv>, next: () => Promise<void>) => {
    c.header('Cache-Control', policy)
    return serve(c, async () => {
      c.header('Cache-Control', undefined)
      await next()
    })
  }
  const assets = withCaching(files, HASHED_ASSET_CACHE)
  const otherFiles = withCaching(files, PAGE_CACHE)
  const page = withCaching(index, PAGE_CACHE)
  app.use('*', async (c, next) => {
    if (isApiPath(c.req.path)) return next()
    if (c.req.path.startsWith('/assets/')) return assets(c, next)
    // `/` is index.html as a file, other page paths are the fallback below: both are the page.
    if (firstViewLink && isPagePath(c.req.path) && isDefaultView(c.req.url)) c.header('Link', firstViewLink)
    return otherFiles(c, next)
  })
  app.get('*', async (c, next) => (isApiPath(c.req.path) || !isPagePath(c.req.path) ? next() : page(c, next)))
}

function isPagePath(path: string): boolean {
  return !/\.[A-Za-z0-9]+$/.test(path)
}

/** What the build lists as the default view's first requests (`first-view.json` beside the page). */
interface FirstView {
  timeZone: string
  requests: string[]
}

/**
 * The `Link` header naming the default view's first requests, so the browser starts them with the page: the
 * dashboard's own code listed them at build time, and its identical requests take these answers. Empty when the
 * build has no list or made it for another default zone than this API's (the view would then ask for others).
 */
function firstViewPreload(root: string, defaultTimeZone: string): string {
  let firstView: FirstView
  try {
    firstView = JSON.parse(readFileSync(join(root, FIRST_VIEW_FILE), 'utf8')) as FirstView
  } catch {
    return ''
  }
  if (firstView.timeZone !== defaultTimeZone) return ''
  return firstView.requests
    .filter((url) => url.startsWith('/api/'))
    .map((url) => `<${url}>; rel=preload; as=fetch; crossorigin`)
    .join(', ')
}

/** Only the language is in the page's query: every request of the view is the default one. */
function isDefaultView(url: string): boolean {
  return [...new URL(url).searchParams.keys()].every((key) => key === 'lang')
}

function isApiPath(path: string): boolean {
  return path === '/api' || path.startsWith('/api/') || path === '/healthz' || path === '/readyz' || path === '/metrics'
}
