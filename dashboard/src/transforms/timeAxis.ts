/**
 * The time axis shared by the series charts: one category per bucket, keyed by the API's local `t` string (unique
 * even across a DST fall-back, since it carries the offset), labelled from that same local wall time so the hours
 * are the chosen zone's, never the browser's.
 */
import type { Granularity } from '../api.ts'
import { formatDay, formatInstant, type Lang } from '../i18n.ts'
import { toWallString } from '../time.ts'

export interface Bucket {
  t: string
  ts: number
}

export interface TimeAxis {
  categories: string[]
  ts: number[]
  /** Short label per bucket: the date at local midnight (or for daily buckets), else `HH:mm`. */
  labels: string[]
  /** Which buckets carry a label, so labels fall on round local times. */
  labelled: boolean[]
  /** Full label for tooltips and tables. */
  tooltipLabels: string[]
}

export const BUCKET_MINUTES: Record<Granularity, number> = { minute: 1, '15m': 15, hour: 60, day: 1440 }
/** About this many labels fit a laptop-width axis without crowding. */
const TARGET_LABELS = 12
const STEPS_MINUTES = [1, 5, 10, 15, 30, 60, 120, 180, 360, 720, 1440, 2880, 7 * 1440, 14 * 1440, 28 * 1440]

interface Wall {
  date: string
  minuteOfDay: number
  dayNumber: number
}

function wallOf(bucket: Bucket, timeZone: string): Wall {
  const match =
    /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(bucket.t) ??
    /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(toWallString(bucket.ts, timeZone))
  const [, y, mo, d, h, mi] = match ?? ['', '1970', '01', '01', '00', '00']
  return {
    date: `${y}-${mo}-${d}`,
    minuteOfDay: Number(h) * 60 + Number(mi),
    dayNumber: Date.UTC(Number(y), Number(mo) - 1, Number(d)) / 86_400_000,
  }
}

/** The label step in minutes: the smallest round step that keeps the label count near TARGET_LABELS. */
export function labelStepMinutes(buckets: number, granularity: Granularity): number {
  const size = BUCKET_MINUTES[granularity]
  for (const step of STEPS_MINUTES) {
    if (step < size) continue
    if ((buckets * size) / step <= TARGET_LABELS) return step
  }
  return STEPS_MINUTES[STEPS_MINUTES.length - 1] as number
}

export function timeAxis(buckets: readonly Bucket[], granularity: Granularity, timeZone: string, lang: Lang): TimeAxis {
  const step = labelStepMinutes(buckets.length, granularity)
  const categories: string[] = []
  const ts: number[] = []
  const labels: string[] = []
  const labelled: boolean[] = []
  const tooltipLabels: string[] = []
  for (const bucket of buckets) {
    const wall = wallOf(bucket, timeZone)
    categories.push(bucket.t)
    ts.push(bucket.ts)
    const atMidnight = wall.minuteOfDay === 0
    labels.push(
      granularity === 'day' || atMidnight
        ? formatDay(wall.date, lang)
        : `${String(Math.floor(wall.minuteOfDay / 60)).padStart(2, '0')}:${String(wall.minuteOfDay % 60).padStart(2, '0')}`,
    )
    labelled.push(
      step < 1440 ? wall.minuteOfDay % step === 0 : atMidnight && wall.dayNumber % Math.round(step / 1440) === 0,
    )
    tooltipLabels.push(
      granularity === 'day' ? formatDay(wall.date, lang) : formatInstant(bucket.ts, timeZone, lang, 'full'),
    )
  }
  return { categories, ts, labels, labelled, tooltipLabels }
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
