/**
 * The product's one config loader: every setting is an environment variable, checked at start. Each package owns
 * the schema of its own settings (the store's in `sql`, Kafka and batching in `ingest`, HTTP and answers in `api`);
 * this file adds the process's own (role, seed story, logs) and reports every problem of every part at once.
 */
import { apiSettings } from '@trendlens/api'
import { DEFAULT_LIVE_RATE } from '@trendlens/fixtures'
import { ingestSettings } from '@trendlens/ingest'
import { storeSettings } from '@trendlens/sql'
import { z } from 'zod'

/** 1% of the article's size: ~2M events, loaded in seconds, with every figure of the story visible. */
export const DEFAULT_SEED_SCALE = 0.01

const flag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((value) => value === 'true' || value === '1' || value === 'yes')

const processSettings = z.object({
  /** all: the whole product in one process; api / ingest: one side of a scaled deployment; migrate: schema only. */
  ROLE: z.enum(['all', 'api', 'ingest', 'migrate']).default('all'),
  SEED: flag.optional(),
  SEED_SCALE: z.coerce.number().positive().max(1).default(DEFAULT_SEED_SCALE),
  SEED_SOURCE: z.enum(['scenario', 'sample']).default('scenario'),
  LIVE_RATE: z.coerce.number().min(0).default(DEFAULT_LIVE_RATE),
  DASHBOARD_DIR: z.string().optional(),
  OPEN_BROWSER: flag.optional(),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
})

type Role = z.output<typeof processSettings>['ROLE']

export interface Config {
  role: Role
  http: z.output<typeof apiSettings>['http']
  store: z.output<typeof storeSettings>
  kafka: z.output<typeof ingestSettings>['kafka']
  ingest: z.output<typeof ingestSettings>['batching']
  /** `scenario` generates the story at `scale`; `sample` replays the small checked-in sample (tests, demos). */
  seed: { enabled: boolean; source: 'scenario' | 'sample'; scale: number; liveRate: number }
  api: z.output<typeof apiSettings>['api'] & { queryTimeoutMs: number }
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

/** Reads the configuration from environment variables; reports every problem at once. */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const defined = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''))
  const problems: string[] = []
  const parse = <Schema extends z.ZodType>(schema: Schema): z.output<Schema> | undefined => {
    const parsed = schema.safeParse(defined)
    if (parsed.success) return parsed.data
    for (const issue of parsed.error.issues) problems.push(`${issue.path.join('.') || '(env)'}: ${issue.message}`)
    return undefined
  }
  const own = parse(processSettings)
  const store = parse(storeSettings)
  const ingest = parse(ingestSettings)
  const api = parse(apiSettings)
  if (!own || !store || !ingest || !api) throw new ConfigError(problems)
  return {
    role: own.ROLE,
    http: api.http,
    store,
    kafka: ingest.kafka,
    ingest: ingest.batching,
    // Without Kafka the embedded product replays the seed story; with Kafka it shows what the brokers carry.
    seed: {
      enabled: own.SEED ?? ingest.kafka === undefined,
      source: own.SEED_SOURCE,
      scale: own.SEED_SCALE,
      liveRate: own.LIVE_RATE,
    },
    api: { ...api.api, queryTimeoutMs: store.requestTimeoutMs },
    dashboardDir: own.DASHBOARD_DIR,
    openBrowser: own.OPEN_BROWSER,
    logLevel: own.LOG_LEVEL,
  }
}
