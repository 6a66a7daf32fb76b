/**
 * The write path numbers a batch's users before it stores the batch's events, so a stored event's user always has a
 * number, whatever point a crash interrupts the write at. A crash is a store double in front of the real engine that
 * fails one call, and the "restarted process" is a new writer with nothing in memory re-sending the same batch.
 */
import { type Store, type StoredEvent, StoreError } from '@trendlens/sql'
import { openTempStore, userNumberProblems } from '@trendlens/sql/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Batch, BatchWriter, type WriterStore } from './batch-writer.ts'
import { IN_PROCESS_RANGE, kafkaPartitionRange, USER_NUMBER_RANGE_SIZE, UserNumbers } from './user-numbers.ts'

let store: Store
let dispose: () => Promise<void>
beforeAll(async () => {
  ;({ store, dispose } = await openTempStore())
})
afterAll(async () => dispose())

/** Forwards to the real store, except that the first call matching `failOn` fails as a dying process's would. */
class StoreThatFailsOnce implements WriterStore {
  private failed = false

  constructor(
    private readonly store: Store,
    private readonly failOn: 'events' | 'user numbers',
  ) {}

  private failNow(what: 'events' | 'user numbers'): void {
    if (this.failed || what !== this.failOn) return
    this.failed = true
    throw new StoreError('unavailable', 'connection reset (simulated crash)')
  }

  async appendRows(...args: Parameters<Store['appendRows']>): ReturnType<Store['appendRows']> {
    if (args[0] === 'user_numbers_v1') this.failNow('user numbers')
    return this.store.appendRows(...args)
  }

  async insertEvents(...args: Parameters<Store['insertEvents']>): ReturnType<Store['insertEvents']> {
    this.failNow('events')
    return this.store.insertEvents(...args)
  }

  async insertJsonLines(...args: Parameters<Store['insertJsonLines']>): ReturnType<Store['insertJsonLines']> {
    this.failNow('events')
    return this.store.insertJsonLines(...args)
  }

  queryOnWriter: Store['queryOnWriter'] = (name, params) => this.store.queryOnWriter(name, params)
}

function events(prefix: string, users: readonly string[]): StoredEvent[] {
  return users.map((user, i) => ({
    id: `${prefix}-${i}`,
    type: 'view',
    ts: Date.UTC(2025, 0, 13, 8) + i * 1000,
    user_id: user,
    note_id: 'n1',
    hashtags: ['tiktokrefugee'],
    region: 'US-CA',
    country: 'US',
    lang: 'en',
  }))
}

function batchOf(source: string, stored: StoredEvent[]): Batch {
  return { source, partition: 0, firstOffset: 0, lastOffset: stored.length - 1, events: stored }
}

async function numbersOf(users: readonly string[]): Promise<Record<string, number>> {
  const rows = await store.queryOnWriter('ingest_user_numbers_lookup', { ids: [...users] })
  return Object.fromEntries(rows.map((row) => [row.user_id, row.user_no]))
}

async function eventCount(): Promise<number> {
  const [row] = await store.query('events_totals', {})
  return row?.events ?? 0
}

describe('BatchWriter numbering users', () => {
  it('numbers the users of an in-process batch in range 255 before storing it', async () => {
    const users = ['w1', 'w2', 'w1', 'w3']
    await new BatchWriter(store).write(batchOf('writer-a', events('a', users)))
    const numbers = await numbersOf(users)
    expect(Object.keys(numbers).sort()).toEqual(['w1', 'w2', 'w3'])
    expect(Object.values(numbers).every((n) => Math.floor(n / USER_NUMBER_RANGE_SIZE) === IN_PROCESS_RANGE)).toBe(true)
    expect(await userNumberProblems(store)).toEqual([])
  })

  it('a crash after the numbering and before the insert: the re-sent batch finds and keeps those numbers', async () => {
    const users = ['x1', 'x2', 'x3', 'x2']
    const batch = batchOf('writer-b', events('b', users))
    const before = await eventCount()
    const crashing = new StoreThatFailsOnce(store, 'events')
    await expect(new BatchWriter(crashing, new UserNumbers(crashing)).write(batch)).rejects.toThrow(/simulated crash/)
    expect(await eventCount()).toBe(before)
    const numberedBeforeCrash = await numbersOf(users)
    expect(Object.keys(numberedBeforeCrash)).toHaveLength(3)

    await new BatchWriter(store, new UserNumbers(store)).write(batch)
    expect(await eventCount()).toBe(before + users.length)
    expect(await numbersOf(users)).toEqual(numberedBeforeCrash)
    expect(await userNumberProblems(store)).toEqual([])
  })

  it('a crash before the numbering lands: no event is stored, and the re-sent batch numbers its users once', async () => {
    const users = ['y1', 'y2']
    const batch = batchOf('writer-c', events('c', users))
    const before = await eventCount()
    const crashing = new StoreThatFailsOnce(store, 'user numbers')
    await expect(new BatchWriter(crashing, new UserNumbers(crashing)).write(batch)).rejects.toThrow(/simulated crash/)
    expect(await eventCount()).toBe(before)
    expect(await numbersOf(users)).toEqual({})

    await new BatchWriter(store, new UserNumbers(store)).write(batch)
    expect(await eventCount()).toBe(before + users.length)
    expect(Object.keys(await numbersOf(users)).sort()).toEqual(['y1', 'y2'])
    expect(await userNumberProblems(store)).toEqual([])
  })

  it("numbers a Kafka partition's new users in the partition's range, and refuses a partition beyond the last", async () => {
    const writer = new BatchWriter(store)
    const rows = events('k', ['z1', 'w1'])
    const prepared = {
      source: 'kafka:numbering-test',
      partition: 3,
      firstOffset: 0,
      lastOffset: 1,
      rows: rows.length,
      jsonLines: rows.map((row) => JSON.stringify(row)).join('\n'),
      userIds: ['z1', 'w1'],
    }
    await writer.writePrepared(prepared)
    const numbers = await numbersOf(['z1', 'w1'])
    expect(Math.floor((numbers.z1 as number) / USER_NUMBER_RANGE_SIZE)).toBe(kafkaPartitionRange(3))
    // w1 was numbered by the in-process batch above and keeps that number.
    expect(Math.floor((numbers.w1 as number) / USER_NUMBER_RANGE_SIZE)).toBe(IN_PROCESS_RANGE)
    await expect(writer.writePrepared({ ...prepared, partition: 255 })).rejects.toThrow(/at most 255 partitions/)
    expect(await userNumberProblems(store)).toEqual([])
  })
})
