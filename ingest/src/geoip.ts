import { createRequire } from 'node:module'
import { parseRegion } from '@trendlens/contract'

interface GeoIpLite {
  lookup(ip: string): { country: string; region: string } | null
  /** Drops the loaded database. */
  clear(): void
  reloadDataSync(): void
}

type Place = { region: string; country: string } | null

/**
 * The database takes ~110 MB of memory: it is loaded on the first address not seen before, and dropped once no new
 * address has come for this long (a feed of known addresses, as the embedded product's live feed is, needs none).
 */
const UNLOAD_AFTER_IDLE_MS = 60_000
/** Resolved addresses kept: lookups are a pure function of the address and the bundled database. */
const MAX_REMEMBERED = 10_000

let geoip: GeoIpLite | undefined
let loaded = false
let lastLoadedUseMs = 0
const remembered = new Map<string, Place>()

/** Resolves an IP address to a region with the GeoLite database bundled in geoip-lite (offline). */
export function regionOfIp(ip: string): Place {
  const known = remembered.get(ip)
  if (known !== undefined) return known
  const place = lookUp(ip)
  if (remembered.size >= MAX_REMEMBERED) remembered.clear()
  remembered.set(ip, place)
  return place
}

function lookUp(ip: string): Place {
  if (!geoip) {
    geoip = createRequire(import.meta.url)('geoip-lite') as GeoIpLite
  } else if (!loaded) {
    geoip.reloadDataSync()
  }
  if (!loaded) {
    loaded = true
    scheduleUnload(UNLOAD_AFTER_IDLE_MS)
  }
  lastLoadedUseMs = Date.now()
  const hit = geoip.lookup(ip)
  if (!hit?.country) return null
  return parseRegion(hit.region ? `${hit.country}-${hit.region}` : hit.country) ?? parseRegion(hit.country)
}

function scheduleUnload(delayMs: number): void {
  const timer = setTimeout(() => {
    const idleMs = Date.now() - lastLoadedUseMs
    if (idleMs < UNLOAD_AFTER_IDLE_MS) return scheduleUnload(UNLOAD_AFTER_IDLE_MS - idleMs)
    geoip?.clear()
    loaded = false
  }, delayMs)
  // A process with nothing else to do does not stay up for this.
  timer.unref()
}
