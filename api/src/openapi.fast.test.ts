import { Validator } from '@seriousme/openapi-schema-validator'
import type { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import type { AppEnv } from './app.ts'
import { memoryApp } from './test-support.ts'

interface Operation {
  operationId?: string
  tags?: string[]
  parameters?: { name: string; in: string }[]
  responses: Record<string, { content?: Record<string, { schema?: unknown }> }>
  security?: unknown[]
}
interface Document {
  openapi: string
  paths: Record<string, Record<string, Operation>>
  components: { schemas: Record<string, unknown> }
}

/** The document and its page read no data: the store double is enough. */
function app(token?: string): Hono<AppEnv> {
  return memoryApp({ api: { token } }).app
}

async function documentOf(served: Hono<AppEnv>): Promise<Document> {
  const response = await served.request('/api/openapi.json')
  expect(response.status).toBe(200)
  return (await response.json()) as Document
}

/** Every method and path the app routes to a handler, in the document's spelling (`/api/annotations/{id}`). */
function registeredOperations(served: Hono<AppEnv>): string[] {
  const operations = served.routes
    .filter((route) => route.method !== 'ALL' && route.path !== '*' && route.path !== '/*')
    .map((route) => `${route.method.toLowerCase()} ${route.path.replace(/\/:([^/]+)/g, '/{$1}')}`)
  return [...new Set(operations)].sort()
}

function documentedOperations(document: Document): string[] {
  return Object.entries(document.paths)
    .flatMap(([path, item]) => Object.keys(item).map((method) => `${method} ${path}`))
    .sort()
}

describe('the OpenAPI document', () => {
  it('is valid OpenAPI 3.1, with and without a token', async () => {
    for (const token of [undefined, 'test-token-0123456789abcdef']) {
      const document = await documentOf(app(token))
      const validator = new Validator()
      const result = await validator.validate(document as unknown as Record<string, unknown>)
      expect(result.errors, JSON.stringify(result.errors, null, 1)?.slice(0, 2000)).toBeUndefined()
      expect(result.valid).toBe(true)
      expect(validator.version).toBe('3.1')
      // Every $ref points at a schema the document holds.
      const refs = [...JSON.stringify(document).matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)]
      for (const [, name] of refs) expect(document.components.schemas, name).toHaveProperty(name as string)
    }
  })

  it('is checked by a validator that refuses a broken document', async () => {
    const document = await documentOf(app())
    const broken = structuredClone(document) as unknown as Record<string, Record<string, Record<string, unknown>>>
    const growth = broken.paths?.['/api/hashtags/growth'] as { get: { parameters: Record<string, unknown>[] } }
    delete growth.get.parameters[0]?.in
    const result = await new Validator().validate(broken)
    expect(result.valid).toBe(false)
  })

  it('lists exactly the operations the app serves', async () => {
    const served = app()
    const registered = registeredOperations(served)
    expect(registered.filter((op) => op.includes(' /api/')).length).toBeGreaterThan(20)
    expect(documentedOperations(await documentOf(served))).toEqual(registered)
  })

  it('gives every operation a unique operationId, a tag, and an error response with the one error body', async () => {
    const document = await documentOf(app())
    const ids = new Set<string>()
    for (const [path, item] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(item)) {
        const name = `${method} ${path}`
        expect(operation.operationId, name).toMatch(/^[a-z][A-Za-z0-9]+$/)
        expect(ids.has(operation.operationId as string), name).toBe(false)
        ids.add(operation.operationId as string)
        expect(operation.tags?.length, name).toBe(1)
        const errors = Object.entries(operation.responses).filter(([status]) => Number(status) >= 400)
        const errorFree = ['/healthz', '/metrics', '/api/ingest', '/api/openapi.json', '/api/docs']
        if (!errorFree.includes(path)) expect(errors.length, name).toBeGreaterThan(0)
        for (const [status, response] of errors) {
          expect(response.content?.['application/json']?.schema, `${name} ${status}`).toEqual({
            $ref: '#/components/schemas/Error',
          })
        }
      }
    }
  })

  it('describes parameters, response schemas and media types from the route declarations', async () => {
    const document = await documentOf(app())
    const growth = document.paths['/api/hashtags/growth']?.get
    expect(growth?.parameters?.map((p) => p.name)).toEqual(
      expect.arrayContaining(['from', 'to', 'tz', 'granularity', 'region', 'tags', 'tag']),
    )
    expect(growth?.responses['200']?.content?.['application/json']?.schema).toEqual({
      $ref: '#/components/schemas/GrowthReport',
    })
    expect(Object.keys(growth?.responses ?? {})).toEqual(expect.arrayContaining(['200', '400', '503', '504']))
    const csv = document.paths['/api/export/growth.csv']?.get
    expect(Object.keys(csv?.responses['200']?.content ?? {})).toEqual(['text/csv; charset=utf-8'])
    expect(csv?.parameters?.map((p) => p.name)).toEqual(expect.arrayContaining(['tags', 'tag', 'bom']))
    expect(Object.keys(csv?.responses ?? {})).toEqual(expect.arrayContaining(['429']))
    expect(Object.keys(document.paths['/api/live']?.get?.responses['200']?.content ?? {})).toEqual([
      'text/event-stream',
    ])
    const remove = document.paths['/api/annotations/{id}']?.delete
    expect(remove?.parameters).toEqual([expect.objectContaining({ name: 'id', in: 'path' })])
    expect(Object.keys(remove?.responses ?? {})).toEqual(expect.arrayContaining(['204', '404']))
    for (const name of [
      'GrowthReport',
      'RegionSplitReport',
      'IngestSnapshot',
      'LiveTick',
      'LiveMinute',
      'MetaReport',
      'Error',
    ]) {
      expect(document.components.schemas, name).toHaveProperty(name)
    }
  })

  it('marks every /api operation but the document and its page as needing the token when one is set', async () => {
    const document = await documentOf(app('test-token-0123456789abcdef'))
    for (const [path, item] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(item)) {
        const open = !path.startsWith('/api/') || path === '/api/openapi.json' || path === '/api/docs'
        expect(operation.security === undefined, `${method} ${path}`).toBe(open)
        if (!open) expect(operation.responses, `${method} ${path}`).toHaveProperty('401')
      }
    }
    expect(document.paths['/api/export/events.csv']?.get?.security).toEqual([{ bearer: [] }, { queryToken: [] }])
    expect(document.paths['/api/overview']?.get?.security).toEqual([{ bearer: [] }])
  })
})

describe('/api/docs', () => {
  it('answers 200 HTML without script under the product CSP, listing every operation', async () => {
    const secured = app('test-token-0123456789abcdef')
    const response = await secured.request('/api/docs')
    expect(response.status).toBe(200)
    expect(response.headers.get('Content-Type')).toMatch(/^text\/html/)
    const policy = response.headers.get('Content-Security-Policy') ?? ''
    const scriptSources = /script-src ([^;]*)/.exec(policy)?.[1]
    expect(scriptSources).toBe("'self'")
    const html = await response.text()
    expect(html).not.toMatch(/<script|\son[a-z]+=|javascript:/i)
    const document = await documentOf(secured)
    for (const item of Object.values(document.paths)) {
      for (const operation of Object.values(item)) expect(html).toContain(`id="${operation.operationId}"`)
    }
    expect(html).toContain('href="/api/openapi.json"')
  })
})
