import { mkdirSync, writeFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { Readable } from 'node:stream'
import { type ClickHouseClient, type ClickHouseSettings, createClient } from '@clickhouse/client'
import { Session } from 'chdb'
import { type ChdbConnection, createChdbConnection } from 'chdb/connection'
import type { QueryCatalogue } from './catalogue.ts'
import { toStoreError } from './errors.ts'
import { checkParams, loadQueries, type NamedQuery } from './queries.ts'

export interface StoreOptions {
  /** A ClickHouse server's HTTP URL. Unset: the embedded engine (chDB) keeps data in `dataPath`. */
  url?: string | undefined
  username?: string | undefined
  password?: string | undefined
  database?: string | undefined
  dataPath: string
  requestTimeoutMs: number
}

export type StoreBackend = 'embedded' | 'server'

/** Interactive reads stay quick; bulk reads (exports) and writes run on their own connections. */
export type Lane = 'interactive' | 'bulk'

/** One event as stored in events_v1. `ts` is epoch milliseconds, UTC. */
export interface StoredEvent {
  id: string
  type: 'view' | 'post' | 'comment' | 'ip_region'
  ts: number
  user_id: string
  note_id: string
  hashtags: string[]
  region: string
  country: string
  lang: string
}

export type QueryName = keyof QueryCatalogue
export type QueryParams<Name extends QueryName> = QueryCatalogue[Name]['params']
export type QueryRow<Name extends QueryName> = QueryCatalogue[Name]['row']

type KeysOfAny<T> = T extends unknown ? keyof T : never
/**
 * The parameters a call passes, held to exactly the query's: a key the query does not take is an error even when
 * the object was built before the call (where TypeScript's excess-property check does not reach).
 */
export type ExactParams<Name extends QueryName, Given> = Given &
  Record<Exclude<keyof Given, KeysOfAny<QueryParams<Name>>>, never>

const DEDUP_TOKEN_PATTERN = /^[A-Za-z0-9_.:=\-/]{1,256}$/

/** Both backends return 64-bit integers as JSON numbers; every count the product serves fits in 2^53. */
const READ_SETTINGS: ClickHouseSettings = {
  output_format_json_quote_64bit_integers: 0,
  date_time_output_format: 'iso',
}

/**
 * The embedded engine's server configuration, for a product that sits idle most of the time next to a live feed of a
 * few events a second. ClickHouse's defaults size caches for a dedicated server (5 GiB each) and merge a partition's
 * newest parts as soon as about six are there: with a part every few seconds, that rewrote the live month's rollups
 * every half minute, most of the idle CPU. With a base of 20 the small parts wait until a score of them is there.
 * The caches keep what a dashboard reads at 100M events (every table's marks take a few MiB).
 */
export const EMBEDDED_ENGINE_CONFIG = `<clickhouse>
  <mark_cache_size>${64 * 1024 * 1024}</mark_cache_size>
  <index_mark_cache_size>${16 * 1024 * 1024}</index_mark_cache_size>
  <primary_index_cache_size>${64 * 1024 * 1024}</primary_index_cache_size>
  <query_condition_cache_size>${16 * 1024 * 1024}</query_condition_cache_size>
  <compiled_expression_cache_size>${16 * 1024 * 1024}</compiled_expression_cache_size>
  <merge_tree>
    <merge_selector_base>20</merge_selector_base>
  </merge_tree>
</clickhouse>
`

/** The file the embedded engine reads its configuration from, kept next to its data so a reader can see it. */
const EMBEDDED_ENGINE_CONFIG_FILE = 'engine-config.xml'

export class Store {
  readonly backend: StoreBackend
  private readonly queries: ReadonlyMap<string, NamedQuery>
  private readonly options: StoreOptions
  private readonly interactive: ClickHouseClient
  private readonly bulk: ClickHouseClient
  private readonly writer: ClickHouseClient
  /** The embedded writer's connection: its raw insert hands the bytes to the engine's parallel parser. */
  private readonly embeddedWriter: ChdbConnection | undefined
  /** The embedded engine's first connection, which starts it with EMBEDDED_ENGINE_CONFIG; held until close. */
  private readonly embeddedEngine: Session | undefined

  private constructor(options: StoreOptions, queries: ReadonlyMap<string, NamedQuery>) {
    this.queries = queries
    this.options = options
    this.backend = options.url ? 'server' : 'embedded'
    const readOnly: ClickHouseSettings = { ...READ_SETTINGS, readonly: '2' }
    // The engine takes its configuration from the connection that starts it; the others share that engine.
    this.embeddedEngine = options.url ? undefined : startEmbeddedEngine(options.dataPath)
    this.interactive = makeClient(options, readOnly)
    this.bulk = makeClient(options, readOnly)
    this.embeddedWriter = options.url ? undefined : createChdbConnection({ path: options.dataPath })
    this.writer = makeClient(options, READ_SETTINGS, this.embeddedWriter)
  }

  static open(options: StoreOptions): Store {
    if (!options.url) mkdirSync(options.dataPath, { recursive: true })
    return new Store(options, loadQueries())
  }

  queryNames(): string[] {
    return [...this.queries.keys()]
  }

  /**
   * Runs a named query from sql/queries with typed parameters; rows come back as JSON objects. Name, parameters and
   * row type come from the query catalogue, so a wrong call fails the type check; the parameters are checked again
   * here, for callers the compiler cannot see.
   */
  async query<Name extends QueryName, Given extends QueryParams<Name>>(
    name: Name,
    params: ExactParams<Name, Given>,
    options: { signal?: AbortSignal; lane?: Lane } = {},
  ): Promise<QueryRow<Name>[]> {
    const query = this.namedQuery(name, params)
    const client = options.lane === 'bulk' ? this.bulk : this.interactive
    try {
      const result = await client.query({
        query: query.sql,
        query_params: params,
        format: 'JSONEachRow',
        abort_signal: options.signal,
      })
      return await result.json<QueryRow<Name>>()
    } catch (error) {
      throw toStoreError(error, options.signal)
    }
  }

  /** Runs a named query and returns its output in a text format (CSVWithNames, TSV…) as one string. */
  async queryText<Name extends QueryName, Given extends QueryParams<Name>>(
    name: Name,
    params: ExactParams<Name, Given>,
    format: 'CSVWithNames' | 'CSV' | 'JSONEachRow',
    options: { signal?: AbortSignal; lane?: Lane } = {},
  ): Promise<string> {
    const query = this.namedQuery(name, params)
    const client = options.lane === 'bulk' ? this.bulk : this.interactive
    try {
      const result = await client.query({
        query: query.sql,
        query_params: params,
        format,
        abort_signal: options.signal,
      })
      return await result.text()
    } catch (error) {
      throw toStoreError(error, options.signal)
    }
  }

  /**
   * Streams a named query's output in a text format, chunk by chunk as the engine produces it, so memory stays flat
   * however many rows it returns. Runs on the bulk lane: the embedded engine streams on a session of its own (one
   * stream per session), a server over its own HTTP response. Aborting the signal cancels the query.
   */
  async *queryStream<Name extends QueryName, Given extends QueryParams<Name>>(
    name: Name,
    params: ExactParams<Name, Given>,
    format: 'CSV' | 'JSONEachRow',
    options: { signal?: AbortSignal } = {},
  ): AsyncGenerator<Uint8Array> {
    const query = this.namedQuery(name, params)
    if (this.options.url) {
      let stream: AsyncIterable<Uint8Array>
      try {
        const result = await this.bulk.exec({
          query: `${query.sql} FORMAT ${format}`,
          query_params: params,
          abort_signal: options.signal,
        })
        stream = result.stream
      } catch (error) {
        throw toStoreError(error, options.signal)
      }
      try {
        for await (const chunk of stream) yield chunk
      } catch (error) {
        throw toStoreError(error, options.signal)
      }
      return
    }
    const session = new Session(this.options.dataPath)
    try {
      const stream = session.queryStreamBind(query.sql, params, { format, signal: options.signal })
      for await (const chunk of stream) yield chunk.raw()
    } catch (error) {
      throw toStoreError(error, options.signal)
    } finally {
      session.close()
    }
  }

  /**
   * Inserts events as one block. The token makes a retry of the same batch a no-op in the raw table and in every
   * rollup (the views carry the deduplication on), so a batch whose acknowledgement was lost can be sent again.
   */
  async insertEvents(events: readonly StoredEvent[], dedupToken: string): Promise<void> {
    if (events.length === 0) return
    let body = ''
    for (const event of events) body += `${JSON.stringify(event)}\n`
    await this.insertJsonLines('events_v1', body, dedupToken)
  }

  /** Same as insertEvents, for rows already serialised as JSONEachRow lines. */
  async insertJsonLines(table: 'events_v1', jsonLines: string, dedupToken: string): Promise<void> {
    if (!DEDUP_TOKEN_PATTERN.test(dedupToken)) throw new Error(`invalid deduplication token: ${dedupToken}`)
    if (jsonLines.length === 0) return
    if (this.embeddedWriter) {
      // About 3x the rows/s of the generic path, which re-reads the body into one SQL string.
      const settings = { insert_deduplication_token: dedupToken, deduplicate_blocks_in_dependent_materialized_views: 1 }
      try {
        await this.embeddedWriter.chdb.rawInsert({ table, values: jsonLines, format: 'JSONEachRow', settings })
      } catch (error) {
        throw toStoreError(error)
      }
      return
    }
    const query =
      `INSERT INTO ${table} SETTINGS insert_deduplication_token = '${dedupToken}', ` +
      'deduplicate_blocks_in_dependent_materialized_views = 1 FORMAT JSONEachRow'
    await this.execWrite(query, jsonLines)
  }

  /** Appends plain rows to a small bookkeeping table (ledger, annotations, the user dictionary). */
  async appendRows(
    table: 'ingest_ledger_v1' | 'annotations_v1' | 'user_numbers_v1',
    rows: readonly object[],
  ): Promise<void> {
    if (rows.length === 0) return
    const body = rows.map((row) => JSON.stringify(row)).join('\n')
    await this.execWrite(`INSERT INTO ${table} FORMAT JSONEachRow`, body)
  }

  /** Runs a named query on the writer connection (for the ingest's bookkeeping reads and DDL-free writes). */
  async queryOnWriter<Name extends QueryName, Given extends QueryParams<Name>>(
    name: Name,
    params: ExactParams<Name, Given>,
  ): Promise<QueryRow<Name>[]> {
    const query = this.namedQuery(name, params)
    try {
      const result = await this.writer.query({ query: query.sql, query_params: params, format: 'JSONEachRow' })
      return await result.json<QueryRow<Name>>()
    } catch (error) {
      throw toStoreError(error)
    }
  }

  /** The output columns (name and engine type) of a SELECT, as the engine reports them when it runs it. */
  async outputColumns(sql: string, params: Record<string, unknown>): Promise<{ name: string; type: string }[]> {
    try {
      const result = await this.writer.query({ query: sql, query_params: params, format: 'JSON' })
      const body = await result.json<unknown>()
      return body.meta ?? []
    } catch (error) {
      throw toStoreError(error)
    }
  }

  /** Runs a statement that returns nothing (migrations). */
  async command(sql: string, params: Record<string, unknown> = {}): Promise<void> {
    try {
      await this.writer.command({ query: sql, query_params: params })
    } catch (error) {
      throw toStoreError(error)
    }
  }

  async ping(): Promise<boolean> {
    const result = await this.interactive.ping()
    return result.success
  }

  async close(): Promise<void> {
    await Promise.allSettled([this.interactive.close(), this.bulk.close(), this.writer.close()])
    this.embeddedEngine?.close()
  }

  private namedQuery(name: string, params: object): NamedQuery {
    const query = this.queries.get(name)
    if (!query) throw new Error(`unknown query ${name}`)
    checkParams(query, params as Record<string, unknown>)
    return query
  }

  private async execWrite(query: string, body: string): Promise<void> {
    try {
      const result = await this.writer.exec({ query, values: Readable.from([body]) })
      result.stream.resume()
      await new Promise<void>((resolve, reject) => {
        result.stream.once('end', resolve)
        result.stream.once('close', resolve)
        result.stream.once('error', reject)
      })
    } catch (error) {
      throw toStoreError(error)
    }
  }
}

function startEmbeddedEngine(dataPath: string): Session {
  const configFile = resolve(dataPath, EMBEDDED_ENGINE_CONFIG_FILE)
  writeFileSync(configFile, EMBEDDED_ENGINE_CONFIG)
  return new Session(dataPath, { connectionArgs: [`--config-file=${configFile}`] })
}

function makeClient(
  options: StoreOptions,
  settings: ClickHouseSettings,
  embeddedConnection?: ChdbConnection,
): ClickHouseClient {
  if (options.url) {
    return createClient({
      url: options.url,
      username: options.username,
      password: options.password,
      database: options.database,
      request_timeout: options.requestTimeoutMs,
      clickhouse_settings: settings,
    })
  }
  return createClient({
    // chdb implements @clickhouse/client's Connection contract; its type comes from its own copy of client-common.
    connection: (embeddedConnection ?? createChdbConnection({ path: options.dataPath })) as unknown as never,
    clickhouse_settings: settings,
  })
}
