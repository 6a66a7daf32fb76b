/**
 * The contract between TrendLens's parts, safe for the browser (no Node APIs): the event's wire shape and limits,
 * hashtag normalisation, regions, the one time-zone module, the request schemas, the response and error types.
 */
export * from './errors.ts'
export * from './event.ts'
export * from './params.ts'
export * from './regions.ts'
export * from './reports.ts'
export * from './story.ts'
export * from './time.ts'
