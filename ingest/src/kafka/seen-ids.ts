/**
 * The dedup window: event ids already stored, each with its event time. Each partition's event time advances on
 * its own (a partition can lag behind the others by hours), so an id is forgotten only once the slowest partition
 * consumed here has moved more than `windowMs` of event time past it: a copy on any partition is recognised if it
 * arrives before its partition's event time has moved the window past the original's.
 */
export class SeenIds {
  private readonly ids = new Map<string, number>()
  private readonly partitionNewest = new Map<number, number>()
  private sweptAtTs = Number.NEGATIVE_INFINITY

  constructor(readonly windowMs: number) {}

  get size(): number {
    return this.ids.size
  }

  get enabled(): boolean {
    return this.windowMs > 0
  }

  has(id: string): boolean {
    return this.ids.has(id)
  }

  add(id: string, ts: number): void {
    if (!this.enabled) return
    const known = this.ids.get(id)
    if (known === undefined || ts > known) this.ids.set(id, ts)
  }

  /** A partition's newest committed event time. */
  advance(partition: number, ts: number): void {
    if (ts > (this.partitionNewest.get(partition) ?? Number.NEGATIVE_INFINITY)) this.partitionNewest.set(partition, ts)
  }

  /** Each partition's event time as recorded (after a join, the partitions owned may have changed). */
  resetPartitions(newest: ReadonlyMap<number, number>): void {
    this.partitionNewest.clear()
    for (const [partition, ts] of newest) this.partitionNewest.set(partition, ts)
  }

  /** Where the window starts: the slowest partition's event time minus the window (undefined before any). */
  windowStart(): number | undefined {
    if (this.partitionNewest.size === 0) return undefined
    return Math.min(...this.partitionNewest.values()) - this.windowMs
  }

  /** Drops ids older than the window; a full pass, so only after the window's start moved a 24th of it. */
  sweep(): void {
    const start = this.windowStart()
    if (start === undefined || !(start - this.sweptAtTs >= this.windowMs / 24)) return
    for (const [id, ts] of this.ids) if (ts < start) this.ids.delete(id)
    this.sweptAtTs = start
  }
}
