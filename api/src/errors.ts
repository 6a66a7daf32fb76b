import type { ErrorBody, ErrorCode } from '@trendlens/contract'
import { StoreError } from '@trendlens/sql'
import type { ContentfulStatusCode } from 'hono/utils/http-status'

export class ApiError extends Error {
  override readonly name = 'ApiError'
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: ErrorCode,
    message: string,
    readonly parameter?: string,
  ) {
    super(message)
  }

  body(requestId: string): ErrorBody {
    const body: ErrorBody = { code: this.code, message: this.message, requestId }
    if (this.parameter !== undefined) body.parameter = this.parameter
    return body
  }
}

export function invalidParameter(parameter: string, message: string): ApiError {
  return new ApiError(400, 'invalid_parameter', message, parameter)
}

export function invalidBody(field: string, message: string): ApiError {
  return new ApiError(400, 'invalid_body', message, field)
}

export function notFound(message: string): ApiError {
  return new ApiError(404, 'not_found', message)
}

export function queryTimeout(): ApiError {
  return new ApiError(504, 'query_timeout', 'the query took longer than the configured limit (QUERY_TIMEOUT_MS)')
}

/**
 * Maps any thrown value to the error the client sees. Store failures keep their meaning (503 when the store is
 * down, 504 when the query outlived its budget); anything unexpected is a 500 whose details stay in the log.
 */
export function toApiError(error: unknown, timedOut: boolean): ApiError {
  if (error instanceof ApiError) return error
  if (error instanceof StoreError) {
    if (error.kind === 'cancelled' && timedOut) return queryTimeout()
    if (error.kind === 'cancelled') return new ApiError(503, 'cancelled', 'the request was cancelled')
    if (error.kind === 'unavailable') {
      return new ApiError(503, 'store_unavailable', 'the analytics store is not reachable; try again shortly')
    }
  }
  return new ApiError(500, 'internal', 'internal error; the request id identifies it in the server log')
}
