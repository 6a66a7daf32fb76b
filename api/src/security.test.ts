/**
 * Other origins and hostile requests, through app.request() and through curl against a started server: Host
 * allow-list, cross-origin writes, security headers, annotation text, token placement, oversized request lines.
 */
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import type { ErrorBody } from '@trendlens/contract'
import type { Hono } from 'hono'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AppEnv } from './app.ts'
import { type Listening, listen, maxHeaderBytes } from './server.ts'
import { getJson, type Loaded, loadSampleStore, testApp } from './test-support.ts'

const run = promisify(execFile)

let loaded: Loaded
let app: Hono<AppEnv>
let server: Listening
let base: string

beforeAll(async () => {
  loaded = await loadSampleStore()
  app = testApp(loaded)
  server = await listen(app, 0, '127.0.0.1')
  base = `http://127.0.0.1:${server.port}`
})

afterAll(async () => {
  await server?.close()
  await loaded?.close()
})

interface CurlResult {
  status: number
  headers: Record<string, string>
  body: string
}

/** One request with the curl binary: what any client, not just fetch, gets back. */
async function curl(args: string[]): Promise<CurlResult> {
  const { stdout } = await run('curl', ['-sS', '-i', '--max-time', '20', ...args], { maxBuffer: 16 * 1024 * 1024 })
  const split = stdout.indexOf('\r\n\r\n')
  const head = stdout.slice(0, split).split('\r\n')
  const status = Number(/^HTTP\/[\d.]+ (\d{3})/.exec(head[0] ?? '')?.[1])
  const headers: Record<string, string> = {}
  for (const line of head.slice(1)) {
    const colon = line.indexOf(':')
    headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim()
  }
  return { status, headers, body: stdout.slice(split + 4) }
}

function errorBody(text: string): ErrorBody {
  const body = JSON.parse(text) as ErrorBody
  expect(typeof body.message).toBe('string')
  expect(body.requestId.length).toBeGreaterThan(0)
  return body
}

const RANGE = 'from=2025-01-10&to=2025-01-21&tz=Asia/Shanghai'

async function annotationIds(): Promise<string[]> {
  const { body } = await getJson<{ rows: { id: string }[] }>(app, `/api/annotations?${RANGE}`)
  return body.rows.map((row) => row.id)
}

describe('Host', () => {
  it('answers for loopback names and refuses a foreign Host with the JSON error body (DNS rebinding)', async () => {
    for (const host of ['localhost', `localhost:${server.port}`, `127.0.0.1:${server.port}`, `[::1]:${server.port}`]) {
      const ok = await curl(['-H', `Host: ${host}`, `${base}/api/meta`])
      expect(ok.status, host).toBe(200)
    }
    for (const host of ['evil.example', `evil.example:${server.port}`, 'localhost.evil.example', '127.0.0.1.nip.io']) {
      const refused = await curl(['-H', `Host: ${host}`, `${base}/api/overview?${RANGE}`])
      expect(refused.status, host).toBe(421)
      expect(refused.headers['content-type']).toContain('application/json')
      const body = errorBody(refused.body)
      expect(body.code).toBe('unknown_host')
      expect(body.parameter).toBe('Host')
      expect(refused.body).not.toContain('views')
    }
    // The same through app.request(), as any client of the app sees it.
    expect((await app.request('/api/meta', { headers: { Host: 'evil.example' } })).status).toBe(421)
  })

  it('leaves health, readiness and metrics open to probes that address the process by IP', async () => {
    for (const path of ['/healthz', '/readyz', '/metrics']) {
      const response = await curl(['-H', 'Host: 10.1.2.3:8080', `${base}${path}`])
      expect(response.status, path).toBe(200)
    }
  })

  it('answers for configured names, domain suffixes and any name with *', async () => {
    const named = testApp(loaded, { api: { allowedHosts: ['trends.example.com', '.example.org'] } })
    const status = async (target: Hono<AppEnv>, host: string) =>
      (await target.request('/api/meta', { headers: { Host: host } })).status
    expect(await status(named, 'trends.example.com')).toBe(200)
    expect(await status(named, 'TRENDS.example.com.')).toBe(200)
    expect(await status(named, 'a.b.example.org:443')).toBe(200)
    expect(await status(named, 'example.org')).toBe(200)
    expect(await status(named, 'localhost')).toBe(421)
    expect(await status(named, 'badexample.org')).toBe(421)
    const open = testApp(loaded, { api: { allowedHosts: ['*'] } })
    expect(await status(open, 'anything.example')).toBe(200)
  })
})

