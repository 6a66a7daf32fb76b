/** The OpenAPI document of the routes this app serves, and the page that renders it for people. */
import { createRoute } from '@hono/zod-openapi'
import { z } from 'zod'
import { renderDocsPage } from '../docs-page.ts'
import { json, type OpenApiDocument, router } from '../openapi.ts'

const DOCUMENT_PATH = '/api/openapi.json'

const documentRoute = createRoute({
  method: 'get',
  path: '/openapi.json',
  operationId: 'getOpenApiDocument',
  tags: ['meta'],
  summary: 'This document',
  responses: {
    200: json(
      z.looseObject({ openapi: z.string() }).meta({ description: 'An OpenAPI 3.1 document' }),
      'The OpenAPI 3.1 document',
    ),
  },
})

const docsRoute = createRoute({
  method: 'get',
  path: '/docs',
  operationId: 'getDocsPage',
  tags: ['meta'],
  summary: 'This document as a page: every operation, its parameters and responses, and every schema',
  responses: {
    200: { description: 'An HTML page (no script)', content: { 'text/html; charset=utf-8': { schema: z.string() } } },
  },
})

/** `document` is asked for once all routes are registered, so the document lists them all, itself included. */
export function documentRoutes(document: () => OpenApiDocument) {
  let page: string | undefined
  return router()
    .openapi(documentRoute, (c) => c.json(document(), 200))
    .openapi(docsRoute, (c) => {
      page ??= renderDocsPage(document(), DOCUMENT_PATH)
      return c.html(page, 200)
    })
}
