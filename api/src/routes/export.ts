import type { Socket } from 'node:net'
import { createRoute } from '@hono/zod-openapi'
import {
  csvOptions,
  EXPORT_DATASETS,
  type ExportDataset,
  eventsExportQuery,
  exportCount,
  fileStamp,
  heatmapQuery,
  overviewQuery,
  splitQuery,
  type TimeRange,
  topQuery,
  trendingQuery,
} from '@trendlens/contract'
import type { Context, MiddlewareHandler } from 'hono'
import { z } from 'zod'
import type { AppEnv, Services } from '../context.ts'
import { csvLine } from '../csv.ts'
import { ApiError, invalidParameter } from '../errors.ts'
import { errorResponses, json, router, STORE_ERRORS } from '../openapi.ts'
import { combinedTags, repeatable } from '../params.ts'
import { growthTable, loadGrowth, loadTop, loadTrending, topTable, trendingTable } from '../reports/hashtags.ts'
import { loadOverview, overviewTable } from '../reports/overview.ts'
import { heatmapTable, loadHeatmap, loadSplit, splitTable } from '../reports/regions.ts'
import type { Table } from '../reports/table.ts'
import { requestedRange, resolveZone } from '../scope.ts'
import { growthQueryString } from './hashtags.ts'

/** One chunk is read from the engine while the previous one is being sent, so the engine and the socket work at once. */
const PREFETCH = new CountQueuingStrategy({ highWaterMark: 2 })

/** The most handed to the socket at once: a reader's progress shows every 64 KiB. */
const PIECE_BYTES = 64 * 1024

export const EVENTS_HEADER = ['t', 'ts', 'id', 'type', 'user_id', 'note_id', 'hashtags', 'region', 'country', 'lang']

const encoder = new TextEncoder()
/** U+FEFF in UTF-8: the byte-order mark `bom=1` puts first. */
const UTF8_BOM = '\uFEFF'

/** The raw events parameters as a query string carries them: `tag` given once or repeated. */
const eventsQueryString = eventsExportQuery.extend({ tag: repeatable(eventsExportQuery.shape.tag) })

/** A download's parameters: its report's, and `bom`. */
function withCsvOptions<Shape extends z.ZodRawShape>(query: z.ZodObject<Shape, z.core.$strict>) {
  return query.extend(csvOptions.shape)
}

const CSV_ERRORS = [400, 429, ...STORE_ERRORS] as const

function csvResponse(description: string) {
  return {
    description: `${description}. Sent with Content-Disposition: attachment and a file name naming the range and zone.`,
    content: { 'text/csv; charset=utf-8': { schema: z.string() } },
  }
}

const countRoute = createRoute({
  method: 'get',
  path: '/events/count',
  operationId: 'countEventsExport',
  tags: ['export'],
  summary: 'How many rows the raw events export of these parameters holds, and the cap',
  request: { query: withCsvOptions(eventsQueryString) },
  responses: { 200: json(exportCount, 'The row count and the cap'), ...errorResponses(400, ...STORE_ERRORS) },
})

const eventsRoute = createRoute({
  method: 'get',
  path: '/events.csv',
  operationId: 'exportEventsCsv',
  tags: ['export'],
  summary: 'Raw events of a range as streamed CSV (row cap: EXPORT_MAX_ROWS)',
  request: { query: withCsvOptions(eventsQueryString) },
  responses: {
    200: {
      ...csvResponse('One row per event, streamed as the engine reads it'),
      headers: { 'X-Export-Rows': { description: 'The number of rows the file holds', schema: { type: 'integer' } } },
    },
    ...errorResponses(...CSV_ERRORS, 413),
  },
})

function reportRoute<Shape extends z.ZodRawShape>(
  dataset: Exclude<ExportDataset, 'events'>,
  operationId: string,
  summary: string,
  query: z.ZodObject<Shape, z.core.$strict>,
) {
  return createRoute({
    method: 'get',
    path: `/${dataset}.csv`,
    operationId,
    tags: ['export'],
    summary,
    request: { query: withCsvOptions(query) },
    responses: { 200: csvResponse(summary), ...errorResponses(...CSV_ERRORS) },
  })
}

