import { DEFAULT_PORT } from '@trendlens/api'
import { describe, expect, it } from 'vitest'
import { ConfigError, DEFAULT_SEED_SCALE, loadConfig } from './config.ts'

describe('loadConfig', () => {
  it('runs the embedded product with no settings at all', () => {
    const config = loadConfig({})
    expect(config.http.port).toBe(DEFAULT_PORT)
    expect(config.store.url).toBeUndefined()
    expect(config.kafka).toBeUndefined()
    expect(config.seed).toMatchObject({ enabled: true, source: 'scenario', scale: DEFAULT_SEED_SCALE })
  })

  it('switches to Kafka and a ClickHouse server when they are configured, and stops seeding', () => {
    const config = loadConfig({
      KAFKA_BROKERS: '127.0.0.1:9092, kafka-2:9092',
      CLICKHOUSE_URL: 'http://clickhouse:8123',
    })
    expect(config.kafka?.brokers).toEqual(['127.0.0.1:9092', 'kafka-2:9092'])
    expect(config.store.url).toBe('http://clickhouse:8123')
    expect(config.seed.enabled).toBe(false)
  })

  it('reports every problem at once', () => {
    const error = (() => {
      try {
        loadConfig({ PORT: 'eighty', SEED_SCALE: '7', KAFKA_BROKERS: 'no-port', ROLE: 'both', CLICKHOUSE_URL: 'x' })
      } catch (e) {
        return e
      }
    })()
    expect(error).toBeInstanceOf(ConfigError)
    const problems = (error as ConfigError).problems.join('\n')
    for (const name of ['PORT', 'SEED_SCALE', 'ROLE', 'CLICKHOUSE_URL', 'KAFKA_BROKERS'])
      expect(problems).toContain(name)
  })

  it('refuses an unknown time zone and a short API token', () => {
    expect(() => loadConfig({ DEFAULT_TZ: 'Mars/Olympus' })).toThrow(/DEFAULT_TZ/)
    expect(() => loadConfig({ API_TOKEN: 'short' })).toThrow(/API_TOKEN/)
  })

  it('treats empty variables as unset', () => {
    expect(loadConfig({ PORT: '', KAFKA_BROKERS: '' }).kafka).toBeUndefined()
  })

  it('answers for loopback names by default, for HOST when it is a name, and for ALLOWED_HOSTS when set', () => {
    expect(loadConfig({}).api.allowedHosts).toEqual(['localhost', '127.0.0.1', '[::1]'])
    expect(loadConfig({ HOST: '0.0.0.0' }).api.allowedHosts).toEqual(['localhost', '127.0.0.1', '[::1]'])
    expect(loadConfig({ HOST: 'trends.internal' }).api.allowedHosts).toContain('trends.internal')
    expect(loadConfig({ ALLOWED_HOSTS: 'Trends.Example.com, .example.org,[::1]' }).api.allowedHosts).toEqual([
      'trends.example.com',
      '.example.org',
      '[::1]',
    ])
    expect(loadConfig({ ALLOWED_HOSTS: '*' }).api.allowedHosts).toEqual(['*'])
    expect(() => loadConfig({ ALLOWED_HOSTS: 'example.com:8080' })).toThrow(/ALLOWED_HOSTS/)
    expect(() => loadConfig({ ALLOWED_HOSTS: 'http://example.com' })).toThrow(/ALLOWED_HOSTS/)
  })
})