describe('state-changing requests', () => {
  it('refuses a cross-origin form post and creates nothing', async () => {
    const before = await annotationIds()
    const form = await curl([
      '-X',
      'POST',
      '-H',
      'Origin: http://evil.example',
      '--data-urlencode',
      'ts=2025-01-14T03:00:00+08:00',
      '--data-urlencode',
      'title=pwned',
      `${base}/api/annotations`,
    ])
    expect(form.status).toBe(403)
    expect(errorBody(form.body)).toMatchObject({ code: 'forbidden_origin', parameter: 'Origin' })
    // The same body as text/plain (what a form with enctype=text/plain sends) with the JSON in it.
    const plain = await curl([
      '-X',
      'POST',
      '-H',
      'Origin: http://evil.example',
      '-H',
      'Content-Type: text/plain',
      '--data',
      JSON.stringify({ ts: 1736794800000, title: 'pwned' }),
      `${base}/api/annotations`,
    ])
    expect(plain.status).toBe(403)
    // A JSON body from a page on another port of the same machine is another origin too.
    const otherPort = await curl([
      '-X',
      'POST',
      '-H',
      `Origin: http://127.0.0.1:${server.port + 1}`,
      '-H',
      'Content-Type: application/json',
      '--data',
      JSON.stringify({ ts: 1736794800000, title: 'pwned' }),
      `${base}/api/annotations`,
    ])
    expect(otherPort.status).toBe(403)
    const opaque = await app.request('/api/annotations', {
      method: 'POST',
      headers: { Origin: 'null', 'Content-Type': 'application/json' },
      body: JSON.stringify({ ts: 1736794800000, title: 'pwned' }),
    })
    expect(opaque.status).toBe(403)
    expect(await annotationIds()).toEqual(before)
  })

  it('requires application/json even without an Origin header', async () => {
    const before = await annotationIds()
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
      const response = await curl([
        '-X',
        'POST',
        '-H',
        `Content-Type: ${type}`,
        '--data',
        JSON.stringify({ ts: 1736794800000, title: 'pwned' }),
        `${base}/api/annotations`,
      ])
      expect(response.status, type).toBe(415)
      expect(errorBody(response.body)).toMatchObject({ code: 'unsupported_media_type', parameter: 'Content-Type' })
    }
    const deleteForm = await app.request('/api/annotations/S5', {
      method: 'DELETE',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'x=1',
    })
    expect(deleteForm.status).toBe(415)
    const deleteCrossOrigin = await app.request('/api/annotations/S5', {
      method: 'DELETE',
      headers: { Origin: 'https://evil.example' },
    })
    expect(deleteCrossOrigin.status).toBe(403)
    expect(await annotationIds()).toEqual(before)
  })

  it('accepts a same-origin JSON write from the page, and one from a client that sends no Origin', async () => {
    const fromPage = await curl([
      '-X',
      'POST',
      '-H',
      `Origin: ${base}`,
      '-H',
      'Content-Type: application/json; charset=utf-8',
      '--data',
      JSON.stringify({ ts: 1736794800000, title: 'from the page' }),
      `${base}/api/annotations`,
    ])
    expect(fromPage.status).toBe(201)
    const created = JSON.parse(fromPage.body) as { id: string }
    const removed = await curl(['-X', 'DELETE', '-H', `Origin: ${base}`, `${base}/api/annotations/${created.id}`])
    expect(removed.status).toBe(204)
    const noOrigin = await curl([
      '-X',
      'POST',
      '-H',
      'Content-Type: application/json',
      '--data',
      JSON.stringify({ ts: 1736794800000, title: 'from a script' }),
      `${base}/api/annotations`,
    ])
    expect(noOrigin.status).toBe(201)
    const scripted = JSON.parse(noOrigin.body) as { id: string }
    expect((await curl(['-X', 'DELETE', `${base}/api/annotations/${scripted.id}`])).status).toBe(204)
  })
})

describe('security headers', () => {
  const expectHeaders = (headers: Record<string, string>, what: string) => {
    expect(headers['x-content-type-options'], what).toBe('nosniff')
    expect(headers['x-frame-options'], what).toBe('DENY')
    expect(headers['referrer-policy'], what).toBe('no-referrer')
    const csp = headers['content-security-policy'] ?? ''
    expect(csp, what).toContain("frame-ancestors 'none'")
    // No inline script in any form: neither 'unsafe-inline' nor 'unsafe-eval' for scripts.
    const scripts = /(?:^|;)\s*(?:script-src|default-src)([^;]*)/.exec(csp)?.[1] ?? ''
    expect(scripts, what).not.toContain('unsafe')
  }

  it('are on every response: data, errors, downloads, the live stream, probes', async () => {
    for (const path of [
      `/api/overview?${RANGE}`,
      '/api/overview?tz=Mars/Olympus',
      '/api/nothing',
      '/api/export/top.csv',
      '/healthz',
      '/metrics',
    ]) {
      const response = await curl([`${base}${path}`])
      expectHeaders(response.headers, path)
    }
    const refusedHost = await curl(['-H', 'Host: evil.example', `${base}/`])
    expectHeaders(refusedHost.headers, 'foreign host')
    const live = await curl(['--max-time', '1', '-o', '/dev/null', '-D', '-', `${base}/api/live`]).catch(
      (error: { stdout?: string }) => ({ status: 0, headers: {}, body: error.stdout ?? '' }),
    )
    const liveHeaders = Object.fromEntries(
      live.body
        .split('\r\n')
        .filter((line) => line.includes(':'))
        .map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]),
    )
    expect(liveHeaders['content-type']).toContain('text/event-stream')
    expectHeaders(liveHeaders, 'live')
  })
})

