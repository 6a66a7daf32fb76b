/**
 * Chart colours per theme. They mirror the CSS variables in styles.css: ECharts draws on a canvas and cannot read
 * CSS, so the resolved theme picks one of these.
 */

export type ResolvedTheme = 'light' | 'dark'

export interface Palette {
  theme: ResolvedTheme
  background: string
  text: string
  textMuted: string
  axis: string
  grid: string
  tooltipBackground: string
  tooltipBorder: string
  /** Categorical colours for compared series, distinguishable in both themes. */
  series: readonly string[]
  regions: Readonly<Record<string, string>>
  annotation: string
  crossover: string
  /** Low → high for the heatmap. */
  heat: readonly string[]
}

const SERIES = ['#3b6fe0', '#e0663b', '#2a9d74', '#9b59d0', '#c9a227']

export const LIGHT: Palette = {
  theme: 'light',
  background: '#ffffff',
  text: '#1d2330',
  textMuted: '#5d6677',
  axis: '#c4cad6',
  grid: '#eceff4',
  tooltipBackground: '#ffffff',
  tooltipBorder: '#d5dae3',
  series: SERIES,
  regions: { CN: '#d64545', US: '#3b6fe0', other: '#9aa3b2' },
  annotation: '#8a5cf5',
  crossover: '#1d2330',
  heat: ['#f3f6fb', '#bcd0f5', '#6f95e6', '#2f5bc4', '#142f73'],
}

export const DARK: Palette = {
  theme: 'dark',
  background: '#141821',
  text: '#e3e7ef',
  textMuted: '#9aa3b4',
  axis: '#3a4252',
  grid: '#232a36',
  tooltipBackground: '#1d2330',
  tooltipBorder: '#3a4252',
  series: ['#6f95f0', '#f08a5d', '#45c29a', '#b98ae6', '#e0bd4c'],
  regions: { CN: '#ef6b6b', US: '#6f95f0', other: '#7d8799' },
  annotation: '#b39cff',
  crossover: '#e3e7ef',
  heat: ['#1a202b', '#243d6b', '#3461b8', '#5d8cef', '#b5ccff'],
}

export function paletteFor(theme: ResolvedTheme): Palette {
  return theme === 'dark' ? DARK : LIGHT
}

/** Extra colours for regions beyond CN / US / other (provinces, other countries). */
const EXTRA = ['#e0663b', '#2a9d74', '#c9a227', '#9b59d0', '#d0598f', '#3aa6b9', '#7c8f2e', '#b5651d']

export function regionColor(palette: Palette, code: string, index: number): string {
  return palette.regions[code] ?? EXTRA[index % EXTRA.length] ?? '#888888'
}
