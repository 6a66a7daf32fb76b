/** Title bar: the live / paused state and toggle, language and theme. */
import type { ThemeChoice } from '../hooks.ts'
import { formatCompact, formatInstant, LANGS, type Lang, type Translate } from '../i18n.ts'

export type LiveMode = 'live' | 'user-paused' | 'historical'

interface HeaderProps {
  t: Translate
  lang: Lang
  tz: string
  live: LiveMode
  connection: 'off' | 'connecting' | 'open' | 'error'
  lastTickAt: string | undefined
  tickError: string | undefined
  /** Events stored in the newest complete minute, from the live stream. */
  lastMinuteEvents: number | undefined
  onToggleLive: () => void
  onGoLive: () => void
  onLang: (lang: Lang) => void
  theme: ThemeChoice
  onTheme: (theme: ThemeChoice) => void
}

const LANG_NAMES: Record<Lang, string> = { en: 'English', 'zh-CN': '中文' }
const NEXT_THEME: Record<ThemeChoice, ThemeChoice> = { auto: 'light', light: 'dark', dark: 'auto' }

export function Header(props: HeaderProps) {
  const { t, lang, tz, live, connection, lastTickAt, tickError } = props
  const status =
    tickError !== undefined && live === 'live'
      ? tickError
      : live === 'historical'
        ? t('liveHistorical')
        : live === 'user-paused'
          ? t('liveByUser')
          : connection === 'open'
            ? lastTickAt
              ? t('liveUpdated', { time: formatInstant(Date.parse(lastTickAt), tz, lang, 'time') })
              : t('live')
            : t('liveConnecting')
  const themeLabel = { auto: t('themeAuto'), light: t('themeLight'), dark: t('themeDark') }[props.theme]
  return (
    <header className="topbar">
      <div className="brand">
        <span className="logo" aria-hidden="true" />
        <h1>{t('appName')}</h1>
        <span className="tagline">{t('tagline')}</span>
      </div>
      <div className="topbar-actions">
        <div className={`live live-${live}`} data-testid="live-state" data-live={live} data-connection={connection}>
          <span className="live-dot" aria-hidden="true" />
          <span className="live-word" aria-live="polite">
            {live === 'live' ? t('live') : t('paused')}
          </span>
          <span className={tickError && live === 'live' ? 'live-status warn' : 'live-status'}>{status}</span>
          {props.lastMinuteEvents !== undefined && live !== 'user-paused' ? (
            <span className="live-minute" data-testid="events-last-minute" data-value={props.lastMinuteEvents}>
              {t('eventsLastMinute')}: <strong>{formatCompact(props.lastMinuteEvents, lang)}</strong>
            </span>
          ) : null}
          {live === 'historical' ? (
            <button type="button" className="button" onClick={props.onGoLive}>
              {t('goLive')}
            </button>
          ) : (
            <button
              type="button"
              className="button"
              aria-pressed={live === 'user-paused'}
              onClick={props.onToggleLive}
              data-testid="live-toggle"
            >
              {live === 'live' ? t('pause') : t('resume')}
            </button>
          )}
        </div>
        <label className="sr-only" htmlFor="lang">
          {t('language')}
        </label>
        <select
          id="lang"
          value={lang}
          onChange={(event) => props.onLang(event.target.value as Lang)}
          data-testid="lang-select"
        >
          {LANGS.map((option) => (
            <option key={option} value={option} lang={option}>
              {LANG_NAMES[option]}
            </option>
          ))}
        </select>
        <button
          type="button"
          className="button ghost"
          onClick={() => props.onTheme(NEXT_THEME[props.theme])}
          aria-label={`${t('theme')}: ${themeLabel}`}
          data-testid="theme-toggle"
        >
          <span aria-hidden="true">{props.theme === 'dark' ? '☾' : props.theme === 'light' ? '☀' : '◐'}</span>{' '}
          {themeLabel}
        </button>
      </div>
    </header>
  )
}
