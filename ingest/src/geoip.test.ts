import { afterEach, describe, expect, it, vi } from 'vitest'
import { regionOfIp } from './geoip.ts'

afterEach(() => {
  vi.useRealTimers()
})

describe('regionOfIp', () => {
  it('answers the same after the idle database was dropped and read again', () => {
    vi.useFakeTimers()
    const beijing = regionOfIp('61.135.169.121')
    expect(beijing?.country).toBe('CN')
    // A minute and more with no new address: the database is dropped; the next new address reads it again.
    vi.advanceTimersByTime(61_000)
    expect(regionOfIp('8.8.8.8')?.country).toBe('US')
    vi.advanceTimersByTime(61_000)
    expect(regionOfIp('61.135.169.122')).toEqual(beijing)
    // A remembered address needs no database at all.
    vi.advanceTimersByTime(61_000)
    expect(regionOfIp('61.135.169.121')).toEqual(beijing)
  })
})
