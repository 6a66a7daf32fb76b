/** The store's settings, read from the environment by the product's config loader. */
import { z } from 'zod'

/** Data of the embedded engine lives in the working directory, so a restart finds it. */
const DEFAULT_DATA_DIR = '.data/chdb'
/** A dashboard query that takes longer than this is a bug or an overload; fail it with a clear error. */
const DEFAULT_QUERY_TIMEOUT_MS = 30_000

/** Database and cluster names go into DDL as identifiers, so only plain names pass. */
const identifier = z.string().regex(/^[A-Za-z0-9_]+$/)

/** A ClickHouse server when `CLICKHOUSE_URL` is set, else the embedded engine in `DATA_DIR`. */
export const storeSettings = z
  .object({
    CLICKHOUSE_URL: z.url().optional(),
    CLICKHOUSE_USER: z.string().optional(),
    CLICKHOUSE_PASSWORD: z.string().optional(),
    CLICKHOUSE_DATABASE: identifier.optional(),
    CLICKHOUSE_CLUSTER: identifier.optional(),
    DATA_DIR: z.string().min(1).default(DEFAULT_DATA_DIR),
    QUERY_TIMEOUT_MS: z.coerce.number().int().positive().default(DEFAULT_QUERY_TIMEOUT_MS),
  })
  .transform((e) => ({
    url: e.CLICKHOUSE_URL,
    username: e.CLICKHOUSE_USER,
    password: e.CLICKHOUSE_PASSWORD,
    database: e.CLICKHOUSE_DATABASE,
    /** Create tables `ON CLUSTER` with Replicated engines. */
    cluster: e.CLICKHOUSE_CLUSTER,
    dataPath: e.DATA_DIR,
    requestTimeoutMs: e.QUERY_TIMEOUT_MS,
  }))

export type StoreSettings = z.output<typeof storeSettings>
