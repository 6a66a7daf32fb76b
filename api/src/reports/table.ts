import type { Services } from '../context.ts'
import type { CsvValue } from '../csv.ts'
import { queryTimeout } from '../errors.ts'

/** A report flattened for CSV: one header row, then data rows in the same column order. */
export interface Table {
  header: readonly string[]
  rows: CsvValue[][]
}

/**
 * Runs a report's queries through the response cache. The key is the fully resolved question, so two requests
 * share an answer only when they would run the same queries. A shared computation is not tied to one client's
 * connection, so it runs under the query budget alone.
 */
export function cached<T>(
  services: Services,
  key: unknown[],
  compute: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  return services.cache.get(JSON.stringify(key), async () => {
    const budget = AbortSignal.timeout(services.deps.api.queryTimeoutMs)
    try {
      return await compute(budget)
    } catch (error) {
      throw budget.aborted ? queryTimeout() : error
    }
  })
}

/** Relative change from `previous` to `current`; null when there is nothing to compare against. */
export function relativeChange(current: number | null, previous: number | null): number | null {
  if (current === null || previous === null || previous === 0) return null
  return (current - previous) / previous
}

export function share(part: number, total: number): number | null {
  return total === 0 ? null : part / total
}

const serialised = new WeakMap<object, string>()

/**
 * A report as a JSON body. Reports served from the response cache are the same object for every request in the
 * window, so their text is produced once.
 */
export function jsonBody(report: object): string {
  let text = serialised.get(report)
  if (text === undefined) {
    text = JSON.stringify(report)
    serialised.set(report, text)
  }
  return text
}
