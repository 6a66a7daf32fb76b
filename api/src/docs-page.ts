/**
 * The API's reference page, rendered on the server from the OpenAPI document: every operation with its parameters
 * and responses, then every schema. Plain HTML and one inline style sheet, no script, so it works under the
 * product's Content-Security-Policy (scripts from this origin only, none inline) and needs nothing from outside.
 */

type Json = Record<string, unknown>

interface Parameter {
  name: string
  in: string
  required?: boolean
  description?: string
  schema?: Json
}

interface Operation {
  operationId?: string
  summary?: string
  tags?: string[]
  parameters?: Parameter[]
  requestBody?: { content?: Record<string, { schema?: Json }> }
  responses?: Record<string, { description?: string; content?: Record<string, { schema?: Json }> }>
  security?: Record<string, string[]>[]
}

interface DocumentShape {
  info: { title: string; version: string; description?: string }
  tags?: { name: string; description?: string }[]
  paths?: Record<string, Record<string, Operation | undefined>>
  components?: { schemas?: Record<string, Json> }
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const

/** `openApiDocument` is read as the JSON it is served as. */
export function renderDocsPage(openApiDocument: object, documentPath: string): string {
  const document = openApiDocument as DocumentShape
  const operations = listOperations(document)
  const tags = document.tags ?? []
  const sections = tags
    .map((tag) => {
      const mine = operations.filter((op) => (op.operation.tags ?? [])[0] === tag.name)
      if (mine.length === 0) return ''
      return `<section><h2 id="tag-${attr(tag.name)}">${text(tag.name)}</h2>${tag.description ? `<p>${text(tag.description)}</p>` : ''}${mine.map(renderOperation).join('')}</section>`
    })
    .join('')
  const contents = tags
    .map((tag) => {
      const items = operations
        .filter((op) => (op.operation.tags ?? [])[0] === tag.name)
        .map((op) => `<li><a href="#${attr(op.id)}">${methodBadge(op.method)} <code>${text(op.path)}</code></a></li>`)
      return items.length === 0 ? '' : `<li>${text(tag.name)}<ul>${items.join('')}</ul></li>`
    })
    .join('')
  const schemas = Object.entries(document.components?.schemas ?? {})
    .map(([name, schema]) => renderSchema(name, schema))
    .join('')
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${text(document.info.title)} ${text(document.info.version)}</title>
<style>${STYLE}</style>
</head>
<body>
<header><h1>${text(document.info.title)} <small>${text(document.info.version)}</small></h1>
${document.info.description ? `<p>${text(document.info.description)}</p>` : ''}
<p>The machine-readable document: <a href="${attr(documentPath)}">${text(documentPath)}</a> (OpenAPI 3.1).</p></header>
<nav><h2>Operations</h2><ul>${contents}</ul><p><a href="#schemas">Schemas</a></p></nav>
<main>${sections}<section><h2 id="schemas">Schemas</h2>${schemas}</section></main>
</body>
</html>
`
}

interface ListedOperation {
  id: string
  method: string
  path: string
  operation: Operation
}

function listOperations(document: DocumentShape): ListedOperation[] {
  const listed: ListedOperation[] = []
  for (const [path, item] of Object.entries(document.paths ?? {})) {
    for (const method of METHODS) {
      const operation = item[method]
      if (operation) listed.push({ id: operation.operationId ?? `${method}-${path}`, method, path, operation })
    }
  }
  return listed
}

function renderOperation({ id, method, path, operation }: ListedOperation): string {
  const parts = [`<article id="${attr(id)}"><h3>${methodBadge(method)} <code>${text(path)}</code></h3>`]
  if (operation.summary) parts.push(`<p>${text(operation.summary)}</p>`)
  parts.push(`<p class="meta">operationId <code>${text(operation.operationId ?? '')}</code></p>`)
  if (operation.security && operation.security.length > 0) {
    const ways = operation.security.map((way) => Object.keys(way).join(' + ')).join(' or ')
    parts.push(`<p class="meta">Authentication: ${text(ways)}</p>`)
  }
  const parameters = operation.parameters ?? []
  if (parameters.length > 0) {
    const rows = parameters.map(
      (p) =>
        `<tr><td><code>${text(p.name)}</code></td><td>${text(p.in)}</td><td>${p.required ? 'yes' : ''}</td>` +
        `<td>${typeText(p.schema)}</td><td>${text(p.description ?? stringAt(p.schema, 'description') ?? '')}</td></tr>`,
    )
    parts.push(
      `<h4>Parameters</h4><table><thead><tr><th>name</th><th>in</th><th>required</th><th>type</th><th>description</th></tr></thead><tbody>${rows.join('')}</tbody></table>`,
    )
  }
  for (const [media, content] of Object.entries(operation.requestBody?.content ?? {})) {
    parts.push(
      `<h4>Request body <code>${text(media)}</code></h4>${propertiesTable(content.schema) || typeText(content.schema)}`,
    )
  }
  const responses = Object.entries(operation.responses ?? {}).map(([status, response]) => {
    const media = Object.entries(response.content ?? {})
      .map(([type, content]) => `<code>${text(type)}</code> ${typeText(content.schema)}`)
      .join('<br>')
    return `<tr><td>${text(status)}</td><td>${text(response.description ?? '')}</td><td>${media}</td></tr>`
  })
  parts.push(
    `<h4>Responses</h4><table><thead><tr><th>status</th><th>meaning</th><th>body</th></tr></thead><tbody>${responses.join('')}</tbody></table></article>`,
  )
  return parts.join('')
}

function renderSchema(name: string, schema: Json): string {
  const description = stringAt(schema, 'description')
  return (
    `<article id="schema-${attr(name)}"><h3>${text(name)}</h3>` +
    `${description ? `<p>${text(description)}</p>` : ''}${propertiesTable(schema) || `<p>${typeText(schema)}</p>`}</article>`
  )
}

function propertiesTable(schema: Json | undefined): string {
  const properties = schema?.properties as Record<string, Json> | undefined
  if (!properties) return ''
  const required = new Set((schema?.required as string[] | undefined) ?? [])
  const rows = Object.entries(properties).map(
    ([name, property]) =>
      `<tr><td><code>${text(name)}</code></td><td>${required.has(name) ? 'yes' : ''}</td><td>${typeText(property)}</td>` +
      `<td>${text(stringAt(property, 'description') ?? '')}</td></tr>`,
  )
  return `<table><thead><tr><th>field</th><th>required</th><th>type</th><th>description</th></tr></thead><tbody>${rows.join('')}</tbody></table>`
}

/** A JSON schema in a few words: `string`, `one of a | b`, `array of GrowthPoint` (schema names link to them). */
function typeText(schema: Json | undefined): string {
  if (!schema) return ''
  const ref = stringAt(schema, '$ref')
  if (ref) {
    const name = ref.split('/').at(-1) ?? ref
    return `<a href="#schema-${attr(name)}">${text(name)}</a>`
  }
  const variants = (schema.anyOf ?? schema.oneOf) as Json[] | undefined
  if (variants) return variants.map(typeText).join(' | ')
  if (Array.isArray(schema.enum)) return `one of ${text(schema.enum.map(String).join(' | '))}`
  if ('const' in schema) return `<code>${text(JSON.stringify(schema.const))}</code>`
  const types = Array.isArray(schema.type) ? (schema.type as string[]) : schema.type ? [String(schema.type)] : []
  const described = types.map((type) => {
    if (type === 'array') return `array of ${typeText(schema.items as Json | undefined) || 'values'}`
    if (type === 'object' && schema.additionalProperties && typeof schema.additionalProperties === 'object') {
      return `map of ${typeText(schema.additionalProperties as Json)}`
    }
    return text(type)
  })
  const extra = 'default' in schema ? ` (default ${text(JSON.stringify(schema.default))})` : ''
  return (described.join(' | ') || 'any') + extra
}

function methodBadge(method: string): string {
  return `<span class="method ${attr(method)}">${text(method.toUpperCase())}</span>`
}

function stringAt(value: Json | undefined, key: string): string | undefined {
  const found = value?.[key]
  return typeof found === 'string' ? found : undefined
}

function text(value: string): string {
  return value.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`)
}

