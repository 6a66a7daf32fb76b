/** The KPI cards with their change against the previous period, and the ingest health card. */
import type { IngestSnapshot, LiveTick, OverviewReport } from '@trendlens/contract'
import type { QueryState } from '../hooks.ts'
import { formatCompact, formatInteger, type Lang, type Translate } from '../i18n.ts'
import { kpiCards } from '../transforms/kpis.ts'
import { loadProgressText } from '../transforms/load-progress.ts'
import { Help } from './help.tsx'
import { ErrorMessage } from './panel.tsx'

const KPI_HEIGHT = 92

export function KpiCards({ overview, lang, t }: { overview: QueryState<OverviewReport>; lang: Lang; t: Translate }) {
  if (overview.status === 'error' && overview.error) {
    return (
      <div className="kpi-error" style={{ minHeight: KPI_HEIGHT }} data-state="error">
        <ErrorMessage error={overview.error} what={t('kpis')} t={t} onRetry={overview.retry} />
      </div>
    )
  }
  const cards = overview.data ? kpiCards(overview.data, lang) : undefined
  return (
    <ul
      className="kpis"
      aria-label={t('kpis')}
      aria-busy={overview.status === 'loading'}
      data-state={overview.status === 'success' ? 'ready' : 'loading'}
      data-testid="kpis"
    >
      {cards
        ? cards.map((card) => (
            <li
              key={card.key}
              className="kpi"
              data-kpi={card.key}
              data-value={card.value ?? ''}
              style={{ minHeight: KPI_HEIGHT }}
            >
              <span className="kpi-label">
                {t(card.label)}
                <Help what={t(card.label)} text={t(card.help)} t={t} />
              </span>
              <span className="kpi-value" title={card.exact}>
                {card.text}
              </span>
              <span className={`kpi-change ${card.direction}`}>
                {card.change ? (
                  <>
                    <span aria-hidden="true">
                      {card.direction === 'up' ? '▲ ' : card.direction === 'down' ? '▼ ' : ''}
                    </span>
                    {card.change}
                    {card.versus ? <span className="muted"> {t('vsPrevious')}</span> : null}
                  </>
                ) : (
                  <span className="muted">{t('noPrevious')}</span>
                )}
              </span>
            </li>
          ))
        : [0, 1, 2, 3, 4].map((n) => (
            <li key={n} className="kpi skeleton" style={{ minHeight: KPI_HEIGHT }}>
              <span className="sr-only">{t('loading')}</span>
            </li>
          ))}
    </ul>
  )
}

interface IngestCardProps {
  ingest: IngestSnapshot | undefined
  minute: LiveTick['minute'] | undefined
  lang: Lang
  t: Translate
}

export function IngestCard({ ingest, minute, lang, t }: IngestCardProps) {
  return (
    <section className="ingest" aria-labelledby="ingest-title" data-testid="ingest" style={{ minHeight: KPI_HEIGHT }}>
      <h2 id="ingest-title" className="kpi-label">
        {t('ingest')}
        {ingest ? <span className="muted"> · {ingest.mode}</span> : null}
      </h2>
      {ingest ? (
        <dl className="ingest-grid">
          <div>
            <dt>
              {t('ingestLag')}
              <Help what={t('ingestLag')} text={t('helpLag')} t={t} />
            </dt>
            <dd data-testid="ingest-lag">{formatCompact(ingest.totalLag, lang)}</dd>
          </div>
          <div>
            <dt>{t('ingestRate')}</dt>
            <dd data-testid="ingest-rate">{formatCompact(ingest.storedPerSecond, lang)}</dd>
          </div>
          <div>
            <dt>
              {t('ingestDlq')}
              <Help what={t('ingestDlq')} text={t('helpDlq')} t={t} />
            </dt>
            <dd className={ingest.deadLettered > 0 ? 'warn' : undefined} data-testid="ingest-dlq">
              {formatInteger(ingest.deadLettered, lang)}
            </dd>
          </div>
          <div>
            <dt>{t('ingestStored')}</dt>
            <dd title={formatInteger(ingest.stored, lang)} data-testid="ingest-stored" data-value={ingest.stored}>
              {formatCompact(ingest.stored, lang)}
            </dd>
          </div>
          <div>
            <dt>
              {t('eventsLastMinute')}
              <Help what={t('eventsLastMinute')} text={t('helpEventsLastMinute')} t={t} />
            </dt>
            <dd data-testid="live-minute" data-value={minute?.events ?? ''}>
              {minute ? formatCompact(minute.events, lang) : '–'}
            </dd>
          </div>
        </dl>
      ) : (
        <div className="skeleton" style={{ height: 40 }} />
      )}
      {ingest?.load ? (
        <div className="load-progress" role="status" data-testid="load-progress" data-rows={ingest.load.rows}>
          <p className="small">{loadProgressText(ingest.load, lang)}</p>
          {ingest.load.percent !== null ? <progress max={100} value={ingest.load.percent} aria-hidden="true" /> : null}
        </div>
      ) : null}
      {ingest?.lastError ? (
        <p className="warn small" title={ingest.lastError}>
          {t('ingestError')}: {ingest.lastError}
        </p>
      ) : null}
    </section>
  )
}
