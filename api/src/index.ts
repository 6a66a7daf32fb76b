export { seedAnnotations } from './annotations.ts'
export { type AppDeps, type AppEnv, createApp } from './app.ts'
export { type FetchApp, type Listening, listen } from './server.ts'
export {
  type ApiOptions,
  type ApiSettings,
  apiSettings,
  DEFAULT_PORT,
} from './settings.ts'
