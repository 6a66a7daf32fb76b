import type { Store } from '@trendlens/sql'
import { openTempStore } from '@trendlens/sql/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  IN_PROCESS_RANGE,
  kafkaPartitionRange,
  USER_NUMBER_RANGE_SIZE,
  UserNumbers,
  userNumbersFor,
} from './user-numbers.ts'

let store: Store
let dispose: () => Promise<void>
beforeAll(async () => {
  ;({ store, dispose } = await openTempStore())
})
afterAll(async () => dispose())

/** The dictionary's numbers of these users, read back from the engine. */
async function stored(ids: readonly string[]): Promise<Record<string, number>> {
  const rows = await store.queryOnWriter('ingest_user_numbers_lookup', { ids: [...ids] })
  return Object.fromEntries(rows.map((row) => [row.user_id, row.user_no]))
}

async function sharedNumbers(): Promise<unknown[]> {
  return store.query('user_numbers_shared', {})
}

const inRange = (range: number, sequence: number) => range * USER_NUMBER_RANGE_SIZE + sequence

describe('UserNumbers', () => {
  it('numbers new users in order of first appearance from 1 in the range, and keeps a number for good', async () => {
    const numbers = new UserNumbers(store)
    const first = await numbers.number(['a1', 'a2', 'a1', 'a3'], 7)
    expect(Object.fromEntries(first)).toEqual({ a1: inRange(7, 1), a2: inRange(7, 2), a3: inRange(7, 3) })
    expect(await stored(['a1', 'a2', 'a3'])).toEqual(Object.fromEntries(first))

    // Known users keep their number, in whatever range a batch numbers its new ones.
    const second = await numbers.number(['a4', 'a2'], 9)
    expect(Object.fromEntries(second)).toEqual({ a4: inRange(9, 1), a2: inRange(7, 2) })
  })

  it('continues a range after the numbers another process gave, and finds the users it numbered', async () => {
    const earlier = new UserNumbers(store)
    await earlier.number(['b1', 'b2'], 11)
    // A new process (a restart): nothing in memory, everything read from the dictionary.
    const later = new UserNumbers(store)
    const numbers = await later.number(['b2', 'b3'], 11)
    expect(Object.fromEntries(numbers)).toEqual({ b2: inRange(11, 2), b3: inRange(11, 3) })
  })

  it('never gives one user two numbers or one number to two users when batches are numbered at once', async () => {
    const numbers = new UserNumbers(store)
    const batches = Array.from({ length: 8 }, (_, b) =>
      Array.from({ length: 300 }, (_, i) => `c${(b * 150 + i) % 1000}`),
    )
    const results = await Promise.all(batches.map((ids) => numbers.number(ids, 12)))
    const byUser = new Map<string, Set<number>>()
    for (const result of results) {
      for (const [id, userNo] of result) byUser.set(id, (byUser.get(id) ?? new Set()).add(userNo))
    }
    expect(byUser.size).toBe(1000)
    expect([...byUser.values()].every((set) => set.size === 1)).toBe(true)
    const all = [...byUser.values()].map((set) => [...set][0] as number).sort((x, y) => x - y)
    expect(all).toEqual(Array.from({ length: 1000 }, (_, i) => inRange(12, i + 1)))
    expect(await stored([...byUser.keys()])).toEqual(Object.fromEntries([...byUser].map(([id, s]) => [id, [...s][0]])))
    expect(await sharedNumbers()).toEqual([])
  })

  it('reads a Kafka partition range again once told it was assigned, after another worker numbered in it', async () => {
    const workerA = new UserNumbers(store)
    const workerB = new UserNumbers(store)
    await workerA.number(['d1'], 13)
    // The partition moves to B, which numbers a new user; then it comes back to A.
    await workerB.number(['d2'], 13)
    await workerA.forgetRanges([13])
    const numbers = await workerA.number(['d3'], 13)
    expect(numbers.get('d3')).toBe(inRange(13, 3))
    expect(await sharedNumbers()).toEqual([])
  })

  it('gives the same numbers after its cache was emptied for being full', async () => {
    const numbers = new UserNumbers(store, 5)
    const ids = Array.from({ length: 12 }, (_, i) => `e${i}`)
    const first = await numbers.number(ids.slice(0, 6), 14)
    const second = await numbers.number(ids, 14)
    for (const [id, userNo] of first) expect(second.get(id)).toBe(userNo)
    expect(new Set(second.values()).size).toBe(12)
    expect(Object.fromEntries(await numbers.number(ids, 14))).toEqual(Object.fromEntries(second))
  })

  it('refuses a range or a Kafka partition beyond the last range', async () => {
    await expect(new UserNumbers(store).number(['f1'], 256)).rejects.toThrow(/range must be 0-255/)
    expect(kafkaPartitionRange(254)).toBe(254)
    expect(() => kafkaPartitionRange(IN_PROCESS_RANGE)).toThrow(/at most 255 partitions/)
    expect(await stored(['f1'])).toEqual({})
  })

  it('is one per store in a process', () => {
    expect(userNumbersFor(store)).toBe(userNumbersFor(store))
  })
})
