/**
 * A "?" beside a metric's name that explains it: the text shows on hover and on keyboard focus, and is the button's
 * description for screen readers. Plain React text, in the viewer's language.
 */
import { useId } from 'react'
import type { Translate } from '../i18n.ts'

export function Help({ what, text, t }: { what: string; text: string; t: Translate }) {
  const id = useId()
  return (
    <span className="help">
      <button type="button" className="help-button" aria-label={t('help', { what })} aria-describedby={id}>
        ?
      </button>
      <span id={id} role="tooltip" className="help-text">
        {text}
      </span>
    </span>
  )
}
