import type { IngestSnapshot, LiveMinute, LiveTick } from '@trendlens/contract'
import { localIso, MINUTE_MS } from '@trendlens/contract'
import type { QueryRow } from '@trendlens/sql'
import type { AppDeps } from '../context.ts'

type MinuteRow = QueryRow<'api_live_minutes'>

export interface LiveMinutes {
  /** When the figures were read (epoch ms). */
  now: number
  rows: readonly MinuteRow[]
  ingest: IngestSnapshot
}

/** The newest complete minute and the one in progress, read once; any number of zones format the same rows. */
export async function loadLiveMinutes(deps: AppDeps, now: number, signal: AbortSignal): Promise<LiveMinutes> {
  const currentStart = Math.floor(now / MINUTE_MS) * MINUTE_MS
  const completeStart = currentStart - MINUTE_MS
  const rows = await deps.store.query(
    'api_live_minutes',
    { from: completeStart, to: currentStart + MINUTE_MS },
    { signal },
  )
  return { now, rows, ingest: deps.metrics.snapshot(now) }
}

export function liveTick(minutes: LiveMinutes, zone: string): LiveTick {
  const { now, rows } = minutes
  const currentStart = Math.floor(now / MINUTE_MS) * MINUTE_MS
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
    minute: minute(currentStart - MINUTE_MS),
    current: minute(currentStart),
    ingest: minutes.ingest,
  }
}
