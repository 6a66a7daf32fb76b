import type { Context } from 'hono'
import type { AppEnv } from '../context.ts'
import { jsonBody } from '../reports/table.ts'

/** Sends a report as JSON, reusing its serialised text when the same cached report is sent again. */
export function reply(c: Context<AppEnv>, report: object): Response {
  return c.body(jsonBody(report), 200, { 'Content-Type': 'application/json' })
}
