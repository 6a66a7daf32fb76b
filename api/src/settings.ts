/** The API's settings, read from the environment by the product's config loader. */
import { isTimeZone } from '@trendlens/contract'
import { z } from 'zod'
import { DEFAULT_ALLOWED_HOSTS, hostName } from './security.ts'

/** 8080 is the product's documented address: http://localhost:8080. */
export const DEFAULT_PORT = 8080
/** Loopback by default: the embedded product is a local tool until someone chooses to expose it. */
const DEFAULT_HOST = '127.0.0.1'
/** The story is told in Beijing time, where its figures were reported. */
const DEFAULT_TIME_ZONE = 'Asia/Shanghai'
/** Exports beyond this are refused rather than silently cut; narrow the range or raise the cap. */
const DEFAULT_EXPORT_MAX_ROWS = 10_000_000
/** Each export holds a store connection busy; two at once keeps the dashboard responsive. */
const DEFAULT_EXPORT_MAX_CONCURRENT = 2
/** One client (address) may not hold every export slot: others still get one while its downloads run. */
const DEFAULT_EXPORT_MAX_PER_CLIENT = 1
/** A download whose reader takes nothing for this long is cut and its slot freed (a stalled or abandoned tab). */
const DEFAULT_EXPORT_IDLE_TIMEOUT_MS = 30_000
/** Open live streams cost one socket each (their ticks share one query); beyond this new ones are refused. */
const DEFAULT_LIVE_MAX_CLIENTS = 1_000

const positiveInt = z.coerce.number().int().positive()

/** What the API needs at run time (`createApp(deps).api`). */
export interface ApiOptions {
  defaultTimeZone: string
  token: string | undefined
  /** Host names the API answers for (`*` any; `.example.com` a domain and its subdomains). */
  allowedHosts: string[]
  liveMaxClients: number
  exportMaxRows: number
  exportMaxConcurrent: number
  exportMaxPerClient: number
  exportIdleTimeoutMs: number
  /** The budget of one request's queries (the store's `QUERY_TIMEOUT_MS`). */
  queryTimeoutMs: number
}

/** Where the API listens and how it answers; the query budget comes from the store's settings. */
export const apiSettings = z
  .object({
    PORT: z.coerce.number().int().min(0).max(65_535).default(DEFAULT_PORT),
    HOST: z.string().min(1).default(DEFAULT_HOST),
    ALLOWED_HOSTS: z
      .string()
      .optional()
      .transform((value, ctx) => {
        if (value === undefined) return undefined
        const hosts = parseAllowedHosts(value)
        if (hosts === undefined) {
          ctx.addIssue({
            code: 'custom',
            message: `expected host names without port (localhost,example.com,.example.com,[::1]) or *, got "${value}"`,
          })
          return z.NEVER
        }
        return hosts
      }),
    DEFAULT_TZ: z
      .string()
      .default(DEFAULT_TIME_ZONE)
      .superRefine((zone, ctx) => {
        if (!isTimeZone(zone)) ctx.addIssue({ code: 'custom', message: `unknown IANA time zone "${zone}"` })
      }),
    API_TOKEN: z.string().min(16).optional(),
    EXPORT_MAX_ROWS: positiveInt.default(DEFAULT_EXPORT_MAX_ROWS),
    EXPORT_MAX_CONCURRENT: positiveInt.default(DEFAULT_EXPORT_MAX_CONCURRENT),
    EXPORT_MAX_PER_CLIENT: positiveInt.default(DEFAULT_EXPORT_MAX_PER_CLIENT),
    EXPORT_IDLE_TIMEOUT_MS: positiveInt.default(DEFAULT_EXPORT_IDLE_TIMEOUT_MS),
    LIVE_MAX_CLIENTS: positiveInt.default(DEFAULT_LIVE_MAX_CLIENTS),
  })
  .transform((e) => ({
    http: { port: e.PORT, host: e.HOST },
    api: {
      defaultTimeZone: e.DEFAULT_TZ,
      token: e.API_TOKEN,
      allowedHosts: e.ALLOWED_HOSTS ?? defaultAllowedHosts(e.HOST),
      liveMaxClients: e.LIVE_MAX_CLIENTS,
      exportMaxRows: e.EXPORT_MAX_ROWS,
      exportMaxConcurrent: e.EXPORT_MAX_CONCURRENT,
      exportMaxPerClient: e.EXPORT_MAX_PER_CLIENT,
      exportIdleTimeoutMs: e.EXPORT_IDLE_TIMEOUT_MS,
    } satisfies Omit<ApiOptions, 'queryTimeoutMs'>,
  }))

export type ApiSettings = z.output<typeof apiSettings>

/** ALLOWED_HOSTS as a list of lower-case names (`*`, `.domain`, `[::1]`); undefined when it is not one. */
function parseAllowedHosts(value: string): string[] | undefined {
  const entries = value
    .split(',')
    .map((entry) => entry.trim().toLowerCase())
    .filter(Boolean)
  const bad = entries.filter((entry) => {
    if (entry === '*') return false
    const name = entry.startsWith('.') ? entry.slice(1) : entry
    return hostName(name) !== name
  })
  return entries.length === 0 || bad.length > 0 ? undefined : entries
}

/**
 * Without ALLOWED_HOSTS: loopback plus HOST when HOST is a specific name (listening on every interface says
 * nothing about the names clients use).
 */
function defaultAllowedHosts(host: string): string[] {
  const own = host === '0.0.0.0' || host === '::' ? undefined : listenName(host)
  return own === undefined || DEFAULT_ALLOWED_HOSTS.includes(own)
    ? [...DEFAULT_ALLOWED_HOSTS]
    : [...DEFAULT_ALLOWED_HOSTS, own]
}

/** HOST as clients spell it in a Host header: IPv6 addresses in brackets. */
function listenName(host: string): string | undefined {
  return hostName(host.includes(':') && !host.startsWith('[') ? `[${host}]` : host)
}
