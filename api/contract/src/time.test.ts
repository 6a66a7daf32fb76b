import { describe, expect, it } from 'vitest'
import {
  alignRange,
  bucketStart,
  bucketStarts,
  chooseGranularity,
  localIso,
  nextBucket,
  parseDuration,
  parseInstant,
  wallTimeToInstant,
  zoneOffsetMs,
} from './time.ts'

const HOUR = 3_600_000
const NOW = Date.parse('2025-01-14T11:21:30.250Z')

describe('local time', () => {
  it('prints local ISO with the offset of each zone, including half-hour and 45-minute ones', () => {
    const t = Date.parse('2025-01-13T19:00:00Z')
    expect(localIso(t, 'Asia/Shanghai')).toBe('2025-01-14T03:00:00+08:00')
    expect(localIso(t, 'America/New_York')).toBe('2025-01-13T14:00:00-05:00')
    expect(localIso(t, 'Asia/Kolkata')).toBe('2025-01-14T00:30:00+05:30')
    expect(localIso(t, 'Asia/Kathmandu')).toBe('2025-01-14T00:45:00+05:45')
    expect(localIso(t, 'UTC')).toBe('2025-01-13T19:00:00+00:00')
    expect(localIso(t + 7, 'UTC')).toBe('2025-01-13T19:00:00.007+00:00')
  })

  it('follows New York across both DST changes of 2025', () => {
    expect(zoneOffsetMs(Date.parse('2025-03-09T06:59:59Z'), 'America/New_York')).toBe(-5 * HOUR)
    expect(zoneOffsetMs(Date.parse('2025-03-09T07:00:00Z'), 'America/New_York')).toBe(-4 * HOUR)
    expect(zoneOffsetMs(Date.parse('2025-11-02T05:59:59Z'), 'America/New_York')).toBe(-4 * HOUR)
    expect(zoneOffsetMs(Date.parse('2025-11-02T06:00:00Z'), 'America/New_York')).toBe(-5 * HOUR)
  })

  it('maps wall times to instants: skipped times go past the jump, repeated ones to the first', () => {
    const zone = 'America/New_York'
    expect(wallTimeToInstant(Date.UTC(2025, 2, 9, 2, 30), zone)).toBe(Date.parse('2025-03-09T03:30:00-04:00'))
    expect(wallTimeToInstant(Date.UTC(2025, 10, 2, 1, 30), zone)).toBe(Date.parse('2025-11-02T01:30:00-04:00'))
    expect(wallTimeToInstant(Date.UTC(2025, 0, 14), 'Asia/Kathmandu')).toBe(Date.parse('2025-01-14T00:00:00+05:45'))
  })
})

