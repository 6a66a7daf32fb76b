/**
 * Export slots over real HTTP, with clients that start a raw export and stop reading: a stalled download is cut
 * after the idle limit and its slot freed, and one client (address) cannot hold every slot. Clients speak from
 * distinct loopback addresses (127.0.0.2, .3, .4) so that each is its own client.
 */
import { execFile } from 'node:child_process'
import { connect, type Socket } from 'node:net'
import { promisify } from 'node:util'
import type { ErrorBody, WireEvent } from '@trendlens/contract'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Listening, listen } from '../server.ts'
import { eventually, type Loaded, loadSampleStore, testApp } from '../test-support.ts'

const run = promisify(execFile)
const RANGE = 'from=2025-01-10&to=2025-01-21&tz=Asia/Shanghai'
/** More CSV than the loopback socket buffers hold, so a reader that stops really stalls the download. */
const EXTRA_EVENTS = 60_000

let loaded: Loaded

beforeAll(async () => {
  loaded = await loadSampleStore()
  const start = Date.parse('2025-01-15T00:00:00+08:00')
  const extra: WireEvent[] = Array.from({ length: EXTRA_EVENTS }, (_, i) => ({
    id: `bulk-${String(i).padStart(6, '0')}-${'x'.repeat(40)}`,
    type: 'view',
    ts: start + i * 1000,
    user_id: `bulk-user-${i % 977}`,
    note_id: `bulk-note-${i % 131}`,
    hashtags: ['bulk', 'export'],
    region: 'CN-SH',
  }))
  await loaded.write(extra)
})

afterAll(async () => {
  await loaded?.close()
})

interface Stalled {
  head: string
  /** Reads again until the connection ends: whether the response ended with chunked encoding's last chunk. */
  drain: () => Promise<{ complete: boolean }>
  close: () => void
}

/** Starts a raw export from `localAddress`, reads the response head, then stops reading. */
function stalledExport(port: number, localAddress: string): Promise<Stalled> {
  return new Promise((resolve, reject) => {
    const socket: Socket = connect({ host: '127.0.0.1', port, localAddress })
    socket.once('error', reject)
    socket.once('connect', () => {
      socket.write(`GET /api/export/events.csv?${RANGE} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`)
    })
    socket.once('data', (chunk: Buffer) => {
      socket.pause()
      socket.on('error', () => undefined)
      let tail = chunk.toString('latin1').slice(-16)
      const drain = () =>
        new Promise<{ complete: boolean }>((done) => {
          socket.on('data', (more: Buffer) => {
            tail = (tail + more.toString('latin1')).slice(-16)
          })
          socket.once('close', () => done({ complete: tail.endsWith('0\r\n\r\n') }))
          socket.resume()
        })
      resolve({ head: chunk.toString('latin1', 0, 200), drain, close: () => socket.destroy() })
    })
  })
}

/** A whole download with curl from `localAddress`. */
async function curlExport(port: number, localAddress: string, dataset: string) {
  const { stdout } = await run(
    'curl',
    [
      '-sS',
      '--interface',
      localAddress,
      '--max-time',
      '120',
      '-D',
      '-',
      `http://127.0.0.1:${port}/api/export/${dataset}.csv?${RANGE}`,
    ],
    { maxBuffer: 256 * 1024 * 1024 },
  )
  const split = stdout.indexOf('\r\n\r\n')
  const head = stdout.slice(0, split)
  return {
    status: Number(/^HTTP\/[\d.]+ (\d{3})/.exec(head)?.[1]),
    rowsHeader: Number(/^x-export-rows: (\d+)/im.exec(head)?.[1]),
    body: stdout.slice(split + 4),
  }
}

async function metric(port: number, name: string): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text()
  return Number(
    text
      .split('\n')
      .find((line) => line.startsWith(`${name} `))
      ?.split(' ')[1],
  )
}

describe('export slots', () => {
  it('give every client its own: one client cannot hold them all while another exports in full', async () => {
    const app = testApp(loaded, {
      api: { exportMaxConcurrent: 2, exportMaxPerClient: 1, exportIdleTimeoutMs: 120_000 },
    })
    const server: Listening = await listen(app, 0, '127.0.0.1')
    try {
      const first = await stalledExport(server.port, '127.0.0.2')
      expect(first.head).toMatch(/^HTTP\/1\.1 200/)
      const again = await curlExport(server.port, '127.0.0.2', 'top')
      expect(again.status).toBe(429)
      const refusal = JSON.parse(again.body) as ErrorBody
      expect(refusal.code).toBe('too_many_exports')
      expect(refusal.message).toContain('EXPORT_MAX_PER_CLIENT')
      // Another client gets the second slot and its whole export, the first one's stalled download still open.
      const other = await curlExport(server.port, '127.0.0.3', 'events')
      expect(other.status).toBe(200)
      expect(other.body.trimEnd().split('\r\n').length - 1).toBe(other.rowsHeader)
      expect(other.rowsHeader).toBeGreaterThan(EXTRA_EVENTS)
      expect(await metric(server.port, 'trendlens_exports_in_progress')).toBe(1)
      first.close()
      await eventually(
        async () => ((await metric(server.port, 'trendlens_exports_in_progress')) === 0 ? true : undefined),
        20_000,
        'the slot of the closed download',
      )
    } finally {
      await server.close()
    }
  })

  it('cut downloads whose reader stopped, free their slots, and let the next export run', async () => {
    const idleMs = 1_500
    const app = testApp(loaded, {
      api: { exportMaxConcurrent: 2, exportMaxPerClient: 1, exportIdleTimeoutMs: idleMs },
    })
    const server: Listening = await listen(app, 0, '127.0.0.1')
    try {
      const stalled = await Promise.all([
        stalledExport(server.port, '127.0.0.2'),
        stalledExport(server.port, '127.0.0.3'),
      ])
      for (const download of stalled) expect(download.head).toMatch(/^HTTP\/1\.1 200/)
      expect(await metric(server.port, 'trendlens_exports_in_progress')).toBe(2)
      // The server cuts both once their readers have taken nothing for the idle limit, and frees their slots.
      await eventually(
        async () => ((await metric(server.port, 'trendlens_exports_stalled_total')) === 2 ? true : undefined),
        idleMs * 20,
        'both stalled downloads to be cut',
      )
      expect(await metric(server.port, 'trendlens_exports_in_progress')).toBe(0)
      // Reading again gets what was in flight and then the end of a cut connection, not a complete response.
      for (const outcome of await Promise.all(stalled.map((download) => download.drain()))) {
        expect(outcome.complete).toBe(false)
      }
      // The slots are free: a third client's export, large or small, runs at once and in full.
      const small = await curlExport(server.port, '127.0.0.4', 'top')
      expect(small.status).toBe(200)
      const large = await curlExport(server.port, '127.0.0.4', 'events')
      expect(large.status).toBe(200)
      expect(large.body.trimEnd().split('\r\n').length - 1).toBe(large.rowsHeader)
    } finally {
      await server.close()
    }
  })
})
