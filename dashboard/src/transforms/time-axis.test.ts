import { bucketStarts, type Granularity, localIso, nextBucket } from '@trendlens/contract'
import { describe, expect, it } from 'vitest'
import { CLOCK_CHANGES, inEachMachineZone, ZONES_UNDER_TEST } from '../test-support.ts'
import { bucketIndex, labelStepMinutes, timeAxis } from './time-axis.ts'

const hourly = (startIso: string, hours: number, tzOffset: string) => {
  const start = Date.parse(startIso)
  return Array.from({ length: hours }, (_, i) => {
    const ts = start + i * 3_600_000
    return {
      ts,
      t: `${new Date(ts + Number(tzOffset) * 3_600_000).toISOString().slice(0, 19)}${tzOffset === '-5' ? '-05:00' : '+08:00'}`,
    }
  })
}

/** The buckets the API answers with: starts from the contract's bucketing, `t` their local time with its offset. */
const bucketsOf = (fromIso: string, toIso: string, granularity: Granularity, zone: string) =>
  (bucketStarts({ from: Date.parse(fromIso), to: Date.parse(toIso) }, granularity, zone, 2000) ?? []).map((ts) => ({
    t: localIso(ts, zone),
    ts,
  }))

describe('time axis', () => {
  it('picks label steps that keep about a dozen labels', () => {
    expect(labelStepMinutes(24, 'hour')).toBe(120)
    expect(labelStepMinutes(264, 'hour')).toBe(1440)
    expect(labelStepMinutes(60, 'minute')).toBe(5)
    expect(labelStepMinutes(11, 'day')).toBe(1440)
  })

  it('labels from the local wall time in the bucket string', () => {
    const buckets = hourly('2025-01-13T00:00:00Z', 48, '-5')
    const axis = timeAxis(buckets, 'hour', 'America/New_York', 'en')
    expect(axis.categories[0]).toBe('2025-01-12T19:00:00-05:00')
    expect(axis.labels[5]).toBe('Jan 13')
    expect(axis.labels[6]).toBe('01:00')
    expect(axis.tooltipLabels[0]).toBe('Jan 12, 2025, 19:00–20:00')
    expect(axis.endLabels[0]).toBe('Jan 12, 2025, 20:00')
    expect(axis.ends[0]).toBe(axis.ts[1])
  })

  it('finds the bucket holding an instant', () => {
    const axis = timeAxis(hourly('2025-01-13T00:00:00Z', 3, '8'), 'hour', 'Asia/Shanghai', 'en')
    const start = Date.parse('2025-01-13T00:00:00Z')
    expect(bucketIndex(axis, start - 1, 'hour')).toBe(-1)
    expect(bucketIndex(axis, start, 'hour')).toBe(0)
    expect(bucketIndex(axis, start + 90 * 60_000, 'hour')).toBe(1)
    expect(bucketIndex(axis, start + 3 * 3_600_000 - 1, 'hour')).toBe(2)
    expect(bucketIndex(axis, start + 3 * 3_600_000, 'hour')).toBe(-1)
  })

  it('ends a day at the next local midnight, 23 or 25 hours later across DST', () => {
    const march = timeAxis(
      bucketsOf('2025-03-08T00:00:00-05:00', '2025-03-11T00:00:00-04:00', 'day', 'America/New_York'),
      'day',
      'America/New_York',
      'en',
    )
    expect(march.labels).toEqual(['Mar 8', 'Mar 9', 'Mar 10'])
    expect(march.tooltipLabels).toEqual(['Mar 8, 2025', 'Mar 9, 2025', 'Mar 10, 2025'])
    expect(march.ends.map((end, i) => (end - (march.ts[i] as number)) / 3_600_000)).toEqual([24, 23, 24])
    expect(march.endLabels[2]).toBe('Mar 11, 2025, 00:00')
    const november = timeAxis(
      bucketsOf('2025-11-02T00:00:00-04:00', '2025-11-03T00:00:00-05:00', 'day', 'America/New_York'),
      'day',
      'America/New_York',
      'zh-CN',
    )
    expect(november.ends[0]).toBe(Date.parse('2025-11-03T00:00:00-05:00'))
    expect(november.endLabels[0]).toBe('2025年11月3日 00:00')
    // Lord Howe's 30-minute change: 6 April lasts 24.5 hours.
    const lordHowe = timeAxis(
      bucketsOf('2025-04-06T00:00:00+11:00', '2025-04-07T00:00:00+10:30', 'day', 'Australia/Lord_Howe'),
      'day',
      'Australia/Lord_Howe',
      'en',
    )
    expect(lordHowe.ends).toEqual([Date.parse('2025-04-07T00:00:00+10:30')])
    expect(lordHowe.labels).toEqual(['Apr 6'])
  })

  it('labels local hours and names each bucket in half-hour, 45-minute and 30-minute DST zones', () => {
    const kathmandu = timeAxis(
      bucketsOf('2025-01-14T22:00:00+05:45', '2025-01-15T02:00:00+05:45', 'hour', 'Asia/Kathmandu'),
      'hour',
      'Asia/Kathmandu',
      'en',
    )
    expect(kathmandu.labels).toEqual(['22:00', '23:00', 'Jan 15', '01:00'])
    expect(kathmandu.tooltipLabels[1]).toBe('Jan 14, 2025, 23:00–24:00')
    const kolkata = timeAxis(
      bucketsOf('2025-01-14T23:00:00+05:30', '2025-01-15T00:30:00+05:30', '15m', 'Asia/Kolkata'),
      '15m',
      'Asia/Kolkata',
      'zh-CN',
      'end',
    )
    expect(kolkata.labels).toEqual(['23:15', '23:30', '23:45', '1月15日', '00:15', '00:30'])
    expect(kolkata.endLabels[3]).toBe('2025年1月15日 00:00')
    // Around Lord Howe's fall-back the clocks show 01:30–02:00 twice; the categories stay distinct by their offset.
    const { lordHoweFall } = CLOCK_CHANGES
    const buckets = bucketsOf(
      new Date(lordHoweFall - 2 * 3_600_000).toISOString(),
      new Date(lordHoweFall + 2 * 3_600_000).toISOString(),
      '15m',
      'Australia/Lord_Howe',
    )
    const lordHowe = timeAxis(buckets, '15m', 'Australia/Lord_Howe', 'en')
    expect(new Set(lordHowe.categories).size).toBe(buckets.length)
    expect(lordHowe.labels.slice(6, 12)).toEqual(['01:30', '01:45', '01:30', '01:45', '02:00', '02:15'])
    expect(lordHowe.tooltipLabels[7]).toBe('Apr 6, 2025, 01:45–01:30')
  })

  it('gives the same axis whatever the machine zone', () => {
    for (const zone of ZONES_UNDER_TEST) {
      const buckets = bucketsOf('2025-03-01T00:00:00Z', '2025-11-15T00:00:00Z', 'day', zone)
      const hours = bucketsOf('2025-11-01T00:00:00Z', '2025-11-04T00:00:00Z', 'hour', zone)
      const expected = [timeAxis(buckets, 'day', zone, 'en'), timeAxis(hours, 'hour', zone, 'zh-CN', 'end')]
      inEachMachineZone(() => {
        expect([timeAxis(buckets, 'day', zone, 'en'), timeAxis(hours, 'hour', zone, 'zh-CN', 'end')]).toEqual(expected)
      })
    }
  })

  it('ends the last day of an axis at the next local midnight on every day of the year, whatever the machine zone', () => {
    const wrong: string[] = []
    inEachMachineZone((machineZone) => {
      for (const zone of ZONES_UNDER_TEST) {
        for (const day of bucketsOf('2025-01-01T00:00:00Z', '2026-01-01T00:00:00Z', 'day', zone)) {
          const end = timeAxis([day], 'day', zone, 'en').ends[0] as number
          const expected = nextBucket(day.ts, 'day', zone)
          if (end !== expected)
            wrong.push(`${day.t} ends ${localIso(end, zone)}, not ${localIso(expected, zone)} (${machineZone})`)
        }
      }
    })
    expect(wrong).toEqual([])
  })
})
