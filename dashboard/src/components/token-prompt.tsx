/**
 * Shown instead of the dashboard when the API answers 401: this deployment sets API_TOKEN and this browser has no
 * token, or a wrong one. The token entered is stored (see token.ts) and the page loads again with it.
 */
import { type FormEvent, useId, useState } from 'react'
import type { Translate } from '../i18n.ts'
import { apiToken, setApiToken } from '../token.ts'

export function TokenPrompt({ t, reload }: { t: Translate; reload: () => void }) {
  const [value, setValue] = useState('')
  const inputId = useId()
  const hadToken = apiToken() !== undefined
  const submit = (event: FormEvent) => {
    event.preventDefault()
    setApiToken(value)
    reload()
  }
  return (
    <main id="main" className="token-prompt" data-testid="token-prompt">
      <h1>{t('appName')}</h1>
      <form className="panel" onSubmit={submit}>
        <h2>{t('tokenTitle')}</h2>
        <p>{t('tokenHelp')}</p>
        {hadToken && (
          <p className="field-error" role="alert">
            {t('tokenRefused')}
          </p>
        )}
        <label htmlFor={inputId}>{t('tokenLabel')}</label>
        <input
          id={inputId}
          type="password"
          autoComplete="current-password"
          value={value}
          onChange={(event) => setValue(event.target.value)}
          required
        />
        <button type="submit">{t('tokenSubmit')}</button>
      </form>
    </main>
  )
}
