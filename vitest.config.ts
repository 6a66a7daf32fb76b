import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: [
      '*.test.ts',
      '{sql,ingest,fixtures,api,api/contract,dashboard}/src/**/*.test.{ts,tsx}',
      'dashboard/e2e/**/*.test.ts',
    ],
    // chDB binds one data directory per process, so every test file runs in its own process.
    pool: 'forks',
    isolate: true,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Two cores: files that start a broker, an engine or a browser don't gain from more parallelism.
    maxWorkers: 2,
  },
})
