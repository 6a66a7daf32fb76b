import { describe, expect, it } from 'vitest'
import { normaliseTag, parseTimestamp } from './event.ts'

describe('parseTimestamp', () => {
  it.each([
    ['2025-01-14T19:21:00+08:00', '2025-01-14T11:21:00.000Z'],
    ['2025-01-14T19:21:00.123456Z', '2025-01-14T19:21:00.123Z'],
    ['2025-03-09T01:30:00-05:00', '2025-03-09T06:30:00.000Z'],
    ['2025-01-14T12:00:00+05:45', '2025-01-14T06:15:00.000Z'],
    ['2025-01-14 12:00:00+05:30', '2025-01-14T06:30:00.000Z'],
  ])('reads %s as UTC', (input, utc) => {
    expect(new Date(parseTimestamp(input) as number).toISOString()).toBe(utc)
  })
})

describe('normaliseTag', () => {
  it('strips #, applies NFKC, lower-cases and trims', () => {
    expect(normaliseTag('  ##ＴｉｋＴｏｋ  ')).toBe('tiktok')
    expect(normaliseTag('小红书')).toBe('小红书')
  })
})
