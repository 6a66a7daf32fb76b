import { readdirSync, readFileSync } from 'node:fs'
import { basename, dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'

/** A typed column or parameter: its name, its ClickHouse type, and the header's note on it (without parentheses). */
export interface Column {
  name: string
  type: string
  note: string
  /** The values a String parameter may take, when its note lists them: `('hour' | 'day')`. */
  values?: readonly string[]
}

const VALUE_LIST = /^'[^']*'(\s*\|\s*'[^']*')+$/

/**
 * Named queries live in sql/queries/<role>/<name>.sql, one per file, names unique across folders. Every value is a
 * typed server-side parameter `{name:Type}`. The header declares the parameters (`-- params:`) and the output
 * columns (`-- row:`); the loader checks the declared parameters against the ones the SQL uses, so a header cannot
 * drift from its query, and a call that misses one fails before it reaches the engine. An expression several
 * queries share is a fragment (sql/fragments/<name>.sql), written `{{ name(column, …) }}` where it is used.
 */
export interface NamedQuery {
  name: string
  /** The file, relative to the queries folder (`api/api_tag_top.sql`). */
  file: string
  /** The header's prose before the declarations. */
  description: string
  /** The SQL sent to the engine, fragments expanded. */
  sql: string
  params: ReadonlyMap<string, Column>
  /** Undefined until the `-- row:` line is written; the catalogue refuses such a query. */
  row: readonly Column[] | undefined
}

/**
 * An expression several queries share, with the columns it applies to as arguments. Its `{name:Type}` parameters
 * become the using query's (and its header must declare them). Expanded when queries load, so each value stays a
 * typed parameter and nothing is stored in the engine.
 */
export interface Fragment {
  name: string
  args: readonly string[]
  sql: string
}

export const QUERIES_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'queries')
const FRAGMENTS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'fragments')
const FRAGMENT_USE = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\(([^(){}]*)\)\s*\}\}/g
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/
const PARAM_PATTERN = /\{([A-Za-z_][A-Za-z0-9_]*):([^}]+)\}/g
const DECLARATION = /^--\s(params|row):\s*(.*)$/
const CONTINUATION = /^--\s{2,}(\S.*)$/

export function parseQuery(
  name: string,
  source: string,
  file = `${name}.sql`,
  fragments: ReadonlyMap<string, Fragment> = loadFragments(),
): NamedQuery {
  const fail = (message: string): never => {
    throw new Error(`query ${name} (${file}): ${message}`)
  }
  const text = expandFragments(source, fragments, fail)
  const header = readHeader(text)
  if (header.params === undefined) fail('the header needs a "-- params:" line ("-- params: none" when it takes none)')
  const declared = header.params === 'none' ? [] : parseColumns(header.params ?? '', fail)
  const row = header.row === undefined ? undefined : parseColumns(header.row, fail)

  const used = new Map<string, string>()
  for (const match of text.matchAll(PARAM_PATTERN)) {
    const [, param, type] = match as unknown as [string, string, string]
    const known = used.get(param)
    if (known !== undefined && known !== type) fail(`parameter ${param} is used as both ${known} and ${type}`)
    used.set(param, type)
  }
  const params = new Map<string, Column>()
  for (const column of declared) {
    const type = used.get(column.name)
    if (type === undefined) fail(`the header declares ${column.name}, which the SQL does not use`)
    if (type !== column.type) fail(`the header declares ${column.name} ${column.type}, the SQL uses ${type}`)
    params.set(column.name, column)
  }
  const undeclared = [...used.keys()].filter((param) => !params.has(param))
  if (undeclared.length > 0) fail(`the header does not declare ${undeclared.join(', ')}`)
  const names = (row ?? []).map((column) => column.name)
  const repeated = names.filter((column, i) => names.indexOf(column) !== i)
  if (repeated.length > 0) fail(`the row declares ${repeated.join(', ')} twice`)

  return { name, file, description: header.description, sql: text.trim().replace(/;\s*$/, ''), params, row }
}

