/** A titled card, and the loading / error / empty states every data panel shares (fixed heights: no layout jump). */
import type { ReactNode } from 'react'
import { ApiError } from '../api.ts'
import type { QueryState } from '../hooks.ts'
import type { Translate } from '../i18n.ts'

interface PanelProps {
  id: string
  title: string
  subtitle?: ReactNode
  controls?: ReactNode
  actions?: ReactNode
  /** Under the title: which filters apply (FilterNote). */
  note?: ReactNode
  className?: string
  children: ReactNode
}

export function Panel({ id, title, subtitle, controls, actions, note, className, children }: PanelProps) {
  return (
    <section className={`panel ${className ?? ''}`} aria-labelledby={`${id}-title`} data-testid={`panel-${id}`}>
      <header className="panel-head">
        <div className="panel-title">
          <h2 id={`${id}-title`}>{title}</h2>
          {subtitle ? <p className="panel-subtitle">{subtitle}</p> : null}
        </div>
        {actions ? <div className="panel-actions">{actions}</div> : null}
      </header>
      {note}
      {controls ? <div className="panel-controls">{controls}</div> : null}
      {children}
    </section>
  )
}

/** The error in words: what failed, the API's message, and the request id to find it in the server log. */
export function ErrorMessage({
  error,
  what,
  t,
  onRetry,
}: {
  error: Error
  what: string
  t: Translate
  onRetry: () => void
}) {
  const api = error instanceof ApiError ? error : undefined
  const detail = api?.code === 'network' ? t('networkError') : error.message
  return (
    <div className="state state-error" role="alert">
      <p className="state-title">{t('errorTitle', { what })}</p>
      <p className="state-detail">{detail}</p>
      {api?.requestId ? <p className="state-meta">{t('errorRequest', { id: api.requestId })}</p> : null}
      <button type="button" className="button" onClick={onRetry}>
        {t('retry')}
      </button>
    </div>
  )
}

interface QueryBodyProps<T> {
  query: QueryState<T>
  height: number
  what: string
  t: Translate
  isEmpty?: (data: T) => boolean
  emptyText?: string
  children: (data: T) => ReactNode
}

export function QueryBody<T>({ query, height, what, t, isEmpty, emptyText, children }: QueryBodyProps<T>) {
  const { status, data, error } = query
  if (status === 'error' && error) {
    return (
      <div className="state-box" style={{ minHeight: height }} data-state="error">
        <ErrorMessage error={error} what={what} t={t} onRetry={query.retry} />
      </div>
    )
  }
  if (data === undefined) {
    return (
      <div className="skeleton" style={{ height }} aria-busy="true" data-state="loading">
        <span className="sr-only">{t('loading')}</span>
      </div>
    )
  }
  if (isEmpty?.(data)) {
    return (
      <div className="state-box" style={{ minHeight: height }} data-state={status === 'loading' ? 'loading' : 'empty'}>
        <div className="state">
          <p className="state-title">{emptyText ?? t('empty')}</p>
          <p className="state-detail">{t('emptyHint')}</p>
        </div>
      </div>
    )
  }
  const loading = status === 'loading'
  return (
    <div
      className={loading ? 'panel-body refreshing' : 'panel-body'}
      aria-busy={loading}
      data-state={loading ? 'loading' : 'ready'}
    >
      {children(data)}
    </div>
  )
}