const overviewCsv = reportRoute('overview', 'exportOverviewCsv', 'Overview as CSV', overviewQuery)
const growthCsv = reportRoute('growth', 'exportGrowthCsv', 'Tag growth series as CSV', growthQueryString)
const topCsv = reportRoute('top', 'exportTopCsv', 'Top tags as CSV', topQuery)
const trendingCsv = reportRoute('trending', 'exportTrendingCsv', 'Trending tags as CSV', trendingQuery)
const regionsCsv = reportRoute(
  'regions',
  'exportRegionsCsv',
  'Region split as CSV (one row per bucket and region)',
  splitQuery,
)
const heatmapCsv = reportRoute('heatmap', 'exportHeatmapCsv', 'Heatmap cells as CSV', heatmapQuery)

/** The file names this router serves; any other name is a bad `dataset`, not a missing route. */
const EXPORT_FILES: ReadonlySet<string> = new Set(EXPORT_DATASETS.map((dataset) => `${dataset}.csv`))

const refuseUnknownExport: MiddlewareHandler<AppEnv> = async (c, next) => {
  const file = c.req.param('file') ?? ''
  if (EXPORT_FILES.has(file)) return next()
  throw invalidParameter(
    'dataset',
    `dataset: unknown export "${file.slice(0, 40)}"; one of ${EXPORT_DATASETS.map((d) => `${d}.csv`).join(', ')}`,
  )
}

/** What a report export sends: its table, and the range, zone and subject its file is named after. */
interface ReportCsv {
  table: Table
  range: TimeRange
  zone: string
  subject: string[]
}

export function exportRoutes(services: Services) {
  const report = (dataset: string, bom: string | undefined, c: Context<AppEnv>, build: () => Promise<ReportCsv>) =>
    reportExport(services, c, dataset, bom === '1' ? UTF8_BOM : '', build)
  const app = router()
  app.use('/:file', refuseUnknownExport)
  return app
    .openapi(countRoute, async (c) => {
      // What a raw export of these parameters would hold, asked before starting it (the UI shows it first).
      const { rows } = await countEvents(services, c, c.req.valid('query'))
      return c.json({ rows, limit: services.deps.api.exportMaxRows }, 200)
    })
    .openapi(eventsRoute, async (c) => {
      const query = c.req.valid('query')
      const release = services.exports.acquire(clientAddress(c))
      try {
        return await eventsExport(services, c, query, query.bom === '1' ? UTF8_BOM : '', release)
      } catch (error) {
        release()
        throw error
      }
    })
    .openapi(overviewCsv, (c) =>
      report('overview', c.req.valid('query').bom, c, async () => {
        const overview = await loadOverview(services, c.req.valid('query'), Date.now())
        return { table: overviewTable(overview), range: toRange(overview.range), zone: overview.tz, subject: [] }
      }),
    )
    .openapi(growthCsv, (c) =>
      report('growth', c.req.valid('query').bom, c, async () => {
        const query = c.req.valid('query')
        const growth = await loadGrowth(services, query, Date.now())
        const subject = combinedTags(query)
        return { table: growthTable(growth), range: toRange(growth.range), zone: growth.tz, subject }
      }),
    )
    .openapi(topCsv, (c) =>
      report('top', c.req.valid('query').bom, c, async () => {
        const top = await loadTop(services, c.req.valid('query'), Date.now())
        return { table: topTable(top), range: toRange(top.range), zone: top.tz, subject: [top.by] }
      }),
    )
    .openapi(trendingCsv, (c) =>
      report('trending', c.req.valid('query').bom, c, async () => {
        const trending = await loadTrending(services, c.req.valid('query'), Date.now())
        const range = { from: trending.windowTs.baselineFrom, to: trending.windowTs.recentTo }
        return { table: trendingTable(trending), range, zone: trending.tz, subject: [trending.by] }
      }),
    )
    .openapi(regionsCsv, (c) =>
      report('regions', c.req.valid('query').bom, c, async () => {
        const split = await loadSplit(services, c.req.valid('query'), Date.now())
        const subject = [split.level, split.metric]
        return { table: splitTable(split), range: toRange(split.range), zone: split.tz, subject }
      }),
    )
    .openapi(heatmapCsv, (c) =>
      report('heatmap', c.req.valid('query').bom, c, async () => {
        const heatmap = await loadHeatmap(services, c.req.valid('query'), Date.now())
        const subject = [...heatmap.regions, heatmap.metric]
        return { table: heatmapTable(heatmap), range: toRange(heatmap.range), zone: heatmap.tz, subject }
      }),
    )
}

