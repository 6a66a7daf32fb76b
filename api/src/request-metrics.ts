import type { IngestSnapshot } from '@trendlens/contract'
import { formatLabels as labels } from './process-metrics.ts'

/** Latency buckets in seconds: fine below 100 ms, where dashboard requests should land. */
const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]

interface Series {
  method: string
  route: string
  status: string
  count: number
  sum: number
  buckets: number[]
}

/** API request counts and latency by route and status, rendered in the Prometheus text format. */
export class RequestMetrics {
  private readonly series = new Map<string, Series>()

  observe(method: string, route: string, status: number, seconds: number): void {
    const key = `${method} ${route} ${status}`
    let series = this.series.get(key)
    if (!series) {
      series = { method, route, status: String(status), count: 0, sum: 0, buckets: LATENCY_BUCKETS.map(() => 0) }
      this.series.set(key, series)
    }
    series.count++
    series.sum += seconds
    for (let i = 0; i < LATENCY_BUCKETS.length; i++) {
      if (seconds <= (LATENCY_BUCKETS[i] as number)) series.buckets[i] = (series.buckets[i] as number) + 1
    }
  }

  /** Request counts and latency, exports in progress and live streams, in the Prometheus text format. */
  render(exports: { active: number; stalled: number }, live: { clients: number; queries: number }): string {
    const out: string[] = []
    const metric = (name: string, type: string, help: string) =>
      out.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`)

    metric('trendlens_http_requests_total', 'counter', 'API requests by method, route and status.')
    for (const s of this.series.values()) {
      out.push(
        `trendlens_http_requests_total${labels({ method: s.method, route: s.route, status: s.status })} ${s.count}`,
      )
    }
    metric('trendlens_http_request_duration_seconds', 'histogram', 'Time to the response headers, by route and status.')
    for (const s of this.series.values()) {
      const base = { method: s.method, route: s.route, status: s.status }
      LATENCY_BUCKETS.forEach((le, i) => {
        out.push(`trendlens_http_request_duration_seconds_bucket${labels({ ...base, le: String(le) })} ${s.buckets[i]}`)
      })
      out.push(`trendlens_http_request_duration_seconds_bucket${labels({ ...base, le: '+Inf' })} ${s.count}`)
      out.push(`trendlens_http_request_duration_seconds_sum${labels(base)} ${s.sum}`)
      out.push(`trendlens_http_request_duration_seconds_count${labels(base)} ${s.count}`)
    }
    metric('trendlens_exports_in_progress', 'gauge', 'CSV exports currently streaming.')
    out.push(`trendlens_exports_in_progress ${exports.active}`)
    metric('trendlens_exports_stalled_total', 'counter', 'Downloads cut because their reader stopped taking data.')
    out.push(`trendlens_exports_stalled_total ${exports.stalled}`)
    metric('trendlens_live_clients', 'gauge', 'Open live streams.')
    out.push(`trendlens_live_clients ${live.clients}`)
    metric('trendlens_live_queries_total', 'counter', 'Store queries run for live ticks (one per tick, shared).')
    out.push(`trendlens_live_queries_total ${live.queries}`)
    return `${out.join('\n')}\n`
  }
}

/** The ingest's counters and gauges, served by every role that runs or watches an ingest. */
export function renderIngestMetrics(ingest: IngestSnapshot): string {
  const out: string[] = []
  const metric = (name: string, type: string, help: string) =>
    out.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`)
  const counter = (name: string, help: string, value: number) => {
    metric(name, 'counter', help)
    out.push(`${name}${labels({ mode: ingest.mode })} ${value}`)
  }
  counter('trendlens_ingest_received_events_total', 'Events received by the ingest.', ingest.received)
  counter('trendlens_ingest_stored_events_total', 'Events stored (acknowledged by the store).', ingest.stored)
  counter('trendlens_ingest_batches_total', 'Batches inserted.', ingest.batches)
  counter(
    'trendlens_ingest_dead_lettered_messages_total',
    'Messages sent to the dead-letter topic.',
    ingest.deadLettered,
  )
  counter(
    'trendlens_ingest_store_retries_total',
    'Inserts retried while the store was unavailable.',
    ingest.storeRetries,
  )
  metric('trendlens_ingest_rejected_events_total', 'counter', 'Events refused by the contract, by reason.')
  for (const [reason, count] of Object.entries(ingest.rejectedByReason)) {
    out.push(`trendlens_ingest_rejected_events_total${labels({ mode: ingest.mode, reason })} ${count}`)
  }
  metric('trendlens_ingest_lag_messages', 'gauge', 'Consumer lag in messages, by topic/partition.')
  for (const [partition, lag] of Object.entries(ingest.lag)) {
    out.push(`trendlens_ingest_lag_messages${labels({ partition })} ${lag}`)
  }
  metric('trendlens_ingest_total_lag_messages', 'gauge', 'Consumer lag in messages, summed over partitions.')
  out.push(`trendlens_ingest_total_lag_messages ${ingest.totalLag}`)
  metric('trendlens_ingest_last_insert_duration_seconds', 'gauge', 'Duration of the newest insert.')
  out.push(
    `trendlens_ingest_last_insert_duration_seconds ${ingest.lastInsertMs === null ? 'NaN' : ingest.lastInsertMs / 1000}`,
  )
  metric('trendlens_ingest_paused', 'gauge', '1 while the consumer is paused for backpressure.')
  out.push(`trendlens_ingest_paused ${ingest.paused ? 1 : 0}`)
  metric('trendlens_ingest_state', 'gauge', '1 for the ingest state now, with the reason code when it is not running.')
  out.push(`trendlens_ingest_state${labels({ state: ingest.state, reason: ingest.stateReason?.code ?? '' })} 1`)
  return `${out.join('\n')}\n`
}
