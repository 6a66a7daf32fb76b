import { randomUUID } from 'node:crypto'
import { maxHeaderSize, type Server } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { createAdaptorServer } from '@hono/node-server'
import type { ErrorBody, ErrorCode } from '@trendlens/contract'

/** Anything with a fetch handler: the API app, or a stand-in while the product starts. */
export interface FetchApp {
  fetch: (request: Request, env: { incoming: unknown; outgoing: unknown }) => Response | Promise<Response>
}

export interface Listening {
  port: number
  server: Server
  close: () => Promise<void>
}

/** Node's limit on the request line plus headers (`--max-http-header-size`, 16 KiB by default). */
export function maxHeaderBytes(): number {
  return maxHeaderSize
}

/**
 * An HTTP server for the app. Requests Node refuses before the app sees them (a request line or headers over the
 * size limit, malformed HTTP) get the product's JSON error body instead of Node's bare status line.
 */
function createServer(app: FetchApp): Server {
  const server = createAdaptorServer({ fetch: app.fetch }) as Server
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) => {
    if (error.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy()
      return
    }
    if (error.code === 'HPE_HEADER_OVERFLOW') {
      const limit = maxHeaderBytes()
      const message =
        `the request line and headers are larger than ${limit} bytes; ` +
        'send fewer or shorter parameters (a long tag list belongs in several requests)'
      socket.end(rawResponse(431, 'Request Header Fields Too Large', 'request_too_large', message))
      return
    }
    if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') {
      socket.end(rawResponse(408, 'Request Timeout', 'bad_request', 'the request was not received in time'))
      return
    }
    socket.end(rawResponse(400, 'Bad Request', 'bad_request', 'the request is not valid HTTP/1.1'))
  })
  return server
}

/** A complete HTTP/1.1 response written straight to the socket, with the same security headers as the app's. */
function rawResponse(status: number, reason: string, code: ErrorCode, message: string): string {
  const body: ErrorBody = { code, message, requestId: randomUUID() }
  const json = JSON.stringify(body)
  return [
    `HTTP/1.1 ${status} ${reason}`,
    'Content-Type: application/json; charset=utf-8',
    `Content-Length: ${Buffer.byteLength(json)}`,
    `X-Request-Id: ${body.requestId}`,
    'X-Content-Type-Options: nosniff',
    "Content-Security-Policy: default-src 'none'; frame-ancestors 'none'",
    'X-Frame-Options: DENY',
    'Referrer-Policy: no-referrer',
    'Connection: close',
    '',
    json,
  ].join('\r\n')
}

/** The address is taken by another process: the one start-up error an operator can fix at once. */
export class PortInUseError extends Error {
  override readonly name = 'PortInUseError'
  constructor(
    readonly host: string,
    readonly port: number,
  ) {
    super(`port ${port} on ${host} is already in use; stop the other process or set PORT to a free port`)
  }
}

/** Listens on the address and resolves once bound (port 0 picks a free one); a taken port is a PortInUseError. */
function listenOn(server: Server, port: number, hostname: string): Promise<Listening> {
  return new Promise((resolve, reject) => {
    const failed = (error: NodeJS.ErrnoException) => {
      reject(error.code === 'EADDRINUSE' ? new PortInUseError(hostname, port) : error)
    }
    server.once('error', failed)
    server.listen(port, hostname, () => {
      server.off('error', failed)
      resolve({
        port: (server.address() as AddressInfo).port,
        server,
        close: () =>
          new Promise<void>((done, fail) => {
            server.close((error) => (error ? fail(error) : done()))
            server.closeAllConnections()
          }),
      })
    })
  })
}

/**
 * A fetch handler that answers with one app until another replaces it: the product binds its port first (a taken
 * port stops it before the schema is touched) and hands the port to the API once it is assembled.
 */
export class ReplaceableApp implements FetchApp {
  constructor(private current: FetchApp) {}

  readonly fetch: FetchApp['fetch'] = (request, env) => this.current.fetch(request, env)

  replace(app: FetchApp): void {
    this.current = app
  }
}

/** Serves an app over HTTP (port 0 picks a free one) and resolves once it listens. */
export function listen(app: FetchApp, port: number, hostname: string): Promise<Listening> {
  return listenOn(createServer(app), port, hostname)
}
