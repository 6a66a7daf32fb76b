/**
 * Defences against other origins and hostile pages: a Host allow-list (DNS rebinding), Origin and JSON-only
 * state-changing requests (cross-site form posts), security headers on every response, and the API token.
 */
import { createHash, timingSafeEqual } from 'node:crypto'
import type { Context, MiddlewareHandler } from 'hono'
import { secureHeaders } from 'hono/secure-headers'
import type { AppEnv } from './context.ts'
import { ApiError } from './errors.ts'
import { OPEN_PATHS } from './openapi.ts'

/** Loopback names: the product is a local tool until someone configures the names it is served under. */
export const DEFAULT_ALLOWED_HOSTS: readonly string[] = ['localhost', '127.0.0.1', '[::1]']

/** Methods that change state; every other method must be safe to send from any page. */
const UNSAFE_METHODS: ReadonlySet<string> = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

/**
 * The dashboard's own policy: scripts only from this origin (Vite emits no inline script), styles inline too
 * (ECharts' tooltips and React style props set them), images from data:/blob: (ECharts' "save as image").
 */
const CONTENT_SECURITY_POLICY = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'", "'unsafe-inline'"],
  imgSrc: ["'self'", 'data:', 'blob:'],
  fontSrc: ["'self'", 'data:'],
  connectSrc: ["'self'"],
  workerSrc: ["'self'", 'blob:'],
  objectSrc: ["'none'"],
  baseUri: ["'none'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
}

/** Security headers on every response, errors and downloads included. */
export function securityHeaders(): MiddlewareHandler<AppEnv> {
  return secureHeaders({
    contentSecurityPolicy: CONTENT_SECURITY_POLICY,
    xFrameOptions: 'DENY',
    referrerPolicy: 'no-referrer',
    // HSTS belongs to whatever terminates TLS; on plain http://localhost it would only confuse other local apps.
    strictTransportSecurity: false,
  })
}

/** Lower-case host name without port or trailing dot; IPv6 addresses keep their brackets. */
export function hostName(authority: string): string | undefined {
  try {
    const url = new URL(`http://${authority}`)
    if (url.username || url.password || url.pathname !== '/' || url.search || url.hash) return undefined
    return url.hostname.replace(/\.$/, '')
  } catch {
    return undefined
  }
}

/**
 * Whether a host name is one the product is served under: an exact entry, or a subdomain of an entry that starts
 * with a dot (`.example.com` allows example.com and every name under it). `*` allows any name.
 */
function hostAllowed(name: string, allowed: readonly string[]): boolean {
  return allowed.some((entry) => {
    if (entry === '*') return true
    if (entry.startsWith('.')) return name === entry.slice(1) || name.endsWith(entry)
    return name === entry
  })
}

/** Health, readiness and metrics answer probes that address the process by IP; they carry no user data. */
function isProbePath(path: string): boolean {
  return path === '/healthz' || path === '/readyz' || path === '/metrics'
}

/**
 * Refuses a Host outside the allow-list, so a page on another name that resolves to this machine (DNS
 * rebinding) cannot read or write through the visitor's browser.
 */
export function requireKnownHost(allowed: readonly string[]): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (isProbePath(c.req.path)) return next()
    const authority = c.req.header('Host') ?? new URL(c.req.url).host
    const name = hostName(authority)
    if (name === undefined || !hostAllowed(name, allowed)) {
      throw new ApiError(
        421,
        'unknown_host',
        `this server does not answer for the host "${authority.slice(0, 100)}"; add it to ALLOWED_HOSTS to serve it`,
        'Host',
      )
    }
    return next()
  }
}

/**
 * State-changing requests must come from this origin and carry JSON. A cross-site form can only send
 * `application/x-www-form-urlencoded`, `multipart/form-data` or `text/plain`, and a browser adds `Origin` to every
 * cross-origin write; requiring both stops the form post and the script alike.
 */
export function requireSameOriginJson(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (!UNSAFE_METHODS.has(c.req.method)) return next()
    const origin = c.req.header('Origin')
    if (origin !== undefined) {
      const own = c.req.header('Host') ?? new URL(c.req.url).host
      if (!sameAuthority(origin, own)) {
        throw new ApiError(
          403,
          'forbidden_origin',
          `requests that change data must come from this server's own pages, not from "${origin.slice(0, 100)}"`,
          'Origin',
        )
      }
    }
    const type = c.req.header('Content-Type')
    const media = type?.split(';')[0]?.trim().toLowerCase()
    // A DELETE needs no body; when it has one, it must be JSON too.
    if (media !== 'application/json' && (c.req.method !== 'DELETE' || type !== undefined)) {
      throw new ApiError(
        415,
        'unsupported_media_type',
        `requests that change data must send Content-Type: application/json${type ? `, not "${type.slice(0, 80)}"` : ''}`,
        'Content-Type',
      )
    }
    return next()
  }
}

/** The Origin's host and port equal the request's Host (an opaque `null` origin never matches). */
function sameAuthority(origin: string, host: string): boolean {
  let url: URL
  try {
    url = new URL(origin)
  } catch {
    return false
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return false
  const defaultPort = url.protocol === 'https:' ? '443' : '80'
  const hostUrl = tryUrl(`${url.protocol}//${host}`)
  if (!hostUrl) return false
  return url.hostname === hostUrl.hostname && (url.port || defaultPort) === (hostUrl.port || defaultPort)
}

function tryUrl(text: string): URL | undefined {
  try {
    return new URL(text)
  } catch {
    return undefined
  }
}

/**
 * Every /api route but the OpenAPI document and its page needs the token as `Authorization: Bearer <token>` (the scheme in any
 * letter case). The live stream and downloads may carry it as `?token=` on GET instead, because EventSource and a
 * download link cannot send headers; nothing else accepts it there, so a token in a URL never authorises a write.
 */
export function requireToken(token: string): MiddlewareHandler<AppEnv> {
  const expected = createHash('sha256').update(token).digest()
  return async (c, next) => {
    if (OPEN_PATHS.has(c.req.path)) return next()
    const given = bearerToken(c.req.header('Authorization')) ?? queryToken(c)
    // Comparing digests keeps the comparison constant-time whatever the lengths.
    const matches = given !== undefined && timingSafeEqual(createHash('sha256').update(given).digest(), expected)
    if (!matches) {
      throw new ApiError(
        401,
        'unauthorized',
        'this API needs a token: Authorization: Bearer <token> (or ?token= on GET for the live stream and downloads)',
      )
    }
    return next()
  }
}

function bearerToken(header: string | undefined): string | undefined {
  const match = header === undefined ? null : /^bearer[ \t]+(\S+)[ \t]*$/i.exec(header)
  return match?.[1]
}

function queryToken(c: Context<AppEnv>): string | undefined {
  if (c.req.method !== 'GET' && c.req.method !== 'HEAD') return undefined
  const path = c.req.path
  if (path !== '/api/live' && !path.startsWith('/api/export/')) return undefined
  return c.req.query('token')
}
