import { zoneOffsetMs } from '@trendlens/contract'
import { describe, expect, it } from 'vitest'
import { canonicalTimeZone, resolveBound, toIsoInZone, toWallString, wallTimeToInstant } from './time.ts'

describe('time zones', () => {
  it('accepts IANA names through Intl and refuses the rest', () => {
    expect(canonicalTimeZone('Asia/Shanghai')).toBe('Asia/Shanghai')
    expect(canonicalTimeZone('utc')).toBe('UTC')
    expect(canonicalTimeZone(' America/New_York ')).toBe('America/New_York')
    expect(canonicalTimeZone('asia/kathmandu')).toBe('Asia/Kathmandu')
    expect(canonicalTimeZone('america/new_york')).toBe('America/New_York')
    expect(canonicalTimeZone('Mars/Olympus')).toBeUndefined()
    expect(canonicalTimeZone('+08:00')).toBeUndefined()
    expect(canonicalTimeZone('')).toBeUndefined()
    expect(canonicalTimeZone('<script>')).toBeUndefined()
  })

  it('knows offsets with DST, half hours and 45 minutes', () => {
    const january = Date.parse('2025-01-14T00:00:00Z')
    const july = Date.parse('2025-07-14T00:00:00Z')
    expect(zoneOffsetMs(january, 'Asia/Shanghai') / 60_000).toBe(480)
    expect(zoneOffsetMs(january, 'America/New_York') / 60_000).toBe(-300)
    expect(zoneOffsetMs(july, 'America/New_York') / 60_000).toBe(-240)
    expect(zoneOffsetMs(january, 'Asia/Kolkata') / 60_000).toBe(330)
    expect(zoneOffsetMs(january, 'Asia/Kathmandu') / 60_000).toBe(345)
    expect(zoneOffsetMs(january, 'Australia/Lord_Howe') / 60_000).toBe(660)
  })
})

describe('wall time ⇄ instant', () => {
  it('reads a wall time in the chosen zone, whatever the machine zone', () => {
    expect(wallTimeToInstant('2025-01-14T03:00', 'Asia/Shanghai')).toBe(Date.parse('2025-01-14T03:00:00+08:00'))
    expect(wallTimeToInstant('2025-01-14', 'America/Los_Angeles')).toBe(Date.parse('2025-01-14T00:00:00-08:00'))
    expect(wallTimeToInstant('2025-01-14T03:00', 'Asia/Kathmandu')).toBe(Date.parse('2025-01-14T03:00:00+05:45'))
    expect(wallTimeToInstant('not a time', 'UTC')).toBeUndefined()
  })

  it('resolves a skipped spring-forward time after the jump and a repeated one to its first occurrence', () => {
    // New York, 2025-03-09: 02:00 EST jumps to 03:00 EDT.
    expect(wallTimeToInstant('2025-03-09T02:30', 'America/New_York')).toBe(Date.parse('2025-03-09T03:30:00-04:00'))
    // 2025-11-02: 01:30 happens twice (EDT, then EST).
    expect(wallTimeToInstant('2025-11-02T01:30', 'America/New_York')).toBe(Date.parse('2025-11-02T01:30:00-04:00'))
  })

  it('writes instants as the zone shows them, with the offset of that instant', () => {
    const ts = Date.parse('2025-01-14T03:00:00+08:00')
    expect(toWallString(ts, 'Asia/Shanghai')).toBe('2025-01-14T03:00')
    expect(toIsoInZone(ts, 'Asia/Shanghai')).toBe('2025-01-14T03:00:00+08:00')
    expect(toIsoInZone(ts, 'America/New_York')).toBe('2025-01-13T14:00:00-05:00')
    expect(toIsoInZone(ts, 'Asia/Kolkata')).toBe('2025-01-14T00:30:00+05:30')
    expect(toIsoInZone(ts, 'UTC')).toBe('2025-01-13T19:00:00+00:00')
  })

  it('resolves range bounds the way the API reads them', () => {
    const now = Date.parse('2025-01-14T12:00:00Z')
    expect(resolveBound('now', 'UTC', now)).toBe(now)
    expect(resolveBound('-24h', 'UTC', now)).toBe(now - 86_400_000)
    expect(resolveBound('-90m', 'UTC', now)).toBe(now - 90 * 60_000)
    expect(resolveBound('-2w', 'UTC', now)).toBe(now - 14 * 86_400_000)
    expect(resolveBound('2025-01-14T03:00:00+08:00', 'UTC', now)).toBe(Date.parse('2025-01-13T19:00:00Z'))
    expect(resolveBound('2025-01-14', 'Asia/Shanghai', now)).toBe(Date.parse('2025-01-13T16:00:00Z'))
    expect(resolveBound('yesterday', 'UTC', now)).toBeUndefined()
  })
})