/** A report as a CSV download, holding one of the export slots while it is read and written. */
async function reportExport(
  services: Services,
  c: Context<AppEnv>,
  dataset: string,
  prefix: string,
  build: () => Promise<ReportCsv>,
): Promise<Response> {
  const release = services.exports.acquire(clientAddress(c))
  try {
    const { table, range, zone, subject } = await build()
    const body = [prefix + csvLine(table.header), ...table.rows.map(csvLine)]
    setDownloadHeaders(c, filename(dataset, subject, range, zone))
    return c.body(textStream(body))
  } finally {
    release()
  }
}

type EventsQuery = z.output<typeof eventsQueryString>

/** The rows a raw export of these parameters holds, with the range, zone and filters it was read with. */
async function countEvents(services: Services, c: Context<AppEnv>, query: EventsQuery) {
  const zone = await resolveZone(services, query.tz)
  const range = requestedRange(query, zone, Date.now())
  const tags = combinedTags(query)
  const filters = { regions: query.region ?? [], types: query.type ?? [], tags }
  const [count] = await services.deps.store.query(
    'api_events_count',
    { from: range.from, to: range.to, ...filters },
    { signal: c.get('signal'), lane: 'bulk' },
  )
  return { rows: count?.rows ?? 0, zone, range, tags, filters }
}

/**
 * Raw events of a range. Counted first, so an export over the cap is refused with the count rather than cut
 * short; then streamed as the engine writes it. The client going away cancels the query.
 */
async function eventsExport(
  services: Services,
  c: Context<AppEnv>,
  query: EventsQuery,
  prefix: string,
  release: () => void,
) {
  const { store, api, log } = services.deps
  const { rows, zone, range, tags, filters } = await countEvents(services, c, query)
  const clientGone = c.req.raw.signal
  if (rows > api.exportMaxRows) {
    throw new ApiError(
      413,
      'export_too_large',
      `this export would have ${rows.toLocaleString('en-US')} rows and the limit is ` +
        `${api.exportMaxRows.toLocaleString('en-US')} (EXPORT_MAX_ROWS); narrow the range or the filters`,
    )
  }
  const cancel = new AbortController()
  clientGone.addEventListener('abort', () => cancel.abort(), { once: true })
  const requestLog = log.child({ requestId: c.get('requestId'), route: '/api/export/events.csv' })
  const chunks = store.queryStream('api_events_csv', { from: range.from, to: range.to, tz: zone, ...filters }, 'CSV', {
    signal: cancel.signal,
  })
  let headerSent = false
  let finished = false
  /** The rest of the engine's current block, handed out in pieces. */
  let block: Uint8Array | undefined
  /**
   * The engine's next block, asked for as soon as the current one is taken, so the engine reads it while the
   * current one goes to the socket; one block ahead at most, and none while the reader holds back.
   */
  let ahead: Promise<IteratorResult<Uint8Array>> | undefined
  const readAhead = () => {
    ahead = chunks.next()
    // Its failure is reported when the block is awaited; this only keeps it from counting as unhandled meanwhile.
    ahead.catch(() => undefined)
  }
  // The reader's progress: a pull is the reader asking for more. No pull (and no engine read under way) for
  // EXPORT_IDLE_TIMEOUT_MS means it stopped reading; the download is cut so it stops holding a slot.
  let reading = false
  let lastPull = Date.now()
  let body: ReadableStreamDefaultController<Uint8Array> | undefined
  const idle = setInterval(
    () => {
      if (finished || reading || Date.now() - lastPull < api.exportIdleTimeoutMs) return
      services.exports.stalled++
      requestLog.warn('export cut: the client stopped reading', { idleMs: api.exportIdleTimeoutMs })
      cancel.abort()
      finish()
      // The response is blocked on a full socket; closing the connection is what frees it (and cancels the body).
      const socket = requestSocket(c)
      if (socket) socket.destroy()
      else body?.error(new Error(`the client took no data for ${api.exportIdleTimeoutMs} ms`))
    },
    Math.max(10, Math.min(1_000, api.exportIdleTimeoutMs / 4)),
  )
  idle.unref()
  const finish = () => {
    finished = true
    clearInterval(idle)
    release()
  }
  const stream = new ReadableStream<Uint8Array>(
    {
      start(controller) {
        body = controller
      },
      async pull(controller) {
        lastPull = Date.now()
        try {
          if (!headerSent) {
            headerSent = true
            controller.enqueue(encoder.encode(prefix + csvLine(EVENTS_HEADER)))
            return
          }
          if (!block) {
            reading = true
            if (!ahead) readAhead()
            const next = await (ahead as Promise<IteratorResult<Uint8Array>>)
            ahead = undefined
            reading = false
            lastPull = Date.now()
            if (next.done) {
              finish()
              controller.close()
              return
            }
            block = next.value
            readAhead()
          }
          // Engine blocks can be megabytes; pieces keep the reader's progress visible and the buffers small.
          controller.enqueue(block.subarray(0, PIECE_BYTES))
          block = block.byteLength > PIECE_BYTES ? block.subarray(PIECE_BYTES) : undefined
        } catch (error) {
          reading = false
          finish()
          if (cancel.signal.aborted) return
          // Failing the body (not closing it) makes the download fail visibly instead of ending as a short file.
          requestLog.error('export failed mid-stream', {
            error: error instanceof Error ? error.message : String(error),
          })
          controller.error(error)
        }
      },
      async cancel() {
        cancel.abort()
        if (!finished) finish()
        await chunks.return(undefined).catch(() => undefined)
      },
    },
    PREFETCH,
  )
  setDownloadHeaders(c, filename('events', [...tags, ...filters.regions, ...filters.types], range, zone))
  c.header('X-Export-Rows', String(rows))
  return c.body(stream)
}

