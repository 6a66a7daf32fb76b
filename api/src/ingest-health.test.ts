/**
 * Readiness tells the truth about the Kafka ingest: with a real broker and a real engine, an ingest whose store
 * keeps failing (an error that is not an outage: the consumer fails and is restarted) makes `/readyz` answer 503
 * with the state and the reason, `/api/ingest` shows the state, the error and the lag read from the broker; when
 * the failure goes away the ingest recovers by itself, `/readyz` answers 200 and the error is cleared.
 */
import type { IngestSnapshot } from '@trendlens/contract'
import type { WriterStore } from '@trendlens/ingest'
import {
  kafkaClient,
  pollUntil,
  produceEvents,
  scenarioEvents,
  startConsumer,
  totals,
  uniqueName,
  useKafkaTestBed,
  waitForEvents,
} from '@trendlens/ingest/testing'
import { type Store, StoreError } from '@trendlens/sql'
import { describe, expect, it } from 'vitest'
import { createApp } from './app.ts'
import { TEST_API } from './test-support.ts'

/** Forwards to a real store; while `broken` is set every insert fails as a bug in the write path would. */
class BrokenInserts implements WriterStore {
  broken = false
  constructor(private readonly store: Store) {}
  appendRows(...args: Parameters<Store['appendRows']>): ReturnType<Store['appendRows']> {
    return this.store.appendRows(...args)
  }
  insertEvents(...args: Parameters<Store['insertEvents']>): ReturnType<Store['insertEvents']> {
    return this.store.insertEvents(...args)
  }
  async insertJsonLines(...args: Parameters<Store['insertJsonLines']>): ReturnType<Store['insertJsonLines']> {
    if (this.broken) throw new StoreError('query', 'Unknown column (simulated write-path bug)', '16')
    return this.store.insertJsonLines(...args)
  }
  queryOnWriter: Store['queryOnWriter'] = (name, params) => this.store.queryOnWriter(name, params)
}

const bed = useKafkaTestBed('ingest-health')

describe('readiness with a failing Kafka ingest', () => {
  it('fails /readyz while the ingest is stopped and recovers with it', async () => {
    const { brokers, store } = bed
    const { topic, dlqTopic } = await bed.newTopic('health', 2)
    const kafka = kafkaClient(brokers)
    const events = scenarioEvents(0.00005, 61, 'health-').slice(0, 2_000)
    const failing = new BrokenInserts(store)
    failing.broken = true
    const consumer = await startConsumer({
      kafka: { brokers, topic, dlqTopic, groupId: uniqueName('health-group'), clientId: 'health-test' },
      store: failing,
      tuning: { restartBackoff: { initialMs: 200, maxMs: 1_000 } },
    })
    const app = createApp({
      store,
      metrics: consumer.metrics,
      log: (await import('@trendlens/ingest')).silentLogger,
      api: TEST_API,
      responseCacheMs: 0,
    })
    const ingest = async () => (await (await app.request('/api/ingest')).json()) as IngestSnapshot
    expect((await app.request('/readyz')).status).toBe(200)

    await produceEvents(kafka, topic, 2, events)
    const stopped = await pollUntil(
      'the ingest to be reported stopped, with the backlog read from the broker',
      async () => {
        const s = await ingest()
        return s.state === 'stopped' && s.totalLag === events.length && s
      },
      { timeoutMs: 60_000 },
    )
    expect(stopped.stateReason?.code).toBe('consumer_failed')
    expect(stopped.lastError).toMatch(/simulated write-path bug/)
    const refused = await app.request('/readyz')
    expect(refused.status).toBe(503)
    const body = (await refused.json()) as Record<string, unknown>
    expect(body).toMatchObject({ code: 'ingest_not_ready', state: 'stopped', ingest: { code: 'consumer_failed' } })
    expect(body.message).toMatch(/simulated write-path bug/)
    expect(body.requestId).toEqual(expect.any(String))
    const metricsText = await (await app.request('/metrics')).text()
    expect(metricsText).toContain('trendlens_ingest_state{state="stopped",reason="consumer_failed"} 1')

    failing.broken = false
    await waitForEvents(store, events.length)
    await pollUntil('/readyz to answer 200 again', async () => (await app.request('/readyz')).status === 200, {
      timeoutMs: 60_000,
    })
    const recovered = await ingest()
    expect(recovered.state).toBe('running')
    expect(recovered.lastError).toBeNull()
    // The newest error is kept with its time (a restart can add a group error after the insert failures).
    expect(recovered.lastFailure?.error).toMatch(/\w/)
    expect(Date.parse(recovered.lastFailure?.at ?? '')).toBeGreaterThan(0)
    expect((await totals(store)).events).toBe(events.length)
    await pollUntil('the lag to reach zero', async () => (await ingest()).totalLag === 0, { timeoutMs: 30_000 })
    await consumer.stop()
  }, 180_000)
})
