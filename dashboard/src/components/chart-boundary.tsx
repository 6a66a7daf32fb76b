/**
 * Catches a chart that failed to load or draw (a chunk missing after a deploy, a network drop) so the rest of the
 * dashboard stays usable; the message says what failed and offers a reload, since a failed chunk is not retried.
 */
import { Component, type ReactNode } from 'react'
import type { Translate } from '../i18n.ts'
import { ErrorMessage } from './panel.tsx'

interface ChartBoundaryProps {
  what: string
  t: Translate
  height: number
  children: ReactNode
}

export class ChartBoundary extends Component<ChartBoundaryProps, { error: Error | undefined }> {
  override state: { error: Error | undefined } = { error: undefined }

  static getDerivedStateFromError(error: unknown): { error: Error } {
    return { error: error instanceof Error ? error : new Error(String(error)) }
  }

  override componentDidCatch(error: unknown): void {
    console.error('trendlens: a chart failed', error)
  }

  override render() {
    const { error } = this.state
    if (!error) return this.props.children
    return (
      <div className="state-box" style={{ minHeight: this.props.height }} data-state="error">
        <ErrorMessage error={error} what={this.props.what} t={this.props.t} onRetry={() => window.location.reload()} />
      </div>
    )
  }
}
