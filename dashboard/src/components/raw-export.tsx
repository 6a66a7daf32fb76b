/**
 * Raw events of the view as CSV: the row count is asked first and shown before anything is downloaded, then the
 * file streams with its progress in rows (the export holds one event per line), and is saved with a byte-order mark
 * so Excel reads its Chinese text.
 */
import { useEffect, useRef, useState } from 'react'
import { ApiError, apiUrl, errorFromResponse, getJson, type QueryParams } from '../api.ts'
import { formatInteger, hashtag } from '../i18n.ts'
import { authHeaders } from '../token.ts'
import type { ViewProps } from '../view.ts'

type Step =
  | { kind: 'closed' }
  | { kind: 'counting' }
  | { kind: 'counted'; rows: number; limit: number }
  | { kind: 'streaming'; rows: number; received: number }
  | { kind: 'done'; rows: number; received: number }
  | { kind: 'error'; message: string }

const NEWLINE = 0x0a

/** The file name the API gave (its UTF-8 form when there is one), else a plain one. */
export function downloadName(disposition: string | null): string {
  const utf8 = /filename\*=UTF-8''([^;]+)/i.exec(disposition ?? '')?.[1]
  if (utf8) {
    try {
      return decodeURIComponent(utf8)
    } catch {
      // A malformed escape: fall back to the plain name.
    }
  }
  return /filename="([^"]+)"/.exec(disposition ?? '')?.[1] ?? 'trendlens-events.csv'
}

export function RawExport({ state, queries, t }: Pick<ViewProps, 'state' | 'queries' | 't'>) {
  const [step, setStep] = useState<Step>({ kind: 'closed' })
  const [onlyTags, setOnlyTags] = useState(false)
  const running = useRef<AbortController | null>(null)
  const params: QueryParams = { ...queries.events, tag: onlyTags && state.tags.length > 0 ? state.tags : undefined }
  const key = JSON.stringify(params)
  const open = step.kind !== 'closed'

  // The count follows the view while the box is open and nothing is downloading.
  useEffect(() => {
    if (!open || running.current) return
    const controller = new AbortController()
    setStep({ kind: 'counting' })
    getJson<{ rows: number; limit: number }>('/api/export/events/count', JSON.parse(key), controller.signal).then(
      (count) => setStep({ kind: 'counted', rows: count.rows, limit: count.limit }),
      (error: unknown) => {
        if (!controller.signal.aborted) setStep({ kind: 'error', message: messageOf(error) })
      },
    )
    return () => controller.abort()
  }, [open, key])

  useEffect(() => () => running.current?.abort(), [])

  const start = async (rows: number) => {
    const controller = new AbortController()
    running.current = controller
    setStep({ kind: 'streaming', rows, received: 0 })
    try {
      const response = await fetch(apiUrl('/api/export/events.csv', { ...params, bom: '1' }), {
        headers: authHeaders(),
        signal: controller.signal,
      })
      if (!response.ok) throw await errorFromResponse(response)
      const total = Number(response.headers.get('X-Export-Rows') ?? rows)
      const reader = response.body?.getReader()
      if (!reader) throw new Error('no body')
      const chunks: Uint8Array<ArrayBuffer>[] = []
      let lines = 0
      for (;;) {
        const { done, value } = await reader.read()
        if (done) break
        chunks.push(value)
        for (const byte of value) if (byte === NEWLINE) lines++
        // The first line is the header.
        setStep({ kind: 'streaming', rows: total, received: Math.max(0, lines - 1) })
      }
      const link = document.createElement('a')
      link.href = URL.createObjectURL(new Blob(chunks, { type: 'text/csv;charset=utf-8' }))
      link.download = downloadName(response.headers.get('Content-Disposition'))
      link.click()
      setTimeout(() => URL.revokeObjectURL(link.href), 60_000)
      setStep({ kind: 'done', rows: total, received: Math.max(0, lines - 1) })
    } catch (error) {
      setStep(controller.signal.aborted ? { kind: 'closed' } : { kind: 'error', message: messageOf(error) })
    } finally {
      running.current = null
    }
  }

  if (!open) {
    return (
      <div className="control">
        <span className="control-label">{t('rawExport')}</span>
        <button
          type="button"
          className="button"
          onClick={() => setStep({ kind: 'counting' })}
          data-testid="raw-export-open"
        >
          {t('rawExportOpen')}
        </button>
      </div>
    )
  }
  return (
    <section className="control raw-export" aria-label={t('rawExport')} data-testid="raw-export">
      <span className="control-label">{t('rawExport')}</span>
      <div className="raw-export-row">
        {state.tags.length > 0 ? (
          <label className="check">
            <input
              type="checkbox"
              checked={onlyTags}
              disabled={step.kind === 'streaming'}
              onChange={(event) => setOnlyTags(event.target.checked)}
            />
            {t('rawExportOnlyTags', { tags: state.tags.map(hashtag).join(', ') })}
          </label>
        ) : null}
        {step.kind === 'counting' ? <span className="muted">{t('rawExportCounting')}</span> : null}
        {step.kind === 'counted' ? (
          <>
            <span data-testid="raw-export-count" data-value={step.rows}>
              {t('rawExportRows', { rows: formatInteger(step.rows, state.lang) })}
            </span>
            {step.rows > step.limit ? (
              <span className="field-error" role="alert">
                {t('rawExportTooMany', { limit: formatInteger(step.limit, state.lang) })}
              </span>
            ) : (
              <button
                type="button"
                className="button"
                disabled={step.rows === 0}
                onClick={() => void start(step.rows)}
                data-testid="raw-export-start"
              >
                {t('rawExportStart')}
              </button>
            )}
          </>
        ) : null}
        {step.kind === 'streaming' || step.kind === 'done' ? (
          <>
            <progress
              max={Math.max(step.rows, 1)}
              value={step.received}
              aria-label={t('rawExport')}
              data-testid="raw-export-progress"
              data-value={step.received}
            />
            <span data-testid={step.kind === 'done' ? 'raw-export-done' : undefined} data-rows={step.received}>
              {t(step.kind === 'done' ? 'rawExportDone' : 'rawExportProgress', {
                received: formatInteger(step.received, state.lang),
                rows: formatInteger(step.rows, state.lang),
              })}
            </span>
          </>
        ) : null}
        {step.kind === 'error' ? (
          <span className="field-error" role="alert">
            {step.message}
          </span>
        ) : null}
        <button
          type="button"
          className="button ghost"
          onClick={() => {
            running.current?.abort()
            setStep({ kind: 'closed' })
          }}
        >
          {step.kind === 'streaming' ? t('cancel') : t('close')}
        </button>
      </div>
    </section>
  )
}

function messageOf(error: unknown): string {
  return error instanceof ApiError || error instanceof Error ? error.message : String(error)
}
