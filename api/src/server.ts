import type { AddressInfo } from 'node:net'
import { serve } from '@hono/node-server'
import type { Hono } from 'hono'
import type { AppEnv } from './app.ts'

export interface Listening {
  port: number
  close: () => Promise<void>
}

/** Serves an app over HTTP (port 0 picks a free one) and resolves once it listens. */
export function listen(app: Hono<AppEnv>, port: number, hostname: string): Promise<Listening> {
  return new Promise((resolve) => {
    const server = serve({ fetch: app.fetch, port, hostname }, (info: AddressInfo) => {
      resolve({
        port: info.port,
        close: () =>
          new Promise<void>((done, fail) => {
            server.close((error) => (error ? fail(error) : done()))
          }),
      })
    })
  })
}