/** Every query under `dir`, by name; a name used twice (in two folders) is refused. */
export function loadQueries(
  dir: string = QUERIES_DIR,
  fragments: ReadonlyMap<string, Fragment> = loadFragments(),
): ReadonlyMap<string, NamedQuery> {
  const queries = new Map<string, NamedQuery>()
  for (const path of sqlFiles(dir)) {
    const name = basename(path, '.sql')
    const file = relative(dir, path)
    const other = queries.get(name)
    if (other) throw new Error(`query ${name} is defined twice: ${other.file} and ${file}`)
    queries.set(name, parseQuery(name, readFileSync(path, 'utf8'), file, fragments))
  }
  return queries
}

/** A fragment file: its header's `-- args:` line names the columns it takes; the rest (comments aside) is its SQL. */
export function parseFragment(name: string, text: string): Fragment {
  const lines = text.split('\n')
  const argsLine = lines.find((line) => line.startsWith('-- args:'))
  const args = (argsLine ?? '')
    .slice('-- args:'.length)
    .split(',')
    .map((arg) => arg.trim())
    .filter(Boolean)
  const bad = args.filter((arg) => !IDENTIFIER.test(arg))
  if (bad.length > 0) throw new Error(`fragment ${name}: arguments must be identifiers: ${bad.join(', ')}`)
  const sql = lines
    .filter((line) => !line.trimStart().startsWith('--'))
    .join('\n')
    .trim()
  if (sql === '') throw new Error(`fragment ${name} has no SQL`)
  return { name, args, sql }
}

function loadFragments(dir: string = FRAGMENTS_DIR): ReadonlyMap<string, Fragment> {
  const fragments = new Map<string, Fragment>()
  for (const path of sqlFiles(dir)) {
    const name = basename(path, '.sql')
    fragments.set(name, parseFragment(name, readFileSync(path, 'utf8')))
  }
  return fragments
}

/**
 * Replaces each `{{ name(a, b) }}` by the fragment's SQL in parentheses, its argument names replaced by the given
 * columns (whole words only).
 */
function expandFragments(text: string, fragments: ReadonlyMap<string, Fragment>, fail: (m: string) => never): string {
  const expanded = text.replace(FRAGMENT_USE, (_use, name: string, list: string) => {
    const fragment = fragments.get(name) ?? fail(`no fragment ${name} in sql/fragments`)
    const given = list
      .split(',')
      .map((arg) => arg.trim())
      .filter(Boolean)
    if (given.length !== fragment.args.length) {
      fail(
        `fragment ${name} takes ${fragment.args.length} arguments (${fragment.args.join(', ')}), given ${given.length}`,
      )
    }
    const bad = given.filter((arg) => !IDENTIFIER.test(arg))
    if (bad.length > 0) fail(`fragment ${name} takes column names, given ${bad.join(', ')}`)
    if (fragment.args.length === 0) return `(${fragment.sql})`
    const column = new Map(fragment.args.map((arg, i) => [arg, given[i] as string]))
    const argNames = new RegExp(`\\b(${fragment.args.join('|')})\\b`, 'g')
    return `(${fragment.sql.replace(argNames, (arg) => column.get(arg) ?? arg)})`
  })
  if (expanded.includes('{{')) fail('a "{{" that is not a fragment use {{ name(column, …) }}')
  return expanded
}

/** The same check the type checker makes, at run time: every parameter given, none unknown, each of its kind. */
export function checkParams(query: NamedQuery, values: Record<string, unknown>): void {
  const missing = [...query.params.keys()].filter((p) => values[p] === undefined)
  const unknown = Object.keys(values).filter((p) => !query.params.has(p))
  const mistyped = [...query.params.values()]
    .filter((param) => values[param.name] !== undefined && !fits(values[param.name], param))
    .map((param) => `${param.name} (${param.values ? param.note : param.type})`)
  const problems = [
    missing.length ? `missing parameters ${missing.join(', ')}` : '',
    unknown.length ? `unknown parameters ${unknown.join(', ')}` : '',
    mistyped.length ? `parameters of the wrong type ${mistyped.join(', ')}` : '',
  ].filter(Boolean)
  if (problems.length > 0) throw new Error(`query ${query.name}: ${problems.join('; ')}`)
}

function fits(value: unknown, param: Column): boolean {
  return param.values ? param.values.includes(value as string) : fitsType(value, param.type)
}

