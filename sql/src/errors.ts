/**
 * Store failures, classified by what the caller should do about them:
 * - unavailable: the store did not answer; retry later, keep the data.
 * - rejected: the store refused the data itself; retrying the same rows will fail again.
 * - query: a bad statement or parameter (a bug, or a bad value that slipped past validation).
 * - cancelled: the caller aborted.
 */
export type StoreErrorKind = 'unavailable' | 'rejected' | 'query' | 'cancelled'

export class StoreError extends Error {
  override readonly name = 'StoreError'
  constructor(
    readonly kind: StoreErrorKind,
    message: string,
    readonly clickhouseCode?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options)
  }
}

/** ClickHouse error codes that mean "these rows are bad", so the batch should be split, not retried. */
const DATA_ERROR_CODES = new Set([
  '6', // CANNOT_PARSE_TEXT
  '26', // CANNOT_PARSE_QUOTED_STRING
  '27', // CANNOT_PARSE_INPUT_ASSERTION_FAILED
  '38', // CANNOT_PARSE_DATE
  '41', // CANNOT_PARSE_DATETIME
  '53', // TYPE_MISMATCH
  '69', // ARGUMENT_OUT_OF_BOUND
  '70', // CANNOT_CONVERT_TYPE
  '72', // CANNOT_PARSE_NUMBER
  '117', // INCORRECT_DATA
  '131', // TOO_LARGE_STRING_SIZE
])

/** Codes that mean "try again later": timeouts, network, overload, memory, too many parts or queries. */
const UNAVAILABLE_CODES = new Set(['159', '202', '209', '210', '241', '242', '252', '394'])

export function toStoreError(error: unknown, signal?: AbortSignal): StoreError {
  if (error instanceof StoreError) return error
  if (signal?.aborted) return new StoreError('cancelled', 'the query was cancelled', undefined, { cause: error })
  const err = error as { code?: unknown; clickhouseCode?: unknown; message?: unknown; name?: unknown }
  const message = typeof err?.message === 'string' ? err.message : String(error)
  // chDB's own errors carry the engine's code as clickhouseCode; @clickhouse/client's carry it as code.
  const engineCode = err?.clickhouseCode ?? err?.code
  const code = typeof engineCode === 'string' || typeof engineCode === 'number' ? String(engineCode) : undefined
  if (err?.name === 'AbortError') return new StoreError('cancelled', message, code, { cause: error })
  if (code && /^\d+$/.test(code)) {
    if (DATA_ERROR_CODES.has(code)) return new StoreError('rejected', message, code, { cause: error })
    if (UNAVAILABLE_CODES.has(code)) return new StoreError('unavailable', message, code, { cause: error })
    return new StoreError('query', message, code, { cause: error })
  }
  // Socket-level failures (ECONNREFUSED, ECONNRESET, timeouts) carry no ClickHouse code.
  return new StoreError('unavailable', message, code, { cause: error })
}
