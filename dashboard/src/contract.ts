/**
 * Compile-time check that what the API's reports return still fits what the dashboard reads (api.ts). Only types:
 * nothing here reaches the bundle. When the API changes a response shape, `pnpm typecheck` fails here first.
 */
import type { Annotation as ApiAnnotation } from '../../api/src/annotations.ts'
import type { Growth, TopTags, Trending } from '../../api/src/reports/hashtags.ts'
import type { LiveTick as ApiLiveTick } from '../../api/src/reports/live.ts'
import type { Overview } from '../../api/src/reports/overview.ts'
import type { Heatmap, RegionSplit } from '../../api/src/reports/regions.ts'
import type {
  Annotation,
  GrowthResponse,
  HeatmapResponse,
  LiveTick,
  OverviewResponse,
  SplitResponse,
  TopResponse,
  TrendingResponse,
} from './api.ts'

type Fits<From, To> = [From] extends [To] ? true : false
type Assert<T extends true> = T

export type ContractChecks = [
  Assert<Fits<Growth, GrowthResponse>>,
  Assert<Fits<TopTags, TopResponse>>,
  Assert<Fits<Trending, TrendingResponse>>,
  Assert<Fits<Overview, OverviewResponse>>,
  Assert<Fits<RegionSplit, SplitResponse>>,
  Assert<Fits<Heatmap, HeatmapResponse>>,
  Assert<Fits<ApiLiveTick, LiveTick>>,
  // The annotations route adds the local time `t` to each stored row.
  Assert<Fits<ApiAnnotation & { t: string }, Annotation>>,
]
