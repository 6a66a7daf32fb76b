import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sampleParams } from './catalogue-check.ts'
import { CATALOGUE_FILE, renderCatalogue, typeScriptType } from './catalogue-generator.ts'
import { loadQueries, parseQuery } from './queries.ts'
import type { Store } from './store.ts'
import { openTempStore } from './testing.ts'

const queries = loadQueries()

describe('the query catalogue', () => {
  it('is what the generator writes from the query headers today (run `pnpm sql:catalogue` when not)', () => {
    expect(readFileSync(CATALOGUE_FILE, 'utf8')).toBe(renderCatalogue(queries))
  })

  it('keeps one folder per role', () => {
    const roles = new Set([...queries.values()].map((query) => query.file.split('/')[0]))
    expect([...roles].sort()).toEqual(['api', 'bench', 'checks', 'ingest', 'migrate'])
  })
})

describe('query headers', () => {
  const body = 'SELECT {from:Int64} AS a, {tags:Array(String)} AS b'

  it('read parameters with their notes, and the row', () => {
    const query = parseQuery(
      'q',
      `-- What it does.\n-- params: from Int64 (epoch ms),\n--         tags Array(String) (empty: all)\n-- row: a Int64, b Array(String)\n${body}`,
    )
    expect(query.description).toBe('What it does.')
    expect([...query.params.values()]).toEqual([
      { name: 'from', type: 'Int64', note: 'epoch ms' },
      { name: 'tags', type: 'Array(String)', note: 'empty: all' },
    ])
    expect(query.row).toEqual([
      { name: 'a', type: 'Int64', note: '' },
      { name: 'b', type: 'Array(String)', note: '' },
    ])
  })

  it('refuse a header that disagrees with the SQL it heads', () => {
    const row = '-- row: a Int64, b Array(String)'
    expect(() => parseQuery('q', `-- params: from Int64\n${row}\n${body}`)).toThrow(/does not declare tags/)
    expect(() => parseQuery('q', `-- params: from Int64, tags Array(String), to Int64\n${row}\n${body}`)).toThrow(
      /declares to, which the SQL does not use/,
    )
    expect(() => parseQuery('q', `-- params: from UInt64, tags Array(String)\n${row}\n${body}`)).toThrow(
      /declares from UInt64, the SQL uses Int64/,
    )
    expect(() => parseQuery('q', `${row}\n${body}`)).toThrow(/needs a "-- params:" line/)
  })

  it('map engine types to the TypeScript the store returns', () => {
    expect(typeScriptType('UInt64', 'row')).toBe('number')
    expect(typeScriptType('LowCardinality(String)', 'row')).toBe('string')
    expect(typeScriptType("Enum8('view' = 1, 'post' = 2)", 'row')).toBe("'view' | 'post'")
    expect(typeScriptType('Array(Nullable(String))', 'row')).toBe('(string | null)[]')
    expect(typeScriptType('Array(String)', 'param')).toBe('readonly string[]')
    expect(() => typeScriptType('Map(String, UInt64)', 'row')).toThrow(/no TypeScript type/)
  })
})

describe('every named query on the engine', () => {
  let store: Store
  let dispose: () => Promise<void>
  beforeAll(async () => {
    ;({ store, dispose } = await openTempStore())
  })
  afterAll(async () => dispose())

  // The declared row is what the type checker trusts; here the engine says whether it is true.
  it.each([...queries.keys()])('%s returns the columns and types its header declares', async (name) => {
    const query = queries.get(name)
    if (!query) throw new Error(`no query ${name}`)
    const columns = await store.outputColumns(query.sql, sampleParams(query))
    expect(columns).toEqual((query.row ?? []).map(({ name, type }) => ({ name, type })))
  })
})
