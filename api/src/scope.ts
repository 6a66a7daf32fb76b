/** Turns validated `from`/`to`/`tz`/`granularity` parameters into the exact ranges and buckets a query uses. */
import {
  alignRange,
  bucketStarts,
  chooseGranularity,
  DEFAULT_LOOKBACK_MS,
  type Granularity,
  INSTANT_FORMAT_HINT,
  localIso,
  MAX_POINTS,
  MAX_RANGE_MS,
  parseInstant,
  type RangeInfo,
  type TimeRange,
} from '@trendlens/contract'
import type { Services } from './context.ts'
import { invalidParameter } from './errors.ts'

export interface RangeQuery {
  from?: string | undefined
  to?: string | undefined
  tz?: string | undefined
}

export interface Scope {
  zone: string
  /** What the client asked for. */
  requested: TimeRange
  /** Widened to whole buckets: the range every figure in the answer covers. */
  range: TimeRange
}

export interface SeriesScope extends Scope {
  granularity: Granularity
  /** Start of every bucket in `range`, in order. */
  buckets: number[]
}

export async function resolveZone(services: Services, tz: string | undefined): Promise<string> {
  return services.zones.resolve(tz ?? services.deps.api.defaultTimeZone)
}

/** The requested [from, to): `to` defaults to now and `from` to one day before `to`. */
export function requestedRange(query: RangeQuery, zone: string, now: number): TimeRange {
  const to = query.to === undefined ? now : parseInstant(query.to, zone, now)
  if (to === null) throw invalidParameter('to', `to: not a valid date or time; ${INSTANT_FORMAT_HINT}`)
  const from = query.from === undefined ? to - DEFAULT_LOOKBACK_MS : parseInstant(query.from, zone, now)
  if (from === null) throw invalidParameter('from', `from: not a valid date or time; ${INSTANT_FORMAT_HINT}`)
  if (from >= to) {
    throw invalidParameter('from', `from (${localIso(from, zone)}) must be before to (${localIso(to, zone)})`)
  }
  if (to - from > MAX_RANGE_MS) {
    throw invalidParameter('from', `the range is longer than ${MAX_RANGE_MS / 86_400_000} days; choose a later from`)
  }
  return { from, to }
}

/** A range-only question (totals, rankings), answered from whole quarter hours of the 15-minute rollup. */
export async function quarterScope(services: Services, query: RangeQuery, now: number): Promise<Scope> {
  const zone = await resolveZone(services, query.tz)
  const requested = requestedRange(query, zone, now)
  return { zone, requested, range: alignRange(requested, '15m', zone) }
}

/** A series question: the granularity (given or chosen) and its buckets, refused past MAX_POINTS. */
export async function seriesScope(
  services: Services,
  query: RangeQuery & { granularity?: Granularity | undefined },
  now: number,
): Promise<SeriesScope> {
  const zone = await resolveZone(services, query.tz)
  const requested = requestedRange(query, zone, now)
  const granularity = query.granularity ?? chooseGranularity(requested)
  const range = alignRange(requested, granularity, zone)
  const buckets = bucketStarts(range, granularity, zone, MAX_POINTS)
  if (buckets === null) {
    throw query.granularity === undefined
      ? invalidParameter('from', `from: the range needs more than ${MAX_POINTS} points even by day; shorten it`)
      : invalidParameter(
          'granularity',
          `granularity ${granularity} over this range gives more than ${MAX_POINTS} points; ` +
            'choose a coarser granularity or a shorter range',
        )
  }
  return { zone, requested, range, granularity, buckets }
}

export function rangeInfo(range: TimeRange, zone: string): RangeInfo {
  return { from: localIso(range.from, zone), to: localIso(range.to, zone), fromTs: range.from, toTs: range.to }
}
