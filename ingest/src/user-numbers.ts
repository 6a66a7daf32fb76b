import type { Store } from '@trendlens/sql'

/**
 * Every stored user has one dense number (`user_numbers_v1`: user id → number), so distinct users can be counted in
 * Roaring bitmaps. A number is `range × 2^24 + sequence` (sequence from 1): each Kafka partition numbers its new users
 * in the range of its own index, the in-process sources (seed replay, live feed, any other replay) in range 255, so
 * workers never contend on one counter. A user already numbered, in any range, keeps their number for good.
 */
export const USER_NUMBER_RANGE_SIZE = 2 ** 24
/** The range of the in-process sources, which are not Kafka partitions. */
export const IN_PROCESS_RANGE = 255
/** Partitions 0-254 each have a range of their own; a topic with more cannot be numbered. */
export const MAX_KAFKA_PARTITIONS = IN_PROCESS_RANGE

/**
 * Users whose numbers are kept in memory before the cache is emptied. An entry costs about 120 bytes with the
 * story's short ids (measured in V8), so a full cache is about 120 MB: every user of the default story, and at the
 * full story's scale the last million seen, which covers the users active in any hour. Emptying it wholesale is
 * simpler than an LRU and costs one dictionary lookup per user seen again (about 10-25 µs a user here).
 */
export const DEFAULT_USER_NUMBER_CACHE_SIZE = 1_000_000

/** Ids per dictionary lookup: bounded so one query's parameter stays a few MB, however large the batch. */
const LOOKUP_CHUNK = 50_000

/** What numbering needs from the store. */
export type UserNumberStore = Pick<Store, 'appendRows' | 'queryOnWriter'>

/** The range a Kafka partition numbers its new users in; refuses a partition beyond the last range. */
export function kafkaPartitionRange(partition: number): number {
  if (!Number.isInteger(partition) || partition < 0 || partition >= MAX_KAFKA_PARTITIONS) {
    throw new Error(
      `Kafka partition ${partition} cannot number users: partitions 0-${MAX_KAFKA_PARTITIONS - 1} have a range of ` +
        'user numbers each; use a topic with at most 255 partitions',
    )
  }
  return partition
}

/**
 * The user numbering of one process: a cache of known numbers, the next sequence of each range it numbers in, and
 * a queue that runs one numbering at a time, so two batches in flight never give one new user two numbers or two
 * users one number. Every writer of a process shares it (see `userNumbersFor`).
 */
export class UserNumbers {
  private readonly cache = new Map<string, number>()
  /** The next sequence of each range, read from the dictionary at first use. */
  private readonly nextSequence = new Map<number, number>()
  private queue: Promise<unknown> = Promise.resolve()

  constructor(
    private readonly store: UserNumberStore,
    private readonly cacheSize = DEFAULT_USER_NUMBER_CACHE_SIZE,
  ) {}

  /**
   * Makes sure every given user has a number in the dictionary, numbering the unknown ones in `range` (in order of
   * first appearance), and resolves with the number of each given user once new numbers are stored. A failure
   * stores nothing of this call's new numbers (one insert) and can be retried.
   */
  number(userIds: Iterable<string>, range: number): Promise<ReadonlyMap<string, number>> {
    if (!Number.isInteger(range) || range < 0 || range > IN_PROCESS_RANGE) {
      return Promise.reject(new Error(`user number range must be 0-${IN_PROCESS_RANGE}: ${range}`))
    }
    const ids = [...new Set(userIds)]
    return this.serially(() => this.numberNow(ids, range))
  }

  /**
   * Forgets where the numbering of these ranges stands: a Kafka partition assigned to this process may have been
   * numbered by another worker since, so its next sequence is read again before the next new user.
   */
  forgetRanges(ranges: Iterable<number>): Promise<void> {
    const forgotten = [...ranges]
    return this.serially(async () => {
      for (const range of forgotten) this.nextSequence.delete(range)
    })
  }

  private serially<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task)
    // The queue itself never fails: a failed numbering fails its caller alone.
    this.queue = run.catch(() => {})
    return run
  }

  private async numberNow(ids: readonly string[], range: number): Promise<ReadonlyMap<string, number>> {
    const numbers = new Map<string, number>()
    const unknown: string[] = []
    for (const id of ids) {
      const known = this.cache.get(id)
      if (known === undefined) unknown.push(id)
      else numbers.set(id, known)
    }
    if (unknown.length === 0) return numbers
    const found = new Map<string, number>()
    for (let i = 0; i < unknown.length; i += LOOKUP_CHUNK) {
      const rows = await this.store.queryOnWriter('ingest_user_numbers_lookup', {
        ids: unknown.slice(i, i + LOOKUP_CHUNK),
      })
      for (const row of rows) found.set(row.user_id, row.user_no)
    }
    const fresh: Array<{ user_id: string; user_no: number }> = []
    let sequence = await this.sequenceOf(range)
    for (const id of unknown) {
      const known = found.get(id)
      if (known !== undefined) {
        numbers.set(id, known)
        continue
      }
      if (sequence >= USER_NUMBER_RANGE_SIZE) {
        throw new Error(`user number range ${range} is full (${USER_NUMBER_RANGE_SIZE - 1} users)`)
      }
      const userNo = range * USER_NUMBER_RANGE_SIZE + sequence++
      fresh.push({ user_id: id, user_no: userNo })
      numbers.set(id, userNo)
    }
    if (fresh.length > 0) {
      await this.store.appendRows('user_numbers_v1', fresh)
      this.nextSequence.set(range, sequence)
    }
    this.remember(found, fresh)
    return numbers
  }

  private async sequenceOf(range: number): Promise<number> {
    const next = this.nextSequence.get(range)
    if (next !== undefined) return next
    const [row] = await this.store.queryOnWriter('ingest_user_numbers_last', { range })
    const last = row?.last_no ?? 0
    const sequence = last === 0 ? 1 : last - range * USER_NUMBER_RANGE_SIZE + 1
    this.nextSequence.set(range, sequence)
    return sequence
  }

  private remember(
    found: ReadonlyMap<string, number>,
    fresh: ReadonlyArray<{ user_id: string; user_no: number }>,
  ): void {
    if (this.cache.size + found.size + fresh.length > this.cacheSize) this.cache.clear()
    for (const [id, userNo] of found) this.cache.set(id, userNo)
    for (const row of fresh) this.cache.set(row.user_id, row.user_no)
  }
}

const perStore = new WeakMap<object, UserNumbers>()

/**
 * The process's numbering for a store: every writer of the store in this process gets the same one, so the seed, the
 * live feed and a consumer's sessions share one cache, one set of counters and one queue.
 */
export function userNumbersFor(store: UserNumberStore): UserNumbers {
  let numbers = perStore.get(store)
  if (!numbers) {
    numbers = new UserNumbers(store)
    perStore.set(store, numbers)
  }
  return numbers
}
