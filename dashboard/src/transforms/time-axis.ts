/**
 * The time axis shared by the series charts: one category per bucket, keyed by the API's local `t` string (unique
 * even across a DST fall-back, since it carries the offset), labelled from the bucket's wall time in the chosen zone
 * (a `TZDate`), never the browser's.
 */
import { TZDate } from '@date-fns/tz'
import { type Granularity, nextBucket } from '@trendlens/contract'
import { format } from 'date-fns'
import { formatInstant, formatInterval, formatMoment, type Lang } from '../i18n.ts'

export interface Bucket {
  t: string
  ts: number
}

export interface TimeAxis {
  categories: string[]
  ts: number[]
  /** Where each bucket ends (the next bucket's start): the instant a cumulative value is reached by. */
  ends: number[]
  /**
   * Short label per bucket, of its start or (`place: 'end'`, for cumulative values) its end: the date at local
   * midnight (or for daily buckets), else `HH:mm`.
   */
  labels: string[]
  /** Which buckets carry a label, so labels fall on round local times. */
  labelled: boolean[]
  /** The interval a bucket covers (`Jan 13, 2025, 14:00–15:00`), for tooltips and tables. */
  tooltipLabels: string[]
  /** The bucket's end with its date (`Jan 13, 2025, 15:00`): what a cumulative value is "by the end of". */
  endLabels: string[]
}

const BUCKET_MINUTES: Record<Granularity, number> = { minute: 1, '15m': 15, hour: 60, day: 1440 }
/** About this many labels fit a laptop-width axis without crowding. */
const TARGET_LABELS = 12
const STEPS_MINUTES = [1, 5, 10, 15, 30, 60, 120, 180, 360, 720, 1440, 2880, 7 * 1440, 14 * 1440, 28 * 1440]

/** The label step in minutes: the smallest round step that keeps the label count near TARGET_LABELS. */
export function labelStepMinutes(buckets: number, granularity: Granularity): number {
  const size = BUCKET_MINUTES[granularity]
  for (const step of STEPS_MINUTES) {
    if (step < size) continue
    if ((buckets * size) / step <= TARGET_LABELS) return step
  }
  return STEPS_MINUTES[STEPS_MINUTES.length - 1] as number
}

/** The end of a bucket starting at `start`: a day ends at the next local midnight (23 or 25 hours across DST). */
function bucketEnd(start: number, granularity: Granularity, timeZone: string): number {
  return granularity === 'day' ? nextBucket(start, 'day', timeZone) : start + BUCKET_MINUTES[granularity] * 60_000
}

/** Axes made lately, by everything they are made of: a panel and its chart ask for the same one. */
const recentAxes = new Map<string, TimeAxis>()
const RECENT_AXES = 8

/**
 * The axis of `buckets` in the zone and language. Labelling a bucket in a zone is costly (a few hundred buckets take
 * a noticeable part of the first view's time), so the same axis is made once and shared: callers only read it.
 */
export function timeAxis(
  buckets: readonly Bucket[],
  granularity: Granularity,
  timeZone: string,
  lang: Lang,
  place: 'start' | 'end' = 'start',
): TimeAxis {
  const key = [granularity, timeZone, lang, place, ...buckets.map((bucket) => `${bucket.ts}=${bucket.t}`)].join('|')
  const recent = recentAxes.get(key)
  if (recent) return recent
  const axis = makeTimeAxis(buckets, granularity, timeZone, lang, place)
  recentAxes.set(key, axis)
  if (recentAxes.size > RECENT_AXES) recentAxes.delete(recentAxes.keys().next().value as string)
  return axis
}

function makeTimeAxis(
  buckets: readonly Bucket[],
  granularity: Granularity,
  timeZone: string,
  lang: Lang,
  place: 'start' | 'end',
): TimeAxis {
  const step = labelStepMinutes(buckets.length, granularity)
  const categories: string[] = []
  const ts: number[] = []
  const ends: number[] = []
  const labels: string[] = []
  const labelled: boolean[] = []
  const tooltipLabels: string[] = []
  const endLabels: string[] = []
  for (const [index, bucket] of buckets.entries()) {
    const end = buckets[index + 1]?.ts ?? bucketEnd(bucket.ts, granularity, timeZone)
    const labelAt = place === 'end' && granularity !== 'day' ? end : bucket.ts
    const wall = new TZDate(labelAt, timeZone)
    const minuteOfDay = wall.getHours() * 60 + wall.getMinutes()
    categories.push(bucket.t)
    ts.push(bucket.ts)
    ends.push(end)
    endLabels.push(formatMoment(end, timeZone, lang))
    const atMidnight = minuteOfDay === 0
    labels.push(
      granularity === 'day' || atMidnight ? formatInstant(labelAt, timeZone, lang, 'date') : format(wall, 'HH:mm'),
    )
    // Multi-day steps count whole local days since 1970, so the labelled days do not shift as the range moves.
    const dayNumber = Date.UTC(wall.getFullYear(), wall.getMonth(), wall.getDate()) / 86_400_000
    labelled.push(step < 1440 ? minuteOfDay % step === 0 : atMidnight && dayNumber % Math.round(step / 1440) === 0)
    tooltipLabels.push(formatInterval(bucket.ts, end, timeZone, lang, granularity === 'day'))
  }
  return { categories, ts, ends, labels, labelled, tooltipLabels, endLabels }
}

/** The bucket holding instant `at`, or -1 when it falls outside the axis. */
export function bucketIndex(axis: Pick<TimeAxis, 'ts'>, at: number, granularity: Granularity): number {
  const { ts } = axis
  const first = ts[0]
  const last = ts[ts.length - 1]
  if (first === undefined || last === undefined || at < first) return -1
  if (at >= last + BUCKET_MINUTES[granularity] * 60_000) return -1
  let lo = 0
  let hi = ts.length - 1
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2)
    if ((ts[mid] as number) <= at) lo = mid
    else hi = mid - 1
  }
  return lo
}
