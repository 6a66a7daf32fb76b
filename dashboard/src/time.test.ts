import { localIso, zoneOffsetMs } from '@trendlens/contract'
import { describe, expect, it } from 'vitest'
import { CLOCK_CHANGES, inEachMachineZone, instantsAroundClockChanges, ZONES_UNDER_TEST } from './test-support.ts'
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

  it('writes each side of every clock change with its own offset', () => {
    const { newYorkSpring, newYorkFall, lordHoweFall, lordHoweSpring } = CLOCK_CHANGES
    expect(toIsoInZone(newYorkSpring - 1000, 'America/New_York')).toBe('2025-03-09T01:59:59-05:00')
    expect(toIsoInZone(newYorkSpring, 'America/New_York')).toBe('2025-03-09T03:00:00-04:00')
    expect(toIsoInZone(newYorkFall - 1000, 'America/New_York')).toBe('2025-11-02T01:59:59-04:00')
    expect(toIsoInZone(newYorkFall, 'America/New_York')).toBe('2025-11-02T01:00:00-05:00')
    expect(toIsoInZone(lordHoweFall - 1000, 'Australia/Lord_Howe')).toBe('2025-04-06T01:59:59+11:00')
    expect(toIsoInZone(lordHoweFall, 'Australia/Lord_Howe')).toBe('2025-04-06T01:30:00+10:30')
    expect(toIsoInZone(lordHoweSpring - 1000, 'Australia/Lord_Howe')).toBe('2025-10-05T01:59:59+10:30')
    expect(toIsoInZone(lordHoweSpring, 'Australia/Lord_Howe')).toBe('2025-10-05T02:30:00+11:00')
    expect(toIsoInZone(lordHoweSpring, 'Asia/Kathmandu')).toBe('2025-10-04T21:15:00+05:45')
    expect(toIsoInZone(lordHoweSpring, 'Asia/Kolkata')).toBe('2025-10-04T21:00:00+05:30')
    expect(toIsoInZone(lordHoweSpring, 'UTC')).toBe('2025-10-04T15:30:00+00:00')
    expect(toWallString(newYorkFall, 'America/New_York', true)).toBe('2025-11-02T01:00:00')
  })

  it('writes the wall time and offset the contract computes, whatever the machine zone', () => {
    const instants = instantsAroundClockChanges()
    const wrong: string[] = []
    inEachMachineZone((machineZone) => {
      for (const zone of ZONES_UNDER_TEST) {
        for (const ts of instants) {
          const expected = localIso(ts, zone)
          const written = [toIsoInZone(ts, zone), toWallString(ts, zone), toWallString(ts, zone, true)]
          if (written.join() !== [expected, expected.slice(0, 16), expected.slice(0, 19)].join()) {
            wrong.push(`${written.join(' ')} for ${expected} in ${zone}, machine zone ${machineZone}`)
          }
        }
      }
    })
    expect(wrong).toEqual([])
  })

  it('reads back every wall time it writes, repeated ones as their first occurrence', () => {
    const instants = instantsAroundClockChanges()
    inEachMachineZone((machineZone) => {
      const wrong: string[] = []
      for (const zone of ZONES_UNDER_TEST) {
        for (const ts of instants) {
          const wall = toWallString(ts, zone)
          const read = wallTimeToInstant(wall, zone) as number
          if (toWallString(read, zone) !== wall || read > ts)
            wrong.push(`${wall} in ${zone} read as ${localIso(read, zone)}`)
        }
      }
      expect(wrong, `machine zone ${machineZone}`).toEqual([])
      // Lord Howe's repeated half hour: 01:45 is first seen at +11:00.
      expect(wallTimeToInstant('2025-04-06T01:45', 'Australia/Lord_Howe')).toBe(Date.parse('2025-04-06T01:45:00+11:00'))
      // Its skipped half hour: 02:15 does not exist; the clocks show 02:45 half an hour after 01:45 +10:30.
      expect(wallTimeToInstant('2025-10-05T02:15', 'Australia/Lord_Howe')).toBe(Date.parse('2025-10-05T02:45:00+11:00'))
    })
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
