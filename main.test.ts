/**
 * The composition root as a process: the API names the seed story and writes its annotations only when the product
 * runs on the seed data; a Kafka deployment says nothing of the story. ROLE=api keeps the broker out of it (the
 * API role never connects to Kafka), so only the settings decide.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { AnnotationList, MetaReport } from '@trendlens/contract'
import { afterEach, describe, expect, it } from 'vitest'

const ROOT = fileURLToPath(new URL('.', import.meta.url))
const STARTUP_TIMEOUT_MS = 90_000
const POLL_MS = 200

interface Running {
  url: string
  stop: () => Promise<void>
}

const running: Running[] = []

afterEach(async () => {
  await Promise.all(running.splice(0).map((product) => product.stop()))
})

/** Starts `main.ts` on a free port with a fresh data folder and waits until it listens. */
async function startProduct(env: Record<string, string>): Promise<Running> {
  const dataDir = mkdtempSync(join(tmpdir(), 'trendlens-main-'))
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'main.ts'], {
    cwd: ROOT,
    env: { ...process.env, KAFKA_BROKERS: '', PORT: '0', DATA_DIR: dataDir, OPEN_BROWSER: 'false', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000)
  }
  child.stdout?.on('data', keep)
  child.stderr?.on('data', keep)
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const stop = async () => {
    child.kill('SIGTERM')
    await exited
    rmSync(dataDir, { recursive: true, force: true })
  }
  const product = { url: '', stop }
  running.push(product)
  const deadline = Date.now() + STARTUP_TIMEOUT_MS
  while (Date.now() < deadline) {
    const listening = /"msg":"listening".*?"url":"(http:\/\/[^"]+)"/.exec(output)
    if (listening?.[1]) {
      product.url = listening[1]
      return product
    }
    if (child.exitCode !== null) throw new Error(`main.ts exited with ${child.exitCode}:\n${output}`)
    await new Promise((resolve) => setTimeout(resolve, POLL_MS))
  }
  throw new Error(`main.ts did not listen within ${STARTUP_TIMEOUT_MS} ms:\n${output}`)
}

async function getJson<T>(url: string): Promise<T> {
  const response = await fetch(url)
  expect(response.status).toBe(200)
  return (await response.json()) as T
}

const STORY_WEEK = 'from=2025-01-10&to=2025-01-21'

describe('main.ts', () => {
  it('with Kafka and no seed, the API says nothing of the story and writes none of its annotations', async () => {
    const product = await startProduct({ ROLE: 'api', KAFKA_BROKERS: '127.0.0.1:9092' })
    const meta = await getJson<MetaReport>(`${product.url}/api/meta`)
    expect(meta.story).toBeNull()
    const annotations = await getJson<AnnotationList>(`${product.url}/api/annotations?${STORY_WEEK}`)
    expect(annotations.rows).toEqual([])
  })

  it('on the seed data, the API names the story and its annotations are written once', async () => {
    const product = await startProduct({ ROLE: 'api', SEED_SOURCE: 'sample', LIVE_RATE: '0' })
    const meta = await getJson<MetaReport>(`${product.url}/api/meta`)
    expect(meta.story).toMatchObject({ tag: 'tiktokrefugee', from: '2025-01-10T00:00:00+08:00' })
    const annotations = await getJson<AnnotationList>(`${product.url}/api/annotations?${STORY_WEEK}`)
    expect(annotations.rows.map((row) => row.id).sort()).toEqual(['S5', 'S6'])
  })
})
