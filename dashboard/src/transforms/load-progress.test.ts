import type { LoadProgress } from '@trendlens/contract'
import { describe, expect, it } from 'vitest'
import { formatDuration, loadProgressText } from './load-progress.ts'

const LOAD: LoadProgress = {
  source: 'seed:scale=0.01:seed=1',
  rows: 1_000_000,
  expectedRows: 2_460_000,
  percent: 40.7,
  rowsPerSecond: 48_000,
  etaSeconds: 31,
  startedAt: '2026-12-02T16:00:00.000Z',
}

describe('seed-load progress', () => {
  it('gives the share, the rows of the expected total and the time left, in English and Chinese', () => {
    expect(loadProgressText(LOAD, 'en')).toBe('Loading the story: 40.7% · 1M of 2.5M events · ETA 0:31')
    expect(loadProgressText(LOAD, 'zh-CN')).toBe('正在载入故事：40.7% · 已载入 100万 / 246万 条事件 · 预计剩余 0:31')
  })

  it('gives rows and rate when the total is unknown (a resumed load), and a dash before any rate', () => {
    const resumed = { ...LOAD, expectedRows: null, percent: null, etaSeconds: null }
    expect(loadProgressText(resumed, 'en')).toBe('Loading the story: 1M events · 48K events/s')
    expect(loadProgressText(resumed, 'zh-CN')).toBe('正在载入故事：已载入 100万 条事件 · 每秒 4.8万 条')
    const starting = { ...LOAD, rows: 0, percent: 0, rowsPerSecond: 0, etaSeconds: null }
    expect(loadProgressText(starting, 'en')).toBe('Loading the story: 0.0% · 0 of 2.5M events · ETA –')
  })

  it('writes the time left as m:ss, and h:mm:ss from an hour', () => {
    expect(formatDuration(0)).toBe('0:00')
    expect(formatDuration(31)).toBe('0:31')
    expect(formatDuration(59.6)).toBe('1:00')
    expect(formatDuration(754)).toBe('12:34')
    expect(formatDuration(3_600)).toBe('1:00:00')
    expect(formatDuration(4_321)).toBe('1:12:01')
  })
})