describe('buckets', () => {
  it('gives a 23-hour and a 25-hour day in New York', () => {
    const zone = 'America/New_York'
    const spring = bucketStart(Date.parse('2025-03-09T12:00:00-04:00'), 'day', zone)
    expect(spring).toBe(Date.parse('2025-03-09T00:00:00-05:00'))
    expect(nextBucket(spring, 'day', zone) - spring).toBe(23 * HOUR)
    const fall = bucketStart(Date.parse('2025-11-02T12:00:00-05:00'), 'day', zone)
    expect(nextBucket(fall, 'day', zone) - fall).toBe(25 * HOUR)
  })

  it('lists both 01:00 hours of the fall-back night and skips 02:00 of the spring-forward one', () => {
    const zone = 'America/New_York'
    const fall = bucketStarts(
      { from: Date.parse('2025-11-02T00:00:00-04:00'), to: Date.parse('2025-11-02T03:00:00-05:00') },
      'hour',
      zone,
      100,
    )
    expect(fall?.map((t) => localIso(t, zone))).toEqual([
      '2025-11-02T00:00:00-04:00',
      '2025-11-02T01:00:00-04:00',
      '2025-11-02T01:00:00-05:00',
      '2025-11-02T02:00:00-05:00',
    ])
    const spring = bucketStarts(
      { from: Date.parse('2025-03-09T00:00:00-05:00'), to: Date.parse('2025-03-09T04:00:00-04:00') },
      'hour',
      zone,
      100,
    )
    expect(spring?.map((t) => localIso(t, zone))).toEqual([
      '2025-03-09T00:00:00-05:00',
      '2025-03-09T01:00:00-05:00',
      '2025-03-09T03:00:00-04:00',
    ])
  })

  it('starts hours at :30 in Kolkata and :45 past the UTC hour in Kathmandu', () => {
    const t = Date.parse('2025-01-14T05:10:00Z')
    expect(localIso(bucketStart(t, 'hour', 'Asia/Kolkata'), 'Asia/Kolkata')).toBe('2025-01-14T10:00:00+05:30')
    expect(bucketStart(t, 'hour', 'Asia/Kolkata')).toBe(Date.parse('2025-01-14T04:30:00Z'))
    expect(bucketStart(t, 'hour', 'Asia/Kathmandu')).toBe(Date.parse('2025-01-14T04:15:00Z'))
    expect(bucketStart(t, 'day', 'Asia/Kathmandu')).toBe(Date.parse('2025-01-13T18:15:00Z'))
  })

  it('widens a range to whole buckets and refuses more than the limit', () => {
    const range = { from: Date.parse('2025-01-14T03:20:00+08:00'), to: Date.parse('2025-01-14T05:00:00+08:00') }
    expect(alignRange(range, 'hour', 'Asia/Shanghai')).toEqual({
      from: Date.parse('2025-01-14T03:00:00+08:00'),
      to: Date.parse('2025-01-14T05:00:00+08:00'),
    })
    expect(bucketStarts(range, 'minute', 'UTC', 10)).toBeNull()
    expect(chooseGranularity({ from: 0, to: 2 * HOUR })).toBe('minute')
    expect(chooseGranularity({ from: 0, to: 24 * HOUR })).toBe('15m')
    expect(chooseGranularity({ from: 0, to: 7 * 24 * HOUR })).toBe('hour')
    expect(chooseGranularity({ from: 0, to: 90 * 24 * HOUR })).toBe('day')
  })
})

describe('parseInstant', () => {
  it('reads ISO with an offset, a date or a local time in the zone, and relative times', () => {
    expect(parseInstant('2025-01-14T03:00:00+08:00', 'UTC', NOW)).toBe(Date.parse('2025-01-13T19:00:00Z'))
    expect(parseInstant('2025-01-14T03:00:00Z', 'Asia/Shanghai', NOW)).toBe(Date.parse('2025-01-14T03:00:00Z'))
    expect(parseInstant('2025-01-14', 'Asia/Kathmandu', NOW)).toBe(Date.parse('2025-01-14T00:00:00+05:45'))
    expect(parseInstant('2025-01-14T03:00', 'Asia/Kolkata', NOW)).toBe(Date.parse('2025-01-14T03:00:00+05:30'))
    expect(parseInstant('now', 'UTC', NOW)).toBe(NOW)
    expect(parseInstant('-90m', 'UTC', NOW)).toBe(NOW - 90 * 60_000)
    expect(parseInstant('-24h', 'UTC', NOW)).toBe(NOW - 24 * HOUR)
    expect(parseInstant('-7d', 'UTC', NOW)).toBe(NOW - 7 * 24 * HOUR)
  })

  it('steps the local calendar for days, so -1d across the spring change is 23 hours', () => {
    const now = Date.parse('2025-03-09T12:00:00-04:00')
    expect(parseInstant('-1d', 'America/New_York', now)).toBe(Date.parse('2025-03-08T12:00:00-05:00'))
  })

  it('refuses impossible dates and unknown forms', () => {
    for (const text of ['2025-02-30', '2025-13-01', '2025-01-14T24:00', 'yesterday', '-5y', '1736744400000', '']) {
      expect(parseInstant(text, 'UTC', NOW), text).toBeNull()
    }
    expect(parseDuration('2h')).toBe(2 * HOUR)
    expect(parseDuration('0h')).toBeNull()
    expect(parseDuration('2x')).toBeNull()
  })
})
