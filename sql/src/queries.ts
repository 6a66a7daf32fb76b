import { readdirSync, readFileSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

/**
 * Named queries live in sql/queries/<name>.sql, one per file. Every value is a typed server-side parameter
 * `{name:Type}`; the loader records which parameters a query takes so a call that misses one fails before it
 * reaches the engine.
 */
export interface NamedQuery {
  name: string
  sql: string
  params: ReadonlyMap<string, string>
}

const QUERIES_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'queries')
const PARAM_PATTERN = /\{([A-Za-z_][A-Za-z0-9_]*):([^}]+)\}/g

export function parseQuery(name: string, sql: string): NamedQuery {
  const params = new Map<string, string>()
  for (const match of sql.matchAll(PARAM_PATTERN)) {
    const [, param, type] = match as unknown as [string, string, string]
    const known = params.get(param)
    if (known !== undefined && known !== type) {
      throw new Error(`query ${name}: parameter ${param} is declared as both ${known} and ${type}`)
    }
    params.set(param, type)
  }
  return { name, sql: sql.trim().replace(/;\s*$/, ''), params }
}

export function loadQueries(dir: string = QUERIES_DIR): ReadonlyMap<string, NamedQuery> {
  const queries = new Map<string, NamedQuery>()
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.sql'))) {
    const name = basename(file, '.sql')
    queries.set(name, parseQuery(name, readFileSync(join(dir, file), 'utf8')))
  }
  return queries
}

export function checkParams(query: NamedQuery, values: Record<string, unknown>): void {
  const missing = [...query.params.keys()].filter((p) => values[p] === undefined)
  const unknown = Object.keys(values).filter((p) => !query.params.has(p))
  if (missing.length > 0 || unknown.length > 0) {
    throw new Error(
      `query ${query.name}: ${missing.length ? `missing parameters ${missing.join(', ')}` : ''}${
        missing.length && unknown.length ? '; ' : ''
      }${unknown.length ? `unknown parameters ${unknown.join(', ')}` : ''}`,
    )
  }
}
