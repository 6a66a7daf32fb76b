import { z } from 'zod'
import { DEFAULT_ALLOWED_HOSTS, hostName } from './security.ts'

/** 8080 is the product's documented address: http://localhost:8080. */
export const DEFAULT_PORT = 8080
/** Loopback by default: the embedded product is a local tool until someone chooses to expose it. */
export const DEFAULT_HOST = '127.0.0.1'
/** Data of the embedded engine lives in the working directory, so a restart finds it. */
export const DEFAULT_DATA_DIR = '.data/chdb'
/** The story is told in Beijing time, where its figures were reported. */
export const DEFAULT_TIME_ZONE = 'Asia/Shanghai'
/** 1% of the article's size: ~2M events, loaded in seconds, with every figure of the story visible. */
export const DEFAULT_SEED_SCALE = 0.01
/** Enough synthetic traffic to keep the live view moving without drowning the story. */
export const DEFAULT_LIVE_RATE = 20
/** Large blocks are what ClickHouse inserts fastest; 50k rows of ~250 bytes is ~12 MB. */
export const DEFAULT_BATCH_ROWS = 50_000
export const DEFAULT_BATCH_BYTES = 16 * 1024 * 1024
/** A quiet stream still reaches the tables within a second: the freshness target is 2 s. */
export const DEFAULT_BATCH_AGE_MS = 1_000
/** Exports beyond this are refused rather than silently cut; narrow the range or raise the cap. */
export const DEFAULT_EXPORT_MAX_ROWS = 10_000_000
/** Each export holds a store connection busy; two at once keeps the dashboard responsive. */
export const DEFAULT_EXPORT_MAX_CONCURRENT = 2
/** One client (address) may not hold every export slot: others still get one while its downloads run. */
export const DEFAULT_EXPORT_MAX_PER_CLIENT = 1
/** A download whose reader takes nothing for this long is cut and its slot freed (a stalled or abandoned tab). */
export const DEFAULT_EXPORT_IDLE_TIMEOUT_MS = 30_000
/** Open live streams cost one socket each (their ticks share one query); beyond this new ones are refused. */
export const DEFAULT_LIVE_MAX_CLIENTS = 1_000
/** A dashboard query that takes longer than this is a bug or an overload; fail it with a clear error. */
export const DEFAULT_QUERY_TIMEOUT_MS = 30_000

const flag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((value) => value === 'true' || value === '1' || value === 'yes')

const positiveInt = z.coerce.number().int().positive()