function toRange(range: { fromTs: number; toTs: number }): TimeRange {
  return { from: range.fromTs, to: range.toTs }
}

function textStream(chunks: string[]): ReadableStream<Uint8Array> {
  let i = 0
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      // Write reports in chunks of a few hundred lines so a large series does not become one huge buffer.
      const end = Math.min(chunks.length, i + 500)
      if (i >= end) {
        controller.close()
        return
      }
      controller.enqueue(encoder.encode(chunks.slice(i, end).join('')))
      i = end
    },
  })
}

/** File systems cap names near 255 bytes; tags and filters beyond this are in the file, not its name. */
const MAX_SUBJECT = 80

/** `trendlens-growth-tiktokrefugee-20250113T0000-20250115T0000-Asia_Shanghai.csv` */
export function filename(dataset: string, subject: string[], range: TimeRange, zone: string): string {
  const parts = ['trendlens', dataset, ...(subject.length > 0 ? [subject.join('+').slice(0, MAX_SUBJECT)] : [])]
  parts.push(fileStamp(range.from, zone), fileStamp(range.to, zone), zone.replaceAll('/', '_'))
  return `${parts.join('-')}.csv`
}

function setDownloadHeaders(c: Context<AppEnv>, name: string): void {
  // The plain filename keeps to safe ASCII; filename* carries the exact UTF-8 name (Chinese tags) for browsers.
  const ascii = name.replace(/[^A-Za-z0-9._+-]+/g, '_')
  c.header('Content-Type', 'text/csv; charset=utf-8')
  const encoded = encodeURIComponent(name).replace(
    /['()*!]/g,
    (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`,
  )
  c.header('Content-Disposition', `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`)
  c.header('Cache-Control', 'no-store')
}

/** The node-server bindings of a request served over HTTP; absent under app.request(). */
interface NodeBindings {
  incoming?: { socket?: Socket }
}

function requestSocket(c: Context<AppEnv>): Socket | undefined {
  return (c.env as NodeBindings | undefined)?.incoming?.socket
}

/** Export slots are shared fairly between client addresses; in-process requests count as one client. */
function clientAddress(c: Context<AppEnv>): string {
  return requestSocket(c)?.remoteAddress ?? 'in-process'
}
