/** Small React hooks: data fetching with retry and silent refresh, the resolved colour theme, the live stream. */

import type { LiveTick } from '@trendlens/contract'
import { useCallback, useEffect, useRef, useState } from 'react'
import { debugInfo } from './debug.ts'
import { withTokenParam } from './token.ts'
import type { ResolvedTheme } from './transforms/palette.ts'

export interface QueryState<T> {
  /** `loading` until the first answer for this key; stale data of the previous key is kept meanwhile. */
  status: 'loading' | 'success' | 'error'
  data: T | undefined
  error: Error | undefined
  /** A live refresh failed; the data shown is the last good answer. */
  refreshError: Error | undefined
  retry: () => void
}

/**
 * Fetches `load` whenever `key` changes (aborting the previous request) and again, silently, whenever `refresh`
 * changes. A refresh is skipped while any request is running, so a slow query never piles up behind live ticks.
 */
export function useQuery<T>(key: string | null, load: (signal: AbortSignal) => Promise<T>, refresh = 0): QueryState<T> {
  const [state, setState] = useState<Omit<QueryState<T>, 'retry'>>({
    status: 'loading',
    data: undefined,
    error: undefined,
    refreshError: undefined,
  })
  const [attempt, setAttempt] = useState(0)
  const loadRef = useRef(load)
  loadRef.current = load
  const running = useRef<AbortController | null>(null)

  useEffect(() => {
    if (key === null) return
    // `attempt` is read so that Retry runs this effect again.
    void attempt
    running.current?.abort()
    const controller = new AbortController()
    running.current = controller
    setState((previous) => ({ ...previous, status: 'loading', error: undefined, refreshError: undefined }))
    loadRef.current(controller.signal).then(
      (data) => {
        if (controller.signal.aborted) return
        running.current = null
        setState({ status: 'success', data, error: undefined, refreshError: undefined })
      },
      (error: unknown) => {
        if (controller.signal.aborted) return
        running.current = null
        setState((previous) => ({ ...previous, status: 'error', error: asError(error) }))
      },
    )
    return () => {
      controller.abort()
      running.current = null
    }
  }, [key, attempt])

  const lastRefresh = useRef(refresh)
  useEffect(() => {
    if (refresh === lastRefresh.current) return
    lastRefresh.current = refresh
    if (key === null || running.current !== null) return
    const controller = new AbortController()
    running.current = controller
    loadRef.current(controller.signal).then(
      (data) => {
        if (controller.signal.aborted) return
        running.current = null
        setState({ status: 'success', data, error: undefined, refreshError: undefined })
      },
      (error: unknown) => {
        if (controller.signal.aborted) return
        running.current = null
        setState((previous) => ({ ...previous, refreshError: asError(error) }))
      },
    )
    // The refresh is aborted by the key effect (new key, retry, unmount), never by the next tick.
  }, [refresh, key])

  const retry = useCallback(() => setAttempt((n) => n + 1), [])
  return { ...state, retry }
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error))
}

export type ThemeChoice = 'auto' | 'light' | 'dark'
const THEME_KEY = 'trendlens.theme'

function readThemeChoice(): ThemeChoice {
  try {
    const stored = localStorage.getItem(THEME_KEY)
    return stored === 'light' || stored === 'dark' ? stored : 'auto'
  } catch {
    return 'auto'
  }
}

/** The viewer's theme choice (kept in localStorage: a preference, not part of a shared view) and what it resolves to. */
export function useTheme(): { choice: ThemeChoice; resolved: ResolvedTheme; setChoice: (choice: ThemeChoice) => void } {
  const [choice, setChoiceState] = useState<ThemeChoice>(readThemeChoice)
  const [prefersDark, setPrefersDark] = useState(() => matchMedia('(prefers-color-scheme: dark)').matches)
  useEffect(() => {
    const query = matchMedia('(prefers-color-scheme: dark)')
    const onChange = () => setPrefersDark(query.matches)
    query.addEventListener('change', onChange)
    return () => query.removeEventListener('change', onChange)
  }, [])
  useEffect(() => {
    document.documentElement.dataset.theme = choice
  }, [choice])
  const setChoice = useCallback((next: ThemeChoice) => {
    setChoiceState(next)
    try {
      if (next === 'auto') localStorage.removeItem(THEME_KEY)
      else localStorage.setItem(THEME_KEY, next)
    } catch {
      // Storage can be disabled (private mode); the choice then lasts for this page only.
    }
  }, [])
  const resolved: ResolvedTheme = choice === 'auto' ? (prefersDark ? 'dark' : 'light') : choice
  return { choice, resolved, setChoice }
}

interface LiveState {
  status: 'off' | 'connecting' | 'open' | 'error'
  tick: LiveTick | undefined
  /** Increments on every tick: a refresh token for the queries. */
  ticks: number
  /** The API's message when its last tick failed (the stream stays open and the next tick retries). */
  tickError: string | undefined
}

/** Subscribes to /api/live while `enabled`; EventSource reconnects by itself after an error. */
export function useLiveStream(enabled: boolean, tz: string): LiveState {
  const [state, setState] = useState<LiveState>({ status: 'off', tick: undefined, ticks: 0, tickError: undefined })
  useEffect(() => {
    if (!enabled) {
      setState((previous) => ({ ...previous, status: 'off' }))
      return
    }
    setState((previous) => ({ ...previous, status: 'connecting' }))
    const source = new EventSource(withTokenParam(`/api/live?tz=${encodeURIComponent(tz)}`))
    source.addEventListener('open', () => setState((previous) => ({ ...previous, status: 'open' })))
    source.addEventListener('error', (event) => {
      // The API reports a failed tick as an `error` event with its error body; the connection itself is fine.
      if (event instanceof MessageEvent && typeof event.data === 'string') {
        let message = event.data
        try {
          message = (JSON.parse(event.data) as { message?: string }).message ?? message
        } catch {
          // Not JSON: show the text as it came.
        }
        setState((previous) => ({ ...previous, tickError: message }))
        return
      }
      setState((previous) => ({
        ...previous,
        status: source.readyState === EventSource.CLOSED ? 'error' : 'connecting',
      }))
    })
    source.addEventListener('tick', (event) => {
      let tick: LiveTick
      try {
        tick = JSON.parse((event as MessageEvent<string>).data) as LiveTick
      } catch (error) {
        console.warn('trendlens: unreadable live tick', error)
        return
      }
      debugInfo().liveTicks++
      setState((previous) => ({ status: 'open', tick, ticks: previous.ticks + 1, tickError: undefined }))
    })
    return () => source.close()
  }, [enabled, tz])
  return state
}

/** Whether the viewport is phone-sized: charts then shorten their axis labels so they stay apart. */
export function useNarrow(maxWidth = 600): boolean {
  const query = `(max-width: ${maxWidth}px)`
  const [narrow, setNarrow] = useState(() => matchMedia(query).matches)
  useEffect(() => {
    const list = matchMedia(query)
    const onChange = () => setNarrow(list.matches)
    onChange()
    list.addEventListener('change', onChange)
    return () => list.removeEventListener('change', onChange)
  }, [query])
  return narrow
}