const EnvSchema = z.object({
  ROLE: z.enum(['all', 'api', 'ingest', 'migrate']).default('all'),
  PORT: z.coerce.number().int().min(0).max(65_535).default(DEFAULT_PORT),
  HOST: z.string().min(1).default(DEFAULT_HOST),
  ALLOWED_HOSTS: z.string().optional(),
  CLICKHOUSE_URL: z.url().optional(),
  CLICKHOUSE_USER: z.string().optional(),
  CLICKHOUSE_PASSWORD: z.string().optional(),
  CLICKHOUSE_DATABASE: z
    .string()
    .regex(/^[A-Za-z0-9_]+$/)
    .optional(),
  CLICKHOUSE_CLUSTER: z
    .string()
    .regex(/^[A-Za-z0-9_]+$/)
    .optional(),
  DATA_DIR: z.string().min(1).default(DEFAULT_DATA_DIR),
  KAFKA_BROKERS: z.string().optional(),
  KAFKA_TOPIC: z
    .string()
    .regex(/^[A-Za-z0-9._-]+$/)
    .default('events'),
  KAFKA_DLQ_TOPIC: z
    .string()
    .regex(/^[A-Za-z0-9._-]+$/)
    .default('events.dlq'),
  KAFKA_GROUP: z.string().min(1).default('trendlens-ingest'),
  KAFKA_CLIENT_ID: z.string().min(1).default('trendlens'),
  INGEST_BATCH_ROWS: positiveInt.default(DEFAULT_BATCH_ROWS),
  INGEST_BATCH_BYTES: positiveInt.default(DEFAULT_BATCH_BYTES),
  INGEST_BATCH_AGE_MS: positiveInt.default(DEFAULT_BATCH_AGE_MS),
  SEED: flag.optional(),
  SEED_SCALE: z.coerce.number().positive().max(1).default(DEFAULT_SEED_SCALE),
  SEED_SOURCE: z.enum(['scenario', 'sample']).default('scenario'),
  LIVE_RATE: z.coerce.number().min(0).default(DEFAULT_LIVE_RATE),
  DEFAULT_TZ: z.string().default(DEFAULT_TIME_ZONE),
  API_TOKEN: z.string().min(16).optional(),
  EXPORT_MAX_ROWS: positiveInt.default(DEFAULT_EXPORT_MAX_ROWS),
  EXPORT_MAX_CONCURRENT: positiveInt.default(DEFAULT_EXPORT_MAX_CONCURRENT),
  EXPORT_MAX_PER_CLIENT: positiveInt.default(DEFAULT_EXPORT_MAX_PER_CLIENT),
  EXPORT_IDLE_TIMEOUT_MS: positiveInt.default(DEFAULT_EXPORT_IDLE_TIMEOUT_MS),
  LIVE_MAX_CLIENTS: positiveInt.default(DEFAULT_LIVE_MAX_CLIENTS),
  QUERY_TIMEOUT_MS: positiveInt.default(DEFAULT_QUERY_TIMEOUT_MS),
  DASHBOARD_DIR: z.string().optional(),
  OPEN_BROWSER: flag.optional(),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
})

