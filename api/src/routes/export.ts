/**
 * CSV downloads of every report and of raw events. Reports are small and written at once; raw events are the
 * engine's own CSV output, streamed block by block, so memory stays flat however many rows the range holds.
 */
import type { Socket } from 'node:net'
import {
  EXPORT_DATASETS,
  type ExportDataset,
  eventsExportQuery,
  fileStamp,
  growthQuery,
  heatmapQuery,
  overviewQuery,
  splitQuery,
  type TimeRange,
  topQuery,
  trendingQuery,
} from '@trendlens/contract'
import type { Context } from 'hono'
import { Hono } from 'hono'
import type { AppEnv, Services } from '../context.ts'
import { csvLine } from '../csv.ts'
import { ApiError, invalidParameter } from '../errors.ts'
import { combinedTags, parseQuery, splitCsvOptions } from '../params.ts'
import { growthTable, loadGrowth, loadTop, loadTrending, topTable, trendingTable } from '../reports/hashtags.ts'
import { loadOverview, overviewTable } from '../reports/overview.ts'
import { heatmapTable, loadHeatmap, loadSplit, splitTable } from '../reports/regions.ts'
import type { Table } from '../reports/table.ts'
import { requestedRange, resolveZone } from '../scope.ts'

/** One chunk is read from the engine while the previous one is being sent, so the engine and the socket work at once. */
const PREFETCH = new CountQueuingStrategy({ highWaterMark: 2 })

/** The most handed to the socket at once: a reader's progress shows every 64 KiB. */
const PIECE_BYTES = 64 * 1024

export const EVENTS_HEADER = ['t', 'ts', 'id', 'type', 'user_id', 'note_id', 'hashtags', 'region', 'country', 'lang']

const encoder = new TextEncoder()
/** U+FEFF in UTF-8: the byte-order mark `bom=1` puts first. */
const UTF8_BOM = '\uFEFF'

export function exportRoutes(services: Services): Hono<AppEnv> {
  return new Hono<AppEnv>()
    .get('/events/count', async (c) => {
      // What a raw export of these parameters would hold, asked before starting it (the UI shows it first).
      const { rest } = splitCsvOptions(c.req.queries())
      const { rows } = await countEvents(services, c, rest)
      return c.json({ rows, limit: services.deps.api.exportMaxRows })
    })
    .get('/:file', async (c) => {
      const file = c.req.param('file')
      const dataset = file.endsWith('.csv') ? file.slice(0, -4) : file
      if (!(EXPORT_DATASETS as readonly string[]).includes(dataset)) {
        throw invalidParameter(
          'dataset',
          `dataset: unknown export "${file.slice(0, 40)}"; one of ${EXPORT_DATASETS.map((d) => `${d}.csv`).join(', ')}`,
        )
      }
      const { options, rest: queries } = splitCsvOptions(c.req.queries())
      const prefix = options.bom === '1' ? UTF8_BOM : ''
      const release = services.exports.acquire(clientAddress(c))
      try {
        if (dataset === 'events') return await eventsExport(services, c, queries, prefix, release)
        const { table, range, zone, subject } = await reportTable(
          services,
          dataset as Exclude<ExportDataset, 'events'>,
          queries,
        )
        const body = [prefix + csvLine(table.header), ...table.rows.map(csvLine)]
        setDownloadHeaders(c, filename(dataset, subject, range, zone))
        release()
        return c.body(textStream(body))
      } catch (error) {
        release()
        throw error
      }
    })
}

async function reportTable(
  services: Services,
  dataset: Exclude<ExportDataset, 'events'>,
  queries: Record<string, string[]>,
): Promise<{ table: Table; range: TimeRange; zone: string; subject: string[] }> {
  const now = Date.now()
  switch (dataset) {
    case 'growth': {
      const query = parseQuery(growthQuery, queries)
      const report = await loadGrowth(services, query, now)
      return { table: growthTable(report), range: toRange(report.range), zone: report.tz, subject: combinedTags(query) }
    }
    case 'top': {
      const report = await loadTop(services, parseQuery(topQuery, queries), now)
      return { table: topTable(report), range: toRange(report.range), zone: report.tz, subject: [report.by] }
    }
    case 'trending': {
      const report = await loadTrending(services, parseQuery(trendingQuery, queries), now)
      const range = { from: report.windowTs.baselineFrom, to: report.windowTs.recentTo }
      return { table: trendingTable(report), range, zone: report.tz, subject: [report.by] }
    }
    case 'regions': {
      const report = await loadSplit(services, parseQuery(splitQuery, queries), now)
      const subject = [report.level, report.metric]
      return { table: splitTable(report), range: toRange(report.range), zone: report.tz, subject }
    }
    case 'heatmap': {
      const report = await loadHeatmap(services, parseQuery(heatmapQuery, queries), now)
      const subject = [...report.regions, report.metric]
      return { table: heatmapTable(report), range: toRange(report.range), zone: report.tz, subject }
    }
    case 'overview': {
      const report = await loadOverview(services, parseQuery(overviewQuery, queries), now)
      return { table: overviewTable(report), range: toRange(report.range), zone: report.tz, subject: [] }
    }
  }
}

/** The rows a raw export of these parameters holds, with the range, zone and filters it was read with. */
async function countEvents(services: Services, c: Context<AppEnv>, queries: Record<string, string[]>) {
  const query = parseQuery(eventsExportQuery, queries)
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
  queries: Record<string, string[]>,
  prefix: string,
  release: () => void,
) {
  const { store, api, log } = services.deps
  const { rows, zone, range, tags, filters } = await countEvents(services, c, queries)
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
            const next = await chunks.next()
            reading = false
            lastPull = Date.now()
            if (next.done) {
              finish()
              controller.close()
              return
            }
            block = next.value
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