const attr = text

const STYLE = `
body{font:15px/1.5 system-ui,sans-serif;margin:0;color:#1d2433;background:#fafbfc;display:grid;grid-template-columns:minmax(14rem,20rem) 1fr}
header{grid-column:1/-1;padding:1rem 2rem;background:#fff;border-bottom:1px solid #dde1e6}
nav{padding:1rem 1.5rem;border-right:1px solid #dde1e6;font-size:13px}
nav ul{padding-left:1rem}
main{padding:1rem 2rem;min-width:0}
article{background:#fff;border:1px solid #dde1e6;border-radius:6px;padding:.5rem 1rem;margin:1rem 0}
h1 small{font-weight:normal;color:#5b6576;font-size:60%}
h3{margin:.3rem 0}
.meta{color:#5b6576;font-size:13px;margin:.2rem 0}
table{border-collapse:collapse;width:100%;font-size:13px;margin:.3rem 0 .8rem}
th,td{border-bottom:1px solid #eceff3;padding:.25rem .5rem;text-align:left;vertical-align:top}
code{font:12.5px ui-monospace,monospace}
a{color:#1f5fbf}
.method{display:inline-block;min-width:3.6em;text-align:center;border-radius:4px;color:#fff;font:bold 11px ui-monospace,monospace;padding:2px 4px;background:#5b6576}
.method.get{background:#2f7d4f}.method.post{background:#1f5fbf}.method.delete{background:#b3261e}
`
