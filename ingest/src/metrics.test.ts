import { describe, expect, it } from 'vitest'
import { IngestMetrics } from './metrics.ts'

describe('IngestMetrics rates', () => {
  it('has a rate on its first read: counts are sampled as they move, not only when read', () => {
    const metrics = new IngestMetrics('replay')
    const t0 = 1_700_000_000_000
    for (let second = 0; second < 5; second++) metrics.recordStored(10_000, 50, t0 + second * 1_000)
    const first = metrics.snapshot(t0 + 5_000)
    expect(first.stored).toBe(50_000)
    expect(first.storedPerSecond).toBe(10_000)
  })

  it('counts over the trailing window only, after a long quiet spell', () => {
    const metrics = new IngestMetrics('kafka')
    const t0 = 1_700_000_000_000
    metrics.recordStored(1_000, 5, t0)
    metrics.snapshot(t0 + 1_000)
    // An hour of nothing, then 200 events within the last ten seconds.
    const later = t0 + 3_600_000
    metrics.recordStored(100, 5, later)
    metrics.recordStored(100, 5, later + 2_000)
    expect(metrics.snapshot(later + 4_000).storedPerSecond).toBe(20)
  })

  it('reads zero when nothing moved within the window', () => {
    const metrics = new IngestMetrics('kafka')
    const t0 = 1_700_000_000_000
    metrics.recordReceived(500, t0)
    metrics.recordStored(500, 5, t0)
    metrics.snapshot(t0 + 1_000)
    const idle = metrics.snapshot(t0 + 60_000)
    expect(idle.receivedPerSecond).toBe(0)
    expect(idle.storedPerSecond).toBe(0)
  })
})
