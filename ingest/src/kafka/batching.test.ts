import { describe, expect, it } from 'vitest'
import type { LedgerEntry } from '../batch-writer.ts'
import { BatchCutter, type Run, recoveryPlan } from './batching.ts'

const messages = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => ({ offset: String(from + i) }))
const entry = (first: number, last: number): LedgerEntry => ({ first_offset: first, last_offset: last, rows: 1 })
const shape = (runs: Run<{ offset: string }>[]) =>
  runs.map((r) => [r.firstOffset, r.lastOffset, r.messages.length, r.recorded ? 'recorded' : 'new'])

describe('recoveryPlan', () => {
  it('keeps the recorded batches from the committed offset on, oldest first', () => {
    const { plan, straddling } = recoveryPlan([entry(200, 299), entry(100, 199), entry(300, 350)], 100)
    expect(plan).toEqual([
      { firstOffset: 100, lastOffset: 199, dropped: [] },
      { firstOffset: 200, lastOffset: 299, dropped: [] },
      { firstOffset: 300, lastOffset: 350, dropped: [] },
    ])
    expect(straddling).toEqual([])
  })

  it('re-forms the outermost of nested batches (a refused batch and its halves) and repeated records once', () => {
    const entries = [entry(100, 199), entry(100, 149), entry(150, 199), entry(150, 174), entry(100, 199)]
    expect(recoveryPlan(entries, 100).plan).toEqual([{ firstOffset: 100, lastOffset: 199, dropped: [] }])
  })

  it('reports a batch that starts before the committed offset instead of re-forming it', () => {
    const { plan, straddling } = recoveryPlan([entry(50, 149), entry(150, 199)], 100)
    expect(plan).toEqual([{ firstOffset: 150, lastOffset: 199, dropped: [] }])
    expect(straddling).toEqual([entry(50, 149)])
  })

  it('carries the offsets a recorded batch left out as resends, so its replay leaves out the same ones', () => {
    const recorded: LedgerEntry = { ...entry(100, 199), dropped: [120, 150] }
    expect(recoveryPlan([recorded], 100).plan).toEqual([{ firstOffset: 100, lastOffset: 199, dropped: [120, 150] }])
  })
})

describe('BatchCutter', () => {
  it('cuts a fetched batch into the fewest runs of at most maxRows, of equal size', () => {
    const cutter = new BatchCutter([], 4)
    const { runs, held } = cutter.cut(messages(10, 19))
    expect(shape(runs)).toEqual([
      [10, 13, 4, 'new'],
      [14, 16, 3, 'new'],
      [17, 19, 3, 'new'],
    ])
    expect(held).toEqual([])
    expect(shape(new BatchCutter([], 50).cut(messages(0, 100)).runs)).toEqual([
      [0, 33, 34, 'new'],
      [34, 67, 34, 'new'],
      [68, 100, 33, 'new'],
    ])
  })

  it('cuts exactly on recorded boundaries, whatever maxRows says, then batches normally', () => {
    const cutter = new BatchCutter(
      [
        { firstOffset: 0, lastOffset: 6 },
        { firstOffset: 7, lastOffset: 8 },
      ],
      3,
    )
    const { runs } = cutter.cut(messages(0, 13))
    expect(shape(runs)).toEqual([
      [0, 6, 7, 'recorded'],
      [7, 8, 2, 'recorded'],
      [9, 11, 3, 'new'],
      [12, 13, 2, 'new'],
    ])
    expect(cutter.pendingRecorded).toBe(0)
  })

  it('holds a recorded batch cut short by the fetch until the fetch that completes it', () => {
    const cutter = new BatchCutter([{ firstOffset: 100, lastOffset: 109 }], 50)
    const first = cutter.cut(messages(100, 104))
    expect(first.runs).toEqual([])
    expect(first.held.map((m) => m.offset)).toEqual(['100', '101', '102', '103', '104'])
    const second = cutter.cut(messages(105, 112))
    expect(shape(second.runs)).toEqual([
      [100, 109, 10, 'recorded'],
      [110, 112, 3, 'new'],
    ])
    expect(second.held).toEqual([])
  })

  it('starts normal batches before a recorded batch that begins later', () => {
    const cutter = new BatchCutter([{ firstOffset: 5, lastOffset: 9 }], 100)
    expect(shape(cutter.cut(messages(0, 9)).runs)).toEqual([
      [0, 4, 5, 'new'],
      [5, 9, 5, 'recorded'],
    ])
  })

  it('closes a recorded batch whose last offset is missing (compacted) when a later offset arrives', () => {
    const cutter = new BatchCutter([{ firstOffset: 0, lastOffset: 5 }], 100)
    const fetched = [...messages(0, 3), ...messages(7, 8)]
    expect(shape(cutter.cut(fetched).runs)).toEqual([
      [0, 5, 4, 'recorded'],
      [7, 8, 2, 'new'],
    ])
  })
})
