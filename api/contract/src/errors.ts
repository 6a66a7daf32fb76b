/** Stable machine-readable error codes; the message is for humans and may change. */
export type ErrorCode =
  | 'invalid_parameter'
  | 'invalid_body'
  | 'unauthorized'
  | 'unknown_host'
  | 'forbidden_origin'
  | 'unsupported_media_type'
  | 'request_too_large'
  | 'bad_request'
  | 'too_many_connections'
  | 'not_found'
  | 'export_too_large'
  | 'too_many_exports'
  | 'store_unavailable'
  | 'ingest_not_ready'
  | 'starting'
  | 'query_timeout'
  | 'cancelled'
  | 'internal'

/** The one error body every route returns. */
export interface ErrorBody {
  code: ErrorCode
  message: string
  requestId: string
  /** The offending query parameter, body field or header (`Host`, `Origin`, `Content-Type`). */
  parameter?: string
}
