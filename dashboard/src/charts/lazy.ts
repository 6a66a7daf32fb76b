/**
 * The chart modules (ECharts and its parts) as separate chunks. Their download starts when the app starts, so it
 * runs beside the first data requests instead of delaying the app's first paint.
 */
import { lazy } from 'react'

const growthModule = import('./growth-chart.tsx')
const splitModule = import('./split-chart.tsx')

export const GrowthChart = lazy(() => growthModule.then((module) => ({ default: module.GrowthChart })))
export const SplitChart = lazy(() => splitModule.then((module) => ({ default: module.SplitChart })))
