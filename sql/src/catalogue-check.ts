import type { NamedQuery } from './queries.ts'

/**
 * Parameter values any query accepts, for running it on an empty store to see its output columns: numbers 1,
 * strings 'UTC' (a valid zone for the `tz` parameters; any other string parameter takes it as a plain value) or the
 * first value their header lists, empty arrays.
 */
export function sampleParams(query: NamedQuery): Record<string, unknown> {
  const values: Record<string, unknown> = {}
  for (const { name, type, values: allowed } of query.params.values()) {
    if (allowed) values[name] = allowed[0]
    else if (type.startsWith('Array(')) values[name] = []
    else if (/^(String|LowCardinality\(String\))$/.test(type)) values[name] = 'UTC'
    else if (/^U?Int\d+$|^Float\d+$/.test(type)) values[name] = 1
    else throw new Error(`query ${query.name}: no sample value for ${name} ${type}`)
  }
  return values
}
