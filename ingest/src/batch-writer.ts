import type { QueryRow, Store, StoredEvent } from '@trendlens/sql'
import { IN_PROCESS_RANGE, kafkaPartitionRange, type UserNumbers, userNumbersFor } from './user-numbers.ts'

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
  /** The distinct user ids of the rows: they are numbered before the rows are inserted. */
  userIds: readonly string[]
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
 * The one write path for every source (Kafka, replay, live): record the batch's boundaries in the ledger, number the
 * batch's new users in the user dictionary, then insert it with a dedup token made of those boundaries. A batch
 * re-sent after a crash, on the same boundaries, is stored once. Its users are numbered before its events are
 * stored, so the rollups, which read each event's user number from the dictionary as the events are inserted, never
 * miss one: a crash after the numbering leaves numbers the re-sent batch finds; a crash before it leaves no event.
 */
export class BatchWriter {
  constructor(
    private readonly store: WriterStore,
    /** Shared by every writer of the store in this process unless given (a test's second process). */
    private readonly userNumbers: UserNumbers = userNumbersFor(store),
  ) {}

  /** Stores a batch of an in-process source (replay, live feed): its new users are numbered in IN_PROCESS_RANGE. */
  async write(batch: Batch): Promise<void> {
    await this.record(batch, batch.events.length)
    await this.userNumbers.number(
      batch.events.map((event) => event.user_id),
      IN_PROCESS_RANGE,
    )
    await this.store.insertEvents(batch.events, dedupToken(batch))
  }

  /**
   * Same as write, for a Kafka partition's rows already serialised as JSONEachRow lines: its new users are numbered
   * in the partition's own range.
   */
  async writePrepared(batch: PreparedBatch): Promise<void> {
    const range = kafkaPartitionRange(batch.partition)
    await this.record(batch, batch.rows, batch.dropped, batch.maxTs)
    await this.userNumbers.number(batch.userIds, range)
    await this.store.insertJsonLines('events_v1', batch.jsonLines, dedupToken(batch))
  }

  /** Kafka partitions just assigned to this process: their ranges may have been numbered by another worker since. */
  partitionsAssigned(partitions: readonly number[]): Promise<void> {
    return this.userNumbers.forgetRanges(partitions)
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
