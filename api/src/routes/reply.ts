import type { Context, TypedResponse } from 'hono'
import type { JSONParsed } from 'hono/utils/types'
import type { AppEnv } from '../context.ts'
import { jsonBody } from '../reports/table.ts'

/**
 * Sends a report as JSON, reusing its serialised text when the same cached report is sent again. Typed like
 * `c.json(report, 200)`, so a route's declared response schema checks the report it sends.
 */
export function reply<Report extends object>(
  c: Context<AppEnv>,
  report: Report,
): Response & TypedResponse<JSONParsed<Report>, 200, 'json'> {
  return c.body(jsonBody(report), 200, { 'Content-Type': 'application/json' }) as unknown as Response &
    TypedResponse<JSONParsed<Report>, 200, 'json'>
}
