/**
 * PNG downloads that say what they show: the chart's own image under a caption with the title, the range and the
 * time zone, so a chart pasted into a report still reads right on its own.
 */
import { formatMoment, type Lang } from './i18n.ts'
import { resolveBound } from './time.ts'

export interface PngCaption {
  title: string
  /** `Jan 10, 2025, 00:00 – Jan 21, 2025, 00:00 · Asia/Shanghai` */
  detail: string
}

/** The caption of a chart's PNG: its title, then the range it covers in the chosen zone, and the zone's name. */
export function pngCaption(
  title: string,
  range: { from: string; to: string },
  timeZone: string,
  lang: Lang,
  now: number,
): PngCaption {
  const from = resolveBound(range.from, timeZone, now)
  const to = resolveBound(range.to, timeZone, now)
  const span =
    from === undefined || to === undefined
      ? `${range.from} – ${range.to}`
      : `${formatMoment(from, timeZone, lang)} – ${formatMoment(to, timeZone, lang)}`
  return { title, detail: `${span} · ${timeZone}` }
}

/** Caption height in CSS pixels; the image is drawn at the chart's pixel ratio. */
const CAPTION_HEIGHT = 48

/** Draws the caption above the chart's image (a data URL) and returns the result as a PNG data URL. */
export async function captionedPng(
  chartUrl: string,
  caption: PngCaption,
  colors: { background: string; text: string; muted: string },
  pixelRatio: number,
): Promise<string> {
  const image = new Image()
  image.src = chartUrl
  await image.decode()
  const header = CAPTION_HEIGHT * pixelRatio
  const canvas = document.createElement('canvas')
  canvas.width = image.width
  canvas.height = image.height + header
  const context = canvas.getContext('2d')
  if (!context) return chartUrl
  context.fillStyle = colors.background
  context.fillRect(0, 0, canvas.width, canvas.height)
  const font = 'system-ui, -apple-system, "Segoe UI", "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif'
  const left = 12 * pixelRatio
  context.textBaseline = 'top'
  context.fillStyle = colors.text
  context.font = `600 ${15 * pixelRatio}px ${font}`
  context.fillText(caption.title, left, 8 * pixelRatio, canvas.width - 2 * left)
  context.fillStyle = colors.muted
  context.font = `${12 * pixelRatio}px ${font}`
  context.fillText(caption.detail, left, 28 * pixelRatio, canvas.width - 2 * left)
  context.drawImage(image, 0, header)
  return withTextChunks(canvas.toDataURL('image/png'), { Title: caption.title, Description: caption.detail })
}

const CRC_TABLE = (() => {
  const table = new Uint32Array(256)
  for (let n = 0; n < 256; n++) {
    let c = n
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
    table[n] = c >>> 0
  }
  return table
})()

function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff
  for (const byte of bytes) crc = (CRC_TABLE[(crc ^ byte) & 0xff] as number) ^ (crc >>> 8)
  return (crc ^ 0xffffffff) >>> 0
}

/** An iTXt chunk (UTF-8 text, uncompressed): what image viewers and tools show as the file's title and description. */
function itxtChunk(keyword: string, text: string): Uint8Array {
  const encoder = new TextEncoder()
  const body = [...encoder.encode(keyword), 0, 0, 0, 0, 0, ...encoder.encode(text)]
  const typed = new Uint8Array([...encoder.encode('iTXt'), ...body])
  const chunk = new Uint8Array(12 + body.length)
  const view = new DataView(chunk.buffer)
  view.setUint32(0, body.length)
  chunk.set(typed, 4)
  view.setUint32(8 + body.length, crc32(typed))
  return chunk
}

/** Adds text chunks right after a PNG's header chunk, so the file says what it shows without being looked at. */
function withTextChunks(dataUrl: string, texts: Record<string, string>): string {
  const binary = atob(dataUrl.slice(dataUrl.indexOf(',') + 1))
  const png = Uint8Array.from(binary, (char) => char.charCodeAt(0))
  // Signature (8) + IHDR (4 length + 4 type + 13 data + 4 CRC).
  const afterHeader = 33
  const chunks = Object.entries(texts).map(([keyword, text]) => itxtChunk(keyword, text))
  const out = new Uint8Array(png.length + chunks.reduce((sum, chunk) => sum + chunk.length, 0))
  out.set(png.subarray(0, afterHeader), 0)
  let offset = afterHeader
  for (const chunk of chunks) {
    out.set(chunk, offset)
    offset += chunk.length
  }
  out.set(png.subarray(afterHeader), offset)
  let text = ''
  for (const byte of out) text += String.fromCharCode(byte)
  return `data:image/png;base64,${btoa(text)}`
}