export interface Config {
  /** all: the whole product in one process; api / ingest: one side of a scaled deployment; migrate: schema only. */
  role: 'all' | 'api' | 'ingest' | 'migrate'
  http: { port: number; host: string }
  store: {
    url: string | undefined
    username: string | undefined
    password: string | undefined
    database: string | undefined
    cluster: string | undefined
    dataPath: string
    requestTimeoutMs: number
  }
  kafka: { brokers: string[]; topic: string; dlqTopic: string; groupId: string; clientId: string } | undefined
  ingest: { batchRows: number; batchBytes: number; batchAgeMs: number }
  /** `scenario` generates the story at `scale`; `sample` replays the small checked-in sample (tests, demos). */
  seed: { enabled: boolean; source: 'scenario' | 'sample'; scale: number; liveRate: number }
  api: {
    defaultTimeZone: string
    token: string | undefined
    /** Host names the API answers for (`*` any; `.example.com` a domain and its subdomains). */
    allowedHosts: string[]
    liveMaxClients: number
    exportMaxRows: number
    exportMaxConcurrent: number
    exportMaxPerClient: number
    exportIdleTimeoutMs: number
    queryTimeoutMs: number
  }
  dashboardDir: string | undefined
  /** Unset: open the dashboard when started from a terminal, outside CI. */
  openBrowser: boolean | undefined
  logLevel: 'debug' | 'info' | 'warn' | 'error'
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError'
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`)
  }
}

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone })
    return true
  } catch {
    return false
  }
}

/** Reads the configuration from environment variables; reports every problem at once. */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const defined = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''))
  const parsed = EnvSchema.safeParse(defined)
  const problems: string[] = parsed.success
    ? []
    : parsed.error.issues.map((issue) => `${issue.path.join('.') || '(env)'}: ${issue.message}`)
  const zone = defined.DEFAULT_TZ
  if (zone !== undefined && !isTimeZone(zone)) problems.push(`DEFAULT_TZ: unknown IANA time zone "${zone}"`)
  const brokers = parseBrokers(defined.KAFKA_BROKERS, problems)
  const allowedHosts = parseAllowedHosts(defined.ALLOWED_HOSTS, defined.HOST, problems)
  if (!parsed.success || problems.length > 0) throw new ConfigError(problems)
  const e = parsed.data
  return {
    role: e.ROLE,
    http: { port: e.PORT, host: e.HOST },
    store: {
      url: e.CLICKHOUSE_URL,
      username: e.CLICKHOUSE_USER,
      password: e.CLICKHOUSE_PASSWORD,
      database: e.CLICKHOUSE_DATABASE,
      cluster: e.CLICKHOUSE_CLUSTER,
      dataPath: e.DATA_DIR,
      requestTimeoutMs: e.QUERY_TIMEOUT_MS,
    },
    kafka: brokers
      ? {
          brokers,
          topic: e.KAFKA_TOPIC,
          dlqTopic: e.KAFKA_DLQ_TOPIC,
          groupId: e.KAFKA_GROUP,
          clientId: e.KAFKA_CLIENT_ID,
        }
      : undefined,
    ingest: { batchRows: e.INGEST_BATCH_ROWS, batchBytes: e.INGEST_BATCH_BYTES, batchAgeMs: e.INGEST_BATCH_AGE_MS },
    // Without Kafka the embedded product replays the seed story; with Kafka it shows what the brokers carry.
    seed: {
      enabled: e.SEED ?? brokers === undefined,
      source: e.SEED_SOURCE,
      scale: e.SEED_SCALE,
      liveRate: e.LIVE_RATE,
    },
    api: {
      defaultTimeZone: e.DEFAULT_TZ,
      token: e.API_TOKEN,
      allowedHosts,
      liveMaxClients: e.LIVE_MAX_CLIENTS,
      exportMaxRows: e.EXPORT_MAX_ROWS,
      exportMaxConcurrent: e.EXPORT_MAX_CONCURRENT,
      exportMaxPerClient: e.EXPORT_MAX_PER_CLIENT,
      exportIdleTimeoutMs: e.EXPORT_IDLE_TIMEOUT_MS,
      queryTimeoutMs: e.QUERY_TIMEOUT_MS,
    },
    dashboardDir: e.DASHBOARD_DIR,
    openBrowser: e.OPEN_BROWSER,
    logLevel: e.LOG_LEVEL,
  }
}

function parseBrokers(value: string | undefined, problems: string[]): string[] | undefined {
  if (value === undefined) return undefined
  const brokers = value
    .split(',')
    .map((b) => b.trim())
    .filter(Boolean)
  const bad = brokers.filter((b) => !/^[A-Za-z0-9.-]+:\d{1,5}$/.test(b) && !/^\[[0-9a-fA-F:]+\]:\d{1,5}$/.test(b))
  if (brokers.length === 0 || bad.length > 0) {
    problems.push(`KAFKA_BROKERS: expected host:port[,host:port…], got "${value}"`)
    return undefined
  }
  return brokers
}

/**
 * The names the API answers for: ALLOWED_HOSTS, else loopback plus HOST when HOST is a specific name (listening
 * on every interface says nothing about the names clients use).
 */
function parseAllowedHosts(value: string | undefined, host: string | undefined, problems: string[]): string[] {
  if (value === undefined) {
    const own = host === undefined || host === '0.0.0.0' || host === '::' ? undefined : listenName(host)
    return own === undefined || DEFAULT_ALLOWED_HOSTS.includes(own)
      ? [...DEFAULT_ALLOWED_HOSTS]
      : [...DEFAULT_ALLOWED_HOSTS, own]
  }
  const entries = value
    .split(',')
    .map((entry) => entry.trim().toLowerCase())
    .filter(Boolean)
  const bad = entries.filter((entry) => {
    if (entry === '*') return false
    const name = entry.startsWith('.') ? entry.slice(1) : entry
    return hostName(name) !== name
  })
  if (entries.length === 0 || bad.length > 0) {
    problems.push(
      `ALLOWED_HOSTS: expected host names without port (localhost,example.com,.example.com,[::1]) or *, got "${value}"`,
    )
    return []
  }
  return entries
}

/** HOST as clients spell it in a Host header: IPv6 addresses in brackets. */
function listenName(host: string): string | undefined {
  return hostName(host.includes(':') && !host.startsWith('[') ? `[${host}]` : host)
}
