/**
 * The standard process and Node.js metrics (`process_*`, `nodejs_*`, as Prometheus client libraries name them),
 * read from Node's own APIs so no metrics library is needed: CPU, memory, open files, event-loop lag, handles,
 * garbage collection.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { constants, monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks'

type Sample = [labels: Record<string, string>, value: number]

interface Family {
  name: string
  type: 'counter' | 'gauge'
  help: string
  samples: Sample[]
}

const GC_KINDS: Record<number, string> = {
  [constants.NODE_PERFORMANCE_GC_MAJOR]: 'major',
  [constants.NODE_PERFORMANCE_GC_MINOR]: 'minor',
  [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental',
  [constants.NODE_PERFORMANCE_GC_WEAKCB]: 'weakcb',
}

/** Started once per process however many apps are created (tests make many). */
let collector: ProcessCollector | undefined

export function processMetrics(): ProcessCollector {
  collector ??= new ProcessCollector()
  return collector
}

export class ProcessCollector {
  private readonly loopDelay = monitorEventLoopDelay({ resolution: 10 })
  private readonly gcRuns = new Map<string, number>()
  private readonly gcSeconds = new Map<string, number>()

  constructor() {
    this.loopDelay.enable()
    const observer = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        const detail = (entry as unknown as { detail?: { kind?: number } }).detail
        const kind = GC_KINDS[detail?.kind ?? -1] ?? 'other'
        this.gcRuns.set(kind, (this.gcRuns.get(kind) ?? 0) + 1)
        this.gcSeconds.set(kind, (this.gcSeconds.get(kind) ?? 0) + entry.duration / 1000)
      }
    })
    observer.observe({ entryTypes: ['gc'] })
  }

  /** The families in Prometheus text; event-loop lag percentiles cover the time since the previous scrape. */
  render(): string {
    const families: Family[] = []
    const add = (name: string, type: Family['type'], help: string, samples: Sample[]) =>
      families.push({ name, type, help, samples })
    const cpu = process.cpuUsage()
    add('process_cpu_user_seconds_total', 'counter', 'User CPU time spent.', [[{}, cpu.user / 1e6]])
    add('process_cpu_system_seconds_total', 'counter', 'System CPU time spent.', [[{}, cpu.system / 1e6]])
    add('process_cpu_seconds_total', 'counter', 'User and system CPU time spent.', [
      [{}, (cpu.user + cpu.system) / 1e6],
    ])
    const memory = process.memoryUsage()
    add('process_resident_memory_bytes', 'gauge', 'Resident memory size.', [[{}, memory.rss]])
    add('process_start_time_seconds', 'gauge', 'Start time of the process since the Unix epoch.', [
      [{}, Math.round(Date.now() / 1000 - process.uptime())],
    ])
    const fds = openFiles()
    if (fds !== undefined) add('process_open_fds', 'gauge', 'Open file descriptors.', [[{}, fds]])
    const maxFds = maxOpenFiles()
    if (maxFds !== undefined) add('process_max_fds', 'gauge', 'Limit on open file descriptors.', [[{}, maxFds]])

    add('nodejs_heap_size_total_bytes', 'gauge', 'V8 heap size.', [[{}, memory.heapTotal]])
    add('nodejs_heap_size_used_bytes', 'gauge', 'V8 heap in use.', [[{}, memory.heapUsed]])
    add('nodejs_external_memory_bytes', 'gauge', 'Memory of C++ objects bound to JavaScript.', [[{}, memory.external]])
    add('nodejs_array_buffers_bytes', 'gauge', 'Memory of ArrayBuffers and Buffers.', [[{}, memory.arrayBuffers]])

    const delay = this.loopDelay
    const seconds = (ns: number) => (Number.isFinite(ns) ? ns / 1e9 : 0)
    add('nodejs_eventloop_lag_mean_seconds', 'gauge', 'Mean event-loop delay since the previous scrape.', [
      [{}, seconds(delay.mean)],
    ])
    add('nodejs_eventloop_lag_p50_seconds', 'gauge', 'Median event-loop delay since the previous scrape.', [
      [{}, seconds(delay.percentile(50))],
    ])
    add('nodejs_eventloop_lag_p99_seconds', 'gauge', '99th percentile event-loop delay since the previous scrape.', [
      [{}, seconds(delay.percentile(99))],
    ])
    add('nodejs_eventloop_lag_max_seconds', 'gauge', 'Longest event-loop delay since the previous scrape.', [
      [{}, seconds(delay.max)],
    ])
    delay.reset()

    const resources = new Map<string, number>()
    for (const type of process.getActiveResourcesInfo()) resources.set(type, (resources.get(type) ?? 0) + 1)
    add(
      'nodejs_active_resources',
      'gauge',
      'Handles and requests keeping the event loop alive, by type.',
      [...resources].map(([type, count]) => [{ type }, count]),
    )
    add('nodejs_active_handles_total', 'gauge', 'Handles and requests keeping the event loop alive.', [
      [{}, [...resources.values()].reduce((sum, n) => sum + n, 0)],
    ])
    add(
      'nodejs_gc_runs_total',
      'counter',
      'Garbage collections, by kind.',
      [...this.gcRuns].map(([kind, n]) => [{ kind }, n]),
    )
    add(
      'nodejs_gc_duration_seconds_total',
      'counter',
      'Time spent in garbage collection, by kind.',
      [...this.gcSeconds].map(([kind, s]) => [{ kind }, s]),
    )
    const [major, minor, patch] = process.versions.node.split('.')
    add('nodejs_version_info', 'gauge', 'Node.js version.', [
      [{ version: process.version, major: major ?? '', minor: minor ?? '', patch: patch ?? '' }, 1],
    ])
    return families.map(renderFamily).join('')
  }
}

function renderFamily(family: Family): string {
  const lines = [`# HELP ${family.name} ${family.help}`, `# TYPE ${family.name} ${family.type}`]
  for (const [labels, value] of family.samples) lines.push(`${family.name}${formatLabels(labels)} ${value}`)
  return `${lines.join('\n')}\n`
}

export function formatLabels(values: Record<string, string>): string {
  const parts = Object.entries(values).map(
    ([key, value]) => `${key}="${value.replaceAll('\\', '\\\\').replaceAll('"', '\\"').replaceAll('\n', '\\n')}"`,
  )
  return parts.length === 0 ? '' : `{${parts.join(',')}}`
}

/** Linux only (/proc); elsewhere the metric is left out rather than guessed. */
function openFiles(): number | undefined {
  try {
    return readdirSync('/proc/self/fd').length
  } catch {
    return undefined
  }
}

function maxOpenFiles(): number | undefined {
  try {
    const line = readFileSync('/proc/self/limits', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('Max open files'))
    const soft = line?.split(/\s{2,}/)[1]
    return soft === undefined || soft === 'unlimited' ? undefined : Number(soft)
  } catch {
    return undefined
  }
}
