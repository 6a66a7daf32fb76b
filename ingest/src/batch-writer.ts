import type { QueryRow, Store, StoredEvent } from '@trendlens/sql'

/** A run of consecutive offsets of one source partition, stored as one block. */
export interface Batch {
  source: string
  partition: number
  firstOffset: number
  lastOffset: number
  events: StoredEvent[]
}

/** A batch already serialised as JSONEachRow lines (the Kafka path builds them while validating). */
export interface PreparedBatch extends Omit<Batch, 'events'> {
  rows: number
  jsonLines: string
  /** Offsets in the range left out as resends of ids already stored (recorded so a re-formed batch matches). */
  dropped?: readonly number[]
  /** The newest event time in the batch (epoch ms): how far its partition had got. */
  maxTs?: number
}

/** What the write path needs from the store; a structural type so tests can put a double in front of a real one. */
export type WriterStore = Pick<Store, 'appendRows' | 'insertEvents' | 'insertJsonLines' | 'queryOnWriter'>

/** One batch's boundaries as the ledger holds them. */
export type LedgerEntry = QueryRow<'ingest_ledger_last'> & Partial<Pick<QueryRow<'ingest_ledger_since'>, 'dropped'>>

export function dedupToken(batch: Pick<Batch, 'source' | 'partition' | 'firstOffset' | 'lastOffset'>): string {
  return `${batch.source}:${batch.partition}:${batch.firstOffset}-${batch.lastOffset}`
}

/**
 * The one write path for every source (Kafka, replay, live): record the batch's boundaries in the ledger, then
 * insert it with a dedup token made of those boundaries. A batch re-sent after a crash, on the same boundaries,
 * is stored once.
 */
export class BatchWriter {
  constructor(private readonly store: WriterStore) {}

  async write(batch: Batch): Promise<void> {
    await this.record(batch, batch.events.length)
    await this.store.insertEvents(batch.events, dedupToken(batch))
  }

  /** Same as write, for rows already serialised as JSONEachRow lines. */
  async writePrepared(batch: PreparedBatch): Promise<void> {
    await this.record(batch, batch.rows, batch.dropped, batch.maxTs)
    await this.store.insertJsonLines('events_v1', batch.jsonLines, dedupToken(batch))
  }

  private record(
    batch: Omit<Batch, 'events'>,
    rows: number,
    dropped: readonly number[] = [],
    maxTs = 0,
  ): Promise<void> {
    return this.store.appendRows('ingest_ledger_v1', [
      {
        source: batch.source,
        partition: batch.partition,
        first_offset: batch.firstOffset,
        last_offset: batch.lastOffset,
        rows,
        dropped,
        max_ts: maxTs,
      },
    ])
  }

  /** Batches recorded for a partition whose last offset is at or after `fromOffset`, oldest first. */
  inDoubt(source: string, partition: number, fromOffset: number): Promise<LedgerEntry[]> {
    return this.store.queryOnWriter('ingest_ledger_since', {
      source,
      partition,
      from_offset: fromOffset,
    })
  }

  async last(source: string, partition: number): Promise<LedgerEntry | undefined> {
    const rows = await this.store.queryOnWriter('ingest_ledger_last', { source, partition })
    return rows[0]
  }
}
