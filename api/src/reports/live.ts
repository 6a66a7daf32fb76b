import type { IngestSnapshot } from '@trendlens/ingest'
import type { Services } from '../context.ts'
import { localIso, MINUTE_MS } from '../time.ts'

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
  /** The minute in progress, still filling. */
  current: LiveMinute
  ingest: IngestSnapshot
}

export async function liveTick(services: Services, zone: string, now: number, signal: AbortSignal): Promise<LiveTick> {
  const currentStart = Math.floor(now / MINUTE_MS) * MINUTE_MS
  const completeStart = currentStart - MINUTE_MS
  const rows = await services.deps.store.query(
    'api_live_minutes',
    { from: completeStart, to: currentStart + MINUTE_MS },
    { signal },
  )
  const minute = (ts: number): LiveMinute => {
    const row = rows.find((r) => r.ts === ts)
    return {
      t: localIso(ts, zone),
      ts,
      views: row?.views ?? 0,
      discussions: row?.discussions ?? 0,
      activeUsers: row?.active_users ?? 0,
      events: row?.total_events ?? 0,
    }
  }
  return {
    at: localIso(now, zone),
    atTs: now,
    minute: minute(completeStart),
    current: minute(currentStart),
    ingest: services.deps.metrics.snapshot(now),
  }
}
