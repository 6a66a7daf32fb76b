import { describe, expect, it } from 'vitest'
import { ApiError, buildQuery, exportUrl, getJson } from './api.ts'

describe('query strings', () => {
  it('sorts keys, joins lists, repeats tags and drops empty values', () => {
    expect(
      buildQuery({
        to: 'now',
        from: '-24h',
        region: ['CN', 'US'],
        tag: ['a,b', '猫税'],
        type: [],
        granularity: undefined,
      }),
    ).toBe('?from=-24h&region=CN%2CUS&tag=a%2Cb&tag=%E7%8C%AB%E7%A8%8E&to=now')
    expect(buildQuery({})).toBe('')
    expect(exportUrl('growth', { tz: 'Asia/Shanghai' })).toBe('/api/export/growth.csv?tz=Asia%2FShanghai')
  })
})

const respond =
  (status: number, body: unknown, headers: Record<string, string> = {}) =>
  async () =>
    new Response(typeof body === 'string' ? body : JSON.stringify(body), { status, headers })

describe('getJson', () => {
  it('returns the body of a 2xx answer', async () => {
    await expect(getJson('/api/x', {}, undefined, respond(200, { rows: [] }))).resolves.toEqual({ rows: [] })
  })

  it("carries the API's error body", async () => {
    const error = await getJson(
      '/api/x',
      {},
      undefined,
      respond(400, {
        code: 'invalid_parameter',
        message: 'tz: unknown IANA time zone',
        requestId: 'r1',
        parameter: 'tz',
      }),
    ).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ApiError)
    expect(error).toMatchObject({ status: 400, code: 'invalid_parameter', requestId: 'r1', parameter: 'tz' })
    expect((error as ApiError).message).toBe('tz: unknown IANA time zone')
  })

  it('turns a non-JSON error and a network failure into ApiErrors', async () => {
    const html = await getJson('/api/x', {}, undefined, respond(502, '<html>bad gateway</html>')).catch(
      (e: unknown) => e,
    )
    expect(html).toMatchObject({ status: 502, code: 'http_502' })
    const offline = await getJson('/api/x', {}, undefined, async () => {
      throw new TypeError('Failed to fetch')
    }).catch((e: unknown) => e)
    expect(offline).toMatchObject({ status: 0, code: 'network', message: 'Failed to fetch' })
  })

  it('reports an unreadable 2xx body', async () => {
    const error = await getJson('/api/x', {}, undefined, respond(200, 'not json')).catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'bad_response' })
  })
})
