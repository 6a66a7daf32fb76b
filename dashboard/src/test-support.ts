/**
 * Shared by the dashboard's unit tests of time formatting: the zones every zone-aware function is checked in, the
 * instants around their clock changes, and a way to run a check under several machine zones, since the strings must
 * depend on the chosen zone alone.
 */
import { zoneOffsetMs } from '@trendlens/contract'

/** DST both ways, a half-hour and a 45-minute offset, a 30-minute DST, and none. */
export const ZONES_UNDER_TEST = [
  'America/New_York',
  'Asia/Kolkata',
  'Asia/Kathmandu',
  'Australia/Lord_Howe',
  'UTC',
] as const

/** 2025's clock changes of the zones under test, as instants. */
export const CLOCK_CHANGES = {
  /** 02:00 EST → 03:00 EDT. */
  newYorkSpring: Date.parse('2025-03-09T07:00:00Z'),
  /** 02:00 EDT → 01:00 EST: 01:00–02:00 happens twice. */
  newYorkFall: Date.parse('2025-11-02T06:00:00Z'),
  /** 02:00 +11:00 → 01:30 +10:30: 01:30–02:00 happens twice. */
  lordHoweFall: Date.parse('2025-04-05T15:00:00Z'),
  /** 02:00 +10:30 → 02:30 +11:00. */
  lordHoweSpring: Date.parse('2025-10-04T15:30:00Z'),
} as const

/**
 * Instants from a day before each clock change to a day after it, and across one ordinary day, at an odd step so
 * that every minute of the hour and many seconds come up.
 */
export function instantsAroundClockChanges(stepMs = 17 * 60_000 + 13_000): number[] {
  const centres = [...Object.values(CLOCK_CHANGES), Date.parse('2025-01-14T00:00:00Z')]
  const instants: number[] = []
  for (const centre of centres) {
    for (let ms = centre - 86_400_000; ms <= centre + 86_400_000; ms += stepMs) instants.push(ms)
  }
  return instants
}

/**
 * Machine zones to run a check under: UTC, the zones under test, and Santiago, whose clocks skip midnight (the
 * case where `Date`'s local setters misbehave).
 */
const MACHINE_ZONES = ['UTC', 'America/Santiago', 'Australia/Lord_Howe', 'Asia/Kathmandu', 'America/New_York']

/** Runs `check` once with the process's own zone set to each machine zone, then restores it. */
export function inEachMachineZone(check: (machineZone: string) => void): void {
  const saved = process.env.TZ
  try {
    for (const zone of MACHINE_ZONES) {
      process.env.TZ = zone
      const probe = Date.UTC(2025, 0, 14, 12)
      if (new Date(probe).getTimezoneOffset() !== -zoneOffsetMs(probe, zone) / 60_000) {
        throw new Error(`the machine zone did not change to ${zone}`)
      }
      check(zone)
    }
  } finally {
    if (saved === undefined) Reflect.deleteProperty(process.env, 'TZ')
    else process.env.TZ = saved
  }
}
