/**
 * The API token, for deployments that set API_TOKEN. It is handed over once in the page's fragment
 * (`/#token=…`: browsers never send fragments to servers nor put them in Referer), kept in this browser's
 * localStorage, and sent as a bearer header. EventSource and download links cannot set headers, so they carry it
 * as a `token` query parameter (the API logs paths, never query strings).
 */

const STORAGE_KEY = 'trendlens.apiToken'
const FRAGMENT = /(?:^#|&)token=([^&]*)/

let memoryToken: string | undefined

export function apiToken(): string | undefined {
  try {
    return localStorage.getItem(STORAGE_KEY) ?? memoryToken
  } catch {
    return memoryToken
  }
}

/** Stores the token (or forgets it, given undefined); kept in memory too when storage is disabled. */
export function setApiToken(token: string | undefined): void {
  const value = token?.trim() || undefined
  memoryToken = value
  try {
    if (value) localStorage.setItem(STORAGE_KEY, value)
    else localStorage.removeItem(STORAGE_KEY)
  } catch {
    // Storage disabled: the token lasts as long as the page.
  }
}

/** Takes `#token=…` from the address, stores it, and removes it from the address bar and history. */
export function adoptTokenFromLocation(location: Location = window.location, history: History = window.history): void {
  const match = FRAGMENT.exec(location.hash)
  if (!match) return
  setApiToken(decodeURIComponent(match[1] ?? ''))
  const rest = location.hash.replace(FRAGMENT, '').replace(/^#?&?/, '')
  history.replaceState(history.state, '', `${location.pathname}${location.search}${rest ? `#${rest}` : ''}`)
}

export function authHeaders(): Record<string, string> {
  const token = apiToken()
  return token ? { authorization: `Bearer ${token}` } : {}
}

/** A same-origin API URL with the token as a query parameter, for requests that cannot carry headers. */
export function withTokenParam(url: string): string {
  const token = apiToken()
  if (!token) return url
  return `${url}${url.includes('?') ? '&' : '?'}token=${encodeURIComponent(token)}`
}
