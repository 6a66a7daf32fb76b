export { seedAnnotations } from './annotations.ts'
export { type AppDeps, type AppEnv, createApp, createOperationsApp, DEFAULT_RESPONSE_CACHE_MS } from './app.ts'
export { createServer, type FetchApp, type Listening, listen, listenOn, PortInUseError } from './server.ts'
export {
  type ApiOptions,
  type ApiSettings,
  apiSettings,
  DEFAULT_EXPORT_MAX_CONCURRENT,
  DEFAULT_EXPORT_MAX_ROWS,
  DEFAULT_HOST,
  DEFAULT_PORT,
  DEFAULT_TIME_ZONE,
} from './settings.ts'
