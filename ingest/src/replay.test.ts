import type { WireEvent } from '@trendlens/contract'
import type { QueryRow, Store } from '@trendlens/sql'
import { openTempStore, userNumberProblems } from '@trendlens/sql/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BatchWriter, dedupToken } from './batch-writer.ts'
import { IngestMetrics } from './metrics.ts'
import { runReplay } from './replay.ts'
import { validateEvent } from './validation.ts'

const CHUNKS = 40
const CHUNK_SIZE = 25

function* stream(): Generator<WireEvent[]> {
  for (let c = 0; c < CHUNKS; c++) {
    yield Array.from({ length: CHUNK_SIZE }, (_, i) => ({
      id: `s${c}-${i}`,
      type: 'view' as const,
      ts: Date.UTC(2025, 0, 13) + c * 60_000 + i,
      user_id: `u${i % 9}`,
      note_id: `n${c}`,
      hashtags: ['tiktokrefugee'],
      region: 'CN-SH',
    }))
  }
}

let store: Store
let dispose: () => Promise<void>
beforeAll(async () => {
  ;({ store, dispose } = await openTempStore())
})
afterAll(async () => dispose())

async function totals(): Promise<QueryRow<'events_totals'>> {
  const [row] = await store.query('events_totals', {})
  if (!row) throw new Error('events_totals returned no row')
  return row
}

function replay(source: string, signal = new AbortController().signal, batchRows = 100) {
  return runReplay({
    source,
    chunks: stream,
    writer: new BatchWriter(store),
    metrics: new IngestMetrics('replay'),
    batchRows,
    signal,
  })
}

describe('runReplay', () => {
  it('loads every event once, and a second run loads nothing more', async () => {
    const first = await replay('replay-a')
    expect(first.stored).toBe(CHUNKS * CHUNK_SIZE)
    const again = await replay('replay-a')
    expect(again.resumedFrom).toBeGreaterThan(0)
    const t = await totals()
    expect(t.events).toBe(CHUNKS * CHUNK_SIZE)
    expect(t.distinct_ids).toBe(t.events)
    expect(t.tag_rollup_15m).toBe(t.events)
    expect(t.region_rollup_15m).toBe(t.events)
    expect(t.region_types_15m).toBe(t.events)
    expect(t.region_rollup_1m).toBe(t.events)
  })

  it('stays exact when a run stops half-way and the batch size changes before the restart', async () => {
    const source = 'replay-b'
    const stop = new AbortController()
    const writer = new BatchWriter(store)
    let batches = 0
    const counting = Object.assign(Object.create(writer) as BatchWriter, {
      write: async (batch: Parameters<BatchWriter['write']>[0]) => {
        await writer.write(batch)
        if (++batches === 3) stop.abort()
      },
    })
    await runReplay({
      source,
      chunks: stream,
      writer: counting,
      metrics: new IngestMetrics('replay'),
      batchRows: 100,
      signal: stop.signal,
    })
    expect(batches).toBe(3)
    await replay(source, new AbortController().signal, 170)
    expect((await totals()).events).toBe(2 * CHUNKS * CHUNK_SIZE)
    expect(await userNumberProblems(store)).toEqual([])
  })

  it('repairs a batch recorded in the ledger whose insert never happened', async () => {
    const source = 'replay-c'
    // A crash between the ledger write and the insert: the ledger names chunks 0..3, the tables hold nothing.
    const events = [...stream()]
      .slice(0, 4)
      .flat()
      .map((e) => {
        const checked = validateEvent(e)
        if (!checked.ok) throw new Error(checked.message)
        return checked.event
      })
    await store.appendRows('ingest_ledger_v1', [{ source, partition: 0, first_offset: 0, last_offset: 3, rows: 100 }])
    await replay(source)
    expect((await totals()).events).toBe(3 * CHUNKS * CHUNK_SIZE)
    // The repaired batch carries the ledger's token, so a late duplicate of it changes nothing.
    await store.insertEvents(events, dedupToken({ source, partition: 0, firstOffset: 0, lastOffset: 3 }))
    expect((await totals()).events).toBe(3 * CHUNKS * CHUNK_SIZE)
  })
})
