export { seedAnnotations } from './annotations.ts'
export { type AppDeps, type AppEnv, createApp, createOperationsApp, createStartingApp } from './app.ts'
export { type FetchApp, type Listening, listen, PortInUseError, ReplaceableApp } from './server.ts'
export {
  type ApiOptions,
  type ApiSettings,
  apiSettings,
  DEFAULT_PORT,
} from './settings.ts'