describe('annotation text', () => {
  const post = (body: Record<string, unknown>) =>
    app.request('/api/annotations', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ ts: 1736794800000, ...body }),
    })

  it('refuses control characters, bidi overrides and blank-looking titles, naming the field', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ title: 'nul\u0000byte' }, 'title'],
      [{ title: 'line\r\nInjected: header' }, 'title'],
      [{ title: 'bell\u0007' }, 'title'],
      [{ title: 'c1\u009b31m' }, 'title'],
      [{ title: 'safe \u202etxt.exe' }, 'title'],
      [{ title: 'isolate \u2066x\u2069' }, 'title'],
      [{ title: '   ' }, 'title'],
      [{ title: '\u200b' }, 'title'],
      [{ title: ' \u200b\u3000\u00a0\ufeff\u2060' }, 'title'],
      [{ title: '\u3164\u115f' }, 'title'],
      [{ title: '\u2800' }, 'title'],
      [{ title: 'ok', body: 'two\nlines' }, 'body'],
      [{ title: 'ok', body: 'nul\u0000' }, 'body'],
      [{ title: 'ok', body: 'rlo \u202e' }, 'body'],
    ]
    const before = await annotationIds()
    for (const [body, field] of cases) {
      const response = await post(body)
      const error = (await response.json()) as ErrorBody
      expect(response.status, JSON.stringify(body)).toBe(400)
      expect(error, JSON.stringify(body)).toMatchObject({ code: 'invalid_body', parameter: field })
    }
    expect(await annotationIds()).toEqual(before)
  })

  it('keeps ordinary text of any script, emoji sequences included', async () => {
    const title = '  早C晚A · TikTok refugees 👨‍👩‍👧 arrive  '
    const response = await post({ title, body: 'עברית and العربية in one note' })
    expect(response.status).toBe(201)
    const created = (await response.json()) as { id: string; title: string }
    expect(created.title).toBe(title.trim())
    expect((await app.request(`/api/annotations/${created.id}`, { method: 'DELETE' })).status).toBe(204)
  })
})

describe('token', () => {
  const token = 'test-token-0123456789abcdef'
  let secured: Hono<AppEnv>
  beforeAll(() => {
    secured = testApp(loaded, { api: { token } })
  })

  it('takes the bearer scheme in any letter case', async () => {
    for (const scheme of ['Bearer', 'bearer', 'BEARER', 'bEaReR']) {
      const response = await secured.request('/api/meta', { headers: { Authorization: `${scheme} ${token}` } })
      expect(response.status, scheme).toBe(200)
    }
    const basic = await secured.request('/api/meta', { headers: { Authorization: `Basic ${token}` } })
    expect(basic.status).toBe(401)
  })

  it('accepts ?token= only on GET of the live stream and downloads', async () => {
    const download = await secured.request(`/api/export/top.csv?${RANGE}&token=${token}`)
    expect(download.status).toBe(200)
    await download.body?.cancel()
    const live = await secured.request(`/api/live?token=${token}`)
    expect(live.status).toBe(200)
    await live.body?.cancel()
    const data = await secured.request(`/api/overview?${RANGE}&token=${token}`)
    expect(data.status).toBe(401)
    const before = await annotationIds()
    const write = await secured.request(`/api/annotations?token=${token}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ ts: 1736794800000, title: 'via url token' }),
    })
    expect(write.status).toBe(401)
    expect(((await write.json()) as ErrorBody).code).toBe('unauthorized')
    const remove = await secured.request(`/api/annotations/S5?token=${token}`, { method: 'DELETE' })
    expect(remove.status).toBe(401)
    expect(await annotationIds()).toEqual(before)
  })
})

describe('oversized request lines', () => {
  it('get the JSON error body at the server’s real limit, and requests just under it are answered', async () => {
    const limit = maxHeaderBytes()
    // curl's own request line and headers around the path: "GET <path> HTTP/1.1\r\nHost: …\r\nUser-Agent: …".
    const fixed = `GET  HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nUser-Agent: t\r\nAccept: */*\r\n\r\n`.length
    const pathOfLength = (length: number) => `/api/overview?tags=${'a'.repeat(length - '/api/overview?tags='.length)}`
    const under = await curl(['-A', 't', `${base}${pathOfLength(limit - fixed - 64)}`])
    expect(under.status).toBe(400)
    expect(errorBody(under.body)).toMatchObject({ code: 'invalid_parameter', parameter: 'tags' })
    const over = await curl(['-A', 't', `${base}${pathOfLength(limit + 1)}`])
    expect(over.status).toBe(431)
    expect(over.headers['content-type']).toContain('application/json')
    expect(over.headers['x-content-type-options']).toBe('nosniff')
    const body = errorBody(over.body)
    expect(body.code).toBe('request_too_large')
    expect(body.message).toContain(String(limit))
    // The server is still healthy after refusing it.
    expect((await curl([`${base}/healthz`])).status).toBe(200)
  })
})
