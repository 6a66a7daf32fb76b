/**
 * File names of PNG downloads, in the shape of the API's CSV names (with the same contract `fileStamp`), so a chart and
 * its data sort together.
 */
import { fileStamp } from '@trendlens/contract'
import { resolveBound } from './time.ts'

function slug(text: string): string {
  return text.replace(/[^\p{L}\p{N}_-]+/gu, '_').replace(/^_+|_+$/g, '')
}

/** `trendlens-growth-tiktokrefugee-20250113T0000-20250115T0000-Asia_Shanghai.png` */
export function pngFileName(
  dataset: string,
  parts: readonly string[],
  range: { from: string; to: string },
  timeZone: string,
  now: number,
): string {
  const from = resolveBound(range.from, timeZone, now)
  const to = resolveBound(range.to, timeZone, now)
  const pieces = [
    'trendlens',
    dataset,
    ...parts.map(slug).filter(Boolean),
    from === undefined ? '' : fileStamp(from, timeZone),
    to === undefined ? '' : fileStamp(to, timeZone),
    slug(timeZone),
  ]
  return `${pieces.filter(Boolean).join('-')}.png`
}
