import { readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { type Column, loadQueries, type NamedQuery, QUERIES_DIR } from './queries.ts'

export const CATALOGUE_FILE = join(dirname(fileURLToPath(import.meta.url)), 'catalogue.ts')

/**
 * The TypeScript type of a ClickHouse type, as a parameter the client sends or as a JSON value the store reads
 * (64-bit integers arrive as numbers: the store turns their quoting off).
 */
export function typeScriptType(type: string, use: 'param' | 'row'): string {
  const wrapped = /^(\w+)\((.*)\)$/s.exec(type)
  const [kind, inner] = wrapped ? [wrapped[1] as string, wrapped[2] as string] : [type, '']
  if (/^U?Int(8|16|32|64)$|^Float(32|64)$/.test(kind)) return 'number'
  if (/^(String|FixedString|UUID|Date|Date32|DateTime|DateTime64|IPv4|IPv6)$/.test(kind)) return 'string'
  if (kind === 'Bool') return 'boolean'
  if (kind === 'LowCardinality') return typeScriptType(inner, use)
  if (kind === 'Nullable') return `${typeScriptType(inner, use)} | null`
  if (kind === 'Array') {
    const element = typeScriptType(inner, use)
    const item = element.includes('|') ? `(${element})` : element
    return use === 'param' ? `readonly ${item}[]` : `${item}[]`
  }
  if (kind === 'Enum8' || kind === 'Enum16') {
    const labels = [...inner.matchAll(/'((?:[^'\\]|\\.)*)'\s*=/g)].map((match) => `'${match[1]}'`)
    if (labels.length > 0) return labels.join(' | ')
  }
  throw new Error(`no TypeScript type for the ClickHouse type ${type}`)
}

/** The catalogue module's text for these queries. */
export function renderCatalogue(queries: ReadonlyMap<string, NamedQuery>): string {
  const lines = [
    '// Generated from the headers of sql/queries/**/*.sql by `pnpm sql:catalogue`: edit those and run it again.',
    '// sql/src/catalogue.test.ts fails when this file is stale, or when a header says what the engine does not.',
    '',
    '/** Every named query: the parameters it takes and the row it returns. */',
    'export interface QueryCatalogue {',
  ]
  for (const query of [...queries.values()].sort((a, b) => a.name.localeCompare(b.name))) {
    lines.push(`  /** ${docText(query.description)} (\`${query.file}\`) */`)
    lines.push(`  ${query.name}: {`)
    const params = [...query.params.values()]
    if (params.length === 0) lines.push('    params: Record<string, never>')
    else lines.push('    params: {', ...properties(params, 'param'), '    }')
    if (!query.row) throw new Error(`query ${query.name} (${query.file}) has no "-- row:" line: run with --rows`)
    lines.push('    row: {', ...properties(query.row, 'row'), '    }')
    lines.push('  }')
  }
  lines.push('}', '')
  return lines.join('\n')
}

function properties(columns: readonly Column[], use: 'param' | 'row'): string[] {
  return columns.flatMap((column) => [
    ...(column.note && !column.values ? [`      /** ${docText(column.note)} */`] : []),
    `      ${column.name}: ${column.values ? column.values.map((value) => `'${value}'`).join(' | ') : typeScriptType(column.type, use)}`,
  ])
}

function docText(text: string): string {
  return text.replaceAll('*/', '*\\/')
}

/** Rewrites a query file's `-- row:` line (added after `-- params:` when missing) to list these columns. */
export function withRowHeader(text: string, columns: readonly { name: string; type: string }[]): string {
  const declaration = columns.map((column) => `${column.name} ${column.type}`).join(', ')
  const lines = text.split('\n')
  const header = lines.findIndex((line) => !line.startsWith('--'))
  const block = lines.slice(0, header < 0 ? lines.length : header)
  const rest = header < 0 ? [] : lines.slice(header)
  const rowAt = block.findIndex((line) => line.startsWith('-- row:'))
  const continued = (from: number) => {
    let end = from + 1
    while (end < block.length && /^--\s{2,}\S/.test(block[end] as string)) end++
    return end
  }
  const rowLines = wrap(`-- row: ${declaration}`)
  if (rowAt >= 0) block.splice(rowAt, continued(rowAt) - rowAt, ...rowLines)
  else {
    const paramsAt = block.findIndex((line) => line.startsWith('-- params:'))
    block.splice(paramsAt < 0 ? block.length : continued(paramsAt), 0, ...rowLines)
  }
  return [...block, ...rest].join('\n')
}

/** A header line cut at top-level commas to stay within 120 characters, continued on indented lines. */
function wrap(line: string): string[] {
  const out: string[] = []
  let current = ''
  for (const part of line.split(/(?<=,) /)) {
    if (current && `${current} ${part}`.length > 120) {
      out.push(current)
      current = `--      ${part}`
    } else current = current ? `${current} ${part}` : part
  }
  out.push(current)
  return out
}

async function main(): Promise<void> {
  const printAt = process.argv.indexOf('--print')
  if (printAt >= 0) {
    const name = process.argv[printAt + 1] ?? ''
    const query = loadQueries().get(name)
    if (!query) throw new Error(`no query ${name}`)
    console.log(query.sql)
    return
  }
  if (process.argv.includes('--rows')) {
    // Fills each `-- row:` line in from what the engine reports, on a fresh temporary store: for a new query, or
    // after a change; the diff is then reviewed like any other.
    const { openTempStore } = await import('./test-support.ts')
    const { sampleParams } = await import('./catalogue-check.ts')
    const temp = await openTempStore('trendlens-catalogue-')
    try {
      for (const query of loadQueries().values()) {
        const path = join(QUERIES_DIR, query.file)
        const columns = await temp.store.outputColumns(query.sql, sampleParams(query))
        writeFileSync(path, withRowHeader(readFileSync(path, 'utf8'), columns))
      }
    } finally {
      await temp.dispose()
    }
  }
  writeFileSync(CATALOGUE_FILE, renderCatalogue(loadQueries()))
  console.log(`wrote ${CATALOGUE_FILE}`)
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main()
