import { z } from 'zod'

/** Stable machine-readable error codes; the message is for humans and may change. */
const ERROR_CODES = [
  'invalid_parameter',
  'invalid_body',
  'unauthorized',
  'unknown_host',
  'forbidden_origin',
  'unsupported_media_type',
  'request_too_large',
  'bad_request',
  'too_many_connections',
  'not_found',
  'export_too_large',
  'too_many_exports',
  'store_unavailable',
  'ingest_not_ready',
  'starting',
  'query_timeout',
  'cancelled',
  'internal',
] as const
export type ErrorCode = (typeof ERROR_CODES)[number]

/** The one error body every route returns. */
export const errorBody = z
  .object({
    code: z.enum(ERROR_CODES),
    message: z.string(),
    requestId: z.string().meta({ description: 'Also sent as the X-Request-Id header; the server log names it' }),
    parameter: z
      .string()
      .optional()
      .meta({ description: 'The offending query parameter, body field or header (Host, Origin, Content-Type)' }),
  })
  .meta({ id: 'Error', description: 'The one error body: a stable code, a message for humans, the request id' })
export type ErrorBody = z.infer<typeof errorBody>
