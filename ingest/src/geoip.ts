import { createRequire } from 'node:module'
import { parseRegion } from '@trendlens/contract'

interface GeoIpLite {
  lookup(ip: string): { country: string; region: string } | null
}

let geoip: GeoIpLite | undefined

/**
 * Resolves an IP address to a region with the GeoLite database bundled in geoip-lite (offline).
 * The database takes ~150 MB of memory, so it is loaded on the first event that carries an IP.
 */
export function regionOfIp(ip: string): { region: string; country: string } | null {
  geoip ??= createRequire(import.meta.url)('geoip-lite') as GeoIpLite
  const hit = geoip.lookup(ip)
  if (!hit?.country) return null
  return parseRegion(hit.region ? `${hit.country}-${hit.region}` : hit.country) ?? parseRegion(hit.country)
}
