import { describe, expect, it } from 'vitest'
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
})
