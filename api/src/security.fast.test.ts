/**
 * Other origins and hostile requests, through app.request() and through curl against a started server: Host
 * allow-list, cross-origin writes, security headers, annotation text, the token and where it may be sent, oversized
 * request lines. Runs over the store double, without an engine: each of these is decided before any figure is
 * read, and a refused write must reach nothing (the double records every write).
 */
import type { ErrorBody } from '@trendlens/contract'
import type { Hono } from 'hono'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AppEnv } from './app.ts'
import { type Listening, listen, maxHeaderBytes } from './server.ts'
import { curl, memoryApp } from './test-support.ts'

const { app, store } = memoryApp()
let server: Listening
let base: string

beforeAll(async () => {
  server = await listen(app, 0, '127.0.0.1')
  base = `http://127.0.0.1:${server.port}`
})

afterAll(async () => {
  await server?.close()
})

function errorBody(text: string): ErrorBody {
  const body = JSON.parse(text) as ErrorBody
  expect(typeof body.message).toBe('string')
  expect(body.requestId.length).toBeGreaterThan(0)
  return body
}

const RANGE = 'from=2025-01-10&to=2025-01-21&tz=Asia/Shanghai'

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
    const named = memoryApp({ api: { allowedHosts: ['trends.example.com', '.example.org'] } }).app
    const status = async (target: Hono<AppEnv>, host: string) =>
      (await target.request('/api/meta', { headers: { Host: host } })).status
    expect(await status(named, 'trends.example.com')).toBe(200)
    expect(await status(named, 'TRENDS.example.com.')).toBe(200)
    expect(await status(named, 'a.b.example.org:443')).toBe(200)
    expect(await status(named, 'example.org')).toBe(200)
    expect(await status(named, 'localhost')).toBe(421)
    expect(await status(named, 'badexample.org')).toBe(421)
    const open = memoryApp({ api: { allowedHosts: ['*'] } }).app
    expect(await status(open, 'anything.example')).toBe(200)
  })
})

describe('state-changing requests', () => {
  it('refuses a cross-origin form post and creates nothing', async () => {
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
    expect(store.appended).toEqual([])
  })

  it('requires application/json even without an Origin header', async () => {
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
    expect(store.appended).toEqual([])
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
    for (const [body, field] of cases) {
      const response = await post(body)
      const error = (await response.json()) as ErrorBody
      expect(response.status, JSON.stringify(body)).toBe(400)
      expect(error, JSON.stringify(body)).toMatchObject({ code: 'invalid_body', parameter: field })
    }
    expect(store.appended).toEqual([])
  })
})

describe('token', () => {
  const token = 'test-token-0123456789abcdef'
  const { app: secured, store: securedStore } = memoryApp({ api: { token } })

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
    const write = await secured.request(`/api/annotations?token=${token}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ ts: 1736794800000, title: 'via url token' }),
    })
    expect(write.status).toBe(401)
    expect(((await write.json()) as ErrorBody).code).toBe('unauthorized')
    const remove = await secured.request(`/api/annotations/S5?token=${token}`, { method: 'DELETE' })
    expect(remove.status).toBe(401)
    expect(securedStore.appended).toEqual([])
  })
})

describe('access', () => {
  const token = 'test-token-0123456789abcdef'
  const secured = memoryApp({ api: { token } }).app

  it('requires the token on every data route, as a header (or a query parameter on downloads)', async () => {
    for (const path of ['/api/overview', '/api/hashtags/top', '/api/meta', '/api/ingest', '/api/export/top.csv']) {
      const missing = await secured.request(path)
      expect(missing.status, path).toBe(401)
      expect(((await missing.json()) as ErrorBody).code).toBe('unauthorized')
      expect(missing.headers.get('WWW-Authenticate')).toBe('Bearer')
      const wrong = await secured.request(path, { headers: { Authorization: 'Bearer nope' } })
      expect(wrong.status, path).toBe(401)
      await wrong.body?.cancel()
      const header = await secured.request(path, { headers: { Authorization: `Bearer ${token}` } })
      expect(header.status, path).toBe(200)
      await header.body?.cancel()
      // A token in the URL is for downloads and the live stream only (links and EventSource send no headers).
      const query = await secured.request(`${path}?token=${token}`)
      expect(query.status, path).toBe(path.startsWith('/api/export/') ? 200 : 401)
      await query.body?.cancel()
    }
  })

  it('leaves health, metrics and the OpenAPI document open', async () => {
    for (const path of ['/healthz', '/readyz', '/metrics', '/api/openapi.json']) {
      const response = await secured.request(path)
      expect(response.status, path).toBe(200)
      await response.body?.cancel()
    }
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
