import type { LedgerEntry } from '../batch-writer.ts'

/** Offsets first..last of one partition, inclusive: the boundaries (and so the dedup token) of one insert. */
export interface OffsetRange {
  firstOffset: number
  lastOffset: number
}

/** A batch the ledger recorded: its boundaries and the offsets it left out as resends. */
export interface RecordedRange extends OffsetRange {
  dropped?: readonly number[]
}

/** A run of consecutive messages of one partition that is stored as one insert and committed as one. */
export interface Run<M> extends OffsetRange {
  messages: M[]
  /** True when the boundaries come from the ledger: a batch that may already be stored is being sent again. */
  recorded: boolean
  /** For a recorded run: the offsets it left out as resends the first time, to leave out again. */
  dropped?: readonly number[]
}

/**
 * The recorded batches to re-form for a partition whose consumption starts at `fromOffset`, oldest first.
 *
 * A batch the store refused for data reasons is split in halves and each half is recorded too, so the ledger can
 * hold nested ranges; only the outermost is re-formed, because re-sending it fails the same way and splits into the
 * same halves (same tokens). A range that starts before `fromOffset` was committed in part, which the write path
 * never does; it cannot be re-formed on its boundaries and is reported, not used.
 */
export function recoveryPlan(
  entries: readonly LedgerEntry[],
  fromOffset: number,
): { plan: RecordedRange[]; straddling: LedgerEntry[] } {
  const straddling = entries.filter((e) => e.first_offset < fromOffset)
  const candidates = entries
    .filter((e) => e.first_offset >= fromOffset)
    .sort((a, b) => a.first_offset - b.first_offset || b.last_offset - a.last_offset)
  const plan: RecordedRange[] = []
  for (const entry of candidates) {
    const previous = plan.at(-1)
    if (previous && entry.first_offset <= previous.lastOffset) continue
    plan.push({ firstOffset: entry.first_offset, lastOffset: entry.last_offset, dropped: entry.dropped ?? [] })
  }
  return { plan, straddling }
}

/**
 * Cuts the fetched batches of one partition into runs to store. Normally a fetched batch is one run, or, above
 * `maxRows` messages, the fewest consecutive runs of at most `maxRows`, of equal size (no small tail insert: each
 * insert costs the engine a fixed part of its time). While a recovery plan is pending, runs follow the recorded
 * boundaries exactly; a recorded batch that a fetch cuts short is held until the fetch that completes it.
 */
export class BatchCutter<M extends { offset: string }> {
  private held: M[] = []

  constructor(
    private readonly plan: RecordedRange[],
    private readonly maxRows: number,
  ) {
    if (!(maxRows >= 1)) throw new Error(`maxRows must be at least 1, got ${maxRows}`)
  }

  /** Recorded batches not yet re-formed. */
  get pendingRecorded(): number {
    return this.plan.length
  }

  /** Returns the runs complete after `messages`, and the messages held for a recorded batch still incomplete. */
  cut(messages: readonly M[]): { runs: Run<M>[]; held: readonly M[] } {
    const runs: Run<M>[] = []
    let i = 0
    while (i < messages.length) {
      const message = messages[i] as M
      const offset = Number(message.offset)
      const recorded = this.plan[0]
      if (recorded && offset >= recorded.firstOffset) {
        if (offset > recorded.lastOffset) {
          // The recorded batch ended on an offset that is not a message here (e.g. removed by compaction).
          runs.push(this.closeRecorded())
          continue
        }
        this.held.push(message)
        i++
        if (offset === recorded.lastOffset) runs.push(this.closeRecorded())
        continue
      }
      const limit = recorded ? recorded.firstOffset : Number.POSITIVE_INFINITY
      let available = i
      while (available < messages.length && Number((messages[available] as M).offset) < limit) available++
      const size = Math.ceil((available - i) / Math.ceil((available - i) / this.maxRows))
      const end = i + size
      runs.push({
        firstOffset: offset,
        lastOffset: Number((messages[end - 1] as M).offset),
        messages: messages.slice(i, end),
        recorded: false,
      })
      i = end
    }
    return { runs, held: this.held }
  }

  private closeRecorded(): Run<M> {
    const { firstOffset, lastOffset, dropped } = this.plan.shift() as RecordedRange
    const run: Run<M> = { firstOffset, lastOffset, dropped, messages: this.held, recorded: true }
    this.held = []
    return run
  }
}
