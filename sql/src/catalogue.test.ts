import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sampleParams } from './catalogue-check.ts'
import { CATALOGUE_FILE, renderCatalogue, typeScriptType } from './catalogue-generator.ts'
import { loadQueries, parseFragment, parseQuery } from './queries.ts'
import type { Store } from './store.ts'
import { openTempStore } from './test-support.ts'

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

describe('fragments', () => {
  const fragments = new Map([
    [
      'in_regions',
      parseFragment(
        'in_regions',
        '-- The filter.\n-- args: region_column, country_column\nempty({regions:Array(String)}) OR region_column IN {regions:Array(String)} OR country_column IN {regions:Array(String)}\n',
      ),
    ],
  ])
  const header = '-- params: regions Array(String)\n-- row: n UInt64\n'

  it('expand in place with their columns, and bring their parameters to the query', () => {
    const query = parseQuery(
      'q',
      `${header}SELECT count() AS n FROM t WHERE x AND {{ in_regions(first_region, country_column) }}`,
      'q.sql',
      fragments,
    )
    expect(query.sql).toBe(
      `${header}SELECT count() AS n FROM t WHERE x AND (empty({regions:Array(String)}) OR first_region IN {regions:Array(String)} OR country_column IN {regions:Array(String)})`.trim(),
    )
    expect([...query.params.keys()]).toEqual(['regions'])
  })

  it('refuse an unknown fragment, a wrong number of columns, or an expression where a column goes', () => {
    const use = (text: string) => () => parseQuery('q', `${header}SELECT 1 AS n WHERE ${text}`, 'q.sql', fragments)
    expect(use('{{ in_region(region, country) }}')).toThrow(/no fragment in_region/)
    expect(use('{{ in_regions(region) }}')).toThrow(/takes 2 arguments/)
    expect(use("{{ in_regions(region, 'CN') }}")).toThrow(/takes column names|not a fragment use/)
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