/** Whether a value can be sent as a parameter of this type; types it does not know are left to the engine. */
function fitsType(value: unknown, type: string): boolean {
  const array = /^Array\((.*)\)$/.exec(type)
  if (array) return Array.isArray(value) && value.every((item) => fitsType(item, array[1] as string))
  if (/^U?Int\d+$/.test(type))
    return (typeof value === 'number' && Number.isInteger(value)) || typeof value === 'bigint'
  if (/^Float\d+$/.test(type)) return typeof value === 'number'
  if (type === 'String') return typeof value === 'string'
  return true
}

function sqlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((entry) => {
      const path = join(dir, entry.name)
      if (entry.isDirectory()) return sqlFiles(path)
      return entry.name.endsWith('.sql') ? [path] : []
    })
}

/** The leading comment block: prose, then `-- params:` and `-- row:` lines, each continued on indented lines. */
function readHeader(text: string): { description: string; params?: string; row?: string } {
  const prose: string[] = []
  const declarations: Partial<Record<'params' | 'row', string>> = {}
  let current: 'params' | 'row' | undefined
  for (const line of text.split('\n')) {
    if (!line.startsWith('--')) break
    const declaration = DECLARATION.exec(line)
    const continuation = CONTINUATION.exec(line)
    if (declaration) {
      current = declaration[1] as 'params' | 'row'
      declarations[current] = (declaration[2] ?? '').trim()
    } else if (continuation && current) {
      declarations[current] = `${declarations[current]} ${continuation[1]}`
    } else {
      current = undefined
      if (declarations.params === undefined && declarations.row === undefined) prose.push(line.replace(/^--\s?/, ''))
    }
  }
  return { description: prose.join(' ').trim(), ...declarations }
}

/**
 * `name Type (note), name Type, …`: a type is a word with its own parentheses right after it (`Array(String)`,
 * `Enum8('a' = 1)`); a note is a parenthesised remark after a space.
 */
function parseColumns(list: string, fail: (message: string) => never): Column[] {
  const columns = splitTopLevel(list, ',').map((item) => {
    const match = /^([A-Za-z_][A-Za-z0-9_]*)\s+([A-Za-z][A-Za-z0-9_]*)(.*)$/.exec(item.trim())
    if (!match) return fail(`cannot read "${item.trim()}" as "name Type"`)
    const [, name, word, rest] = match as unknown as [string, string, string, string]
    let type = word
    let remainder = rest
    if (remainder.startsWith('(')) {
      const end = closingParen(remainder)
      if (end < 0) return fail(`unbalanced parentheses in "${item.trim()}"`)
      type += remainder.slice(0, end + 1)
      remainder = remainder.slice(end + 1)
    }
    remainder = remainder.trim()
    if (remainder !== '' && !(remainder.startsWith('(') && closingParen(remainder) === remainder.length - 1)) {
      return fail(`"${remainder}" after ${name} ${type} is neither a type nor a parenthesised note`)
    }
    const note = remainder.slice(1, -1).trim()
    if (type === 'String' && VALUE_LIST.test(note)) {
      return { name, type, note, values: note.split('|').map((value) => value.trim().slice(1, -1)) }
    }
    return { name, type, note }
  })
  // `from Int64, to Int64 (epoch ms)`: a note speaks for the run of same-typed columns before it that have none;
  // a list of values speaks only for its own.
  for (let i = columns.length - 2; i >= 0; i--) {
    const column = columns[i] as Column
    const next = columns[i + 1] as Column
    if (column.note === '' && column.type === next.type && !next.values) column.note = next.note
  }
  return columns
}

function splitTopLevel(text: string, separator: string): string[] {
  const parts: string[] = []
  let depth = 0
  let quoted = false
  let start = 0
  for (let i = 0; i < text.length; i++) {
    const char = text[i]
    if (char === "'") quoted = !quoted
    else if (quoted) continue
    else if (char === '(') depth++
    else if (char === ')') depth--
    else if (char === separator && depth === 0) {
      parts.push(text.slice(start, i))
      start = i + 1
    }
  }
  parts.push(text.slice(start))
  return parts.filter((part) => part.trim() !== '')
}

/** The index of the parenthesis closing the one at index 0, quotes respected; -1 when unbalanced. */
function closingParen(text: string): number {
  let depth = 0
  let quoted = false
  for (let i = 0; i < text.length; i++) {
    const char = text[i]
    if (char === "'") quoted = !quoted
    else if (quoted) continue
    else if (char === '(') depth++
    else if (char === ')' && --depth === 0) return i
  }
  return -1
}
